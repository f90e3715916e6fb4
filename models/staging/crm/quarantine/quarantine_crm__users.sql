{#- Rows of raw crm.users that staging set aside, with their reason (docs/bad_inputs.md). -#}
{{ quarantined_rows('users') }}
