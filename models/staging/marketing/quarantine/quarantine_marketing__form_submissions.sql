{#- Rows of raw marketing.form_submissions that staging set aside, with their reason (docs/bad_inputs.md). -#}
{{ quarantined_rows('form_submissions') }}
