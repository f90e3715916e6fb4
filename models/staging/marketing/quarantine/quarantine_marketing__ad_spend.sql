{#- Rows of raw marketing.ad_spend that staging set aside, with their reason (docs/bad_inputs.md). -#}
{{ quarantined_rows('ad_spend') }}
