{#- The clean rows of raw marketing.campaigns (base_marketing__campaigns). -#}
{{ staged_rows('campaigns') }}
