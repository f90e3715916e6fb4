{#- Base of stg_marketing__email_events: raw marketing.email_events typed by the contract, with quarantine_reason. -#}
{{ base_rows('email_events') }}
