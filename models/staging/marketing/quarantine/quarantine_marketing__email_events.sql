{#- Rows of raw marketing.email_events that staging set aside, with their reason (docs/bad_inputs.md). -#}
{{ quarantined_rows('email_events', from_raw=true) }}
