{#- Base of stg_marketing__ad_spend: raw marketing.ad_spend typed by the contract, with quarantine_reason. -#}
{{ base_rows('ad_spend') }}
