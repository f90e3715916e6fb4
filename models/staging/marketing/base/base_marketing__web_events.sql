{#- Base of stg_marketing__web_events: raw marketing.web_events typed by the contract, with quarantine_reason. -#}
{{ base_rows('web_events') }}
