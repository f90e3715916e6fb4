{#- Rows of raw marketing.campaign_members that staging set aside, with their reason (docs/bad_inputs.md). -#}
{{ quarantined_rows('campaign_members') }}
