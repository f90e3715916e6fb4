{#- Rows of raw marketing.web_events that staging set aside, with their reason (docs/bad_inputs.md). -#}
{{ quarantined_rows('web_events', from_raw=true) }}
