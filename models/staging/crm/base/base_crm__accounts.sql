{#- Base of stg_crm__accounts: raw crm.accounts typed by the contract, with quarantine_reason. -#}
{{ base_rows('accounts') }}
