{#- The clean rows of raw marketing.identities (base_marketing__identities). -#}
{{ staged_rows('identities') }}
