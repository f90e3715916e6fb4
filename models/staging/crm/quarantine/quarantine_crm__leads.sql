{#- Rows of raw crm.leads that staging set aside, with their reason (docs/bad_inputs.md). -#}
{{ quarantined_rows('leads') }}
