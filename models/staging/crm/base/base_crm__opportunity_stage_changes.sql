{#- Base of stg_crm__opportunity_stage_changes: raw crm.opportunity_stage_changes typed by the contract, with quarantine_reason. -#}
{{ base_rows('opportunity_stage_changes') }}
