{#- The clean rows of raw crm.lead_status_changes (base_crm__lead_status_changes). -#}
{{ staged_rows('lead_status_changes') }}
