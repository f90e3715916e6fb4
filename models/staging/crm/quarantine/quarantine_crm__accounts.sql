{#- Rows of raw crm.accounts that staging set aside, with their reason (docs/bad_inputs.md). -#}
{{ quarantined_rows('accounts') }}
