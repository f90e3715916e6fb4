{#- The clean rows of raw crm.activities (base_crm__activities). -#}
{{ staged_rows('activities') }}
