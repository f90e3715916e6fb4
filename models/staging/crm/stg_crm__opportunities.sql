{#- The clean rows of raw crm.opportunities (base_crm__opportunities). -#}
{{ staged_rows('opportunities') }}
