{#- Base of stg_crm__activities: raw crm.activities typed by the contract, with quarantine_reason. -#}
{{ base_rows('activities') }}
