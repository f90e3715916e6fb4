{#- The clean rows of raw crm.leads (base_crm__leads). -#}
{{ staged_rows('leads') }}
