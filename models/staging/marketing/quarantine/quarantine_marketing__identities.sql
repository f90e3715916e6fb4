{#- Rows of raw marketing.identities that staging set aside, with their reason (docs/bad_inputs.md). -#}
{{ quarantined_rows('identities') }}
