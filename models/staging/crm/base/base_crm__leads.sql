{#- Base of stg_crm__leads: raw crm.leads typed by the contract, with quarantine_reason.
    Its email_domain is derived from the cleaned email. -#}
{{
    base_rows(
        'leads',
        derived={'email_domain': "nullif(" ~ dbt.split_part('typed.email', "'@'", 2) ~ ", '')"},
    )
}}
