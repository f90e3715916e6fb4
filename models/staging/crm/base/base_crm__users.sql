{#- Base of stg_crm__users: raw crm.users typed by the contract, with quarantine_reason. -#}
{{ base_rows('users') }}
