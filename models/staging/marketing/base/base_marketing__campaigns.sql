{#- Base of stg_marketing__campaigns: raw marketing.campaigns typed by the contract, with quarantine_reason. -#}
{{ base_rows('campaigns') }}
