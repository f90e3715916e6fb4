{#- Base of stg_marketing__campaign_members: raw marketing.campaign_members typed by the contract, with quarantine_reason. -#}
{{ base_rows('campaign_members') }}
