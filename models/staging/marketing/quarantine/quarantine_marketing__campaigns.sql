{#- Rows of raw marketing.campaigns that staging set aside, with their reason (docs/bad_inputs.md). -#}
{{ quarantined_rows('campaigns') }}
