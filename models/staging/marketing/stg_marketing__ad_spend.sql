{#- The clean rows of raw marketing.ad_spend (base_marketing__ad_spend). -#}
{{ staged_rows('ad_spend') }}
