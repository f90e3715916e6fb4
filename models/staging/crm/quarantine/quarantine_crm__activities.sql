{#- Rows of raw crm.activities that staging set aside, with their reason (docs/bad_inputs.md). -#}
{{ quarantined_rows('activities') }}
