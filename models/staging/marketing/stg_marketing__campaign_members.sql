{#- The clean rows of raw marketing.campaign_members (base_marketing__campaign_members). -#}
{{ staged_rows('campaign_members') }}
