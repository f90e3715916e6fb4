{#- Rows of raw crm.lead_status_changes that staging set aside, with their reason (docs/bad_inputs.md). -#}
{{ quarantined_rows('lead_status_changes') }}
