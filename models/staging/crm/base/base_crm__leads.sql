{#- Base of stg_crm__leads: raw crm.leads typed by the contract, with quarantine_reason.
    Its email_domain is derived from the cleaned email; a record merged into itself or on a merge
    cycle is quarantined (macros/staging/merge_cycle_rules.sql). -#}
{{
    base_rows(
        'leads',
        derived={'email_domain': "nullif(" ~ dbt.split_part('typed.email', "'@'", 2) ~ ", '')"},
        extra_rules=merge_cycle_rules(),
        extra_joins=merge_cycle_joins('typed'),
    )
}}
