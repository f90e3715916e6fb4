{#- Rows of raw crm.opportunity_stage_changes that staging set aside, with their reason (docs/bad_inputs.md). -#}
{{ quarantined_rows('opportunity_stage_changes') }}
