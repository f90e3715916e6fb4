{#- Rows of raw crm.opportunities that staging set aside, with their reason (docs/bad_inputs.md). -#}
{{ quarantined_rows('opportunities') }}
