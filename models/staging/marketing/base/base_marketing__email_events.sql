{#- Base of stg_marketing__email_events: raw marketing.email_events typed by the contract, with quarantine_reason.
    Keep it the plain base_rows call: stg_marketing__email_events and quarantine_marketing__email_events
    type some raw rows again with that same call (copies_from_raw, from_raw; a test checks it). -#}
{{ base_rows('email_events') }}
