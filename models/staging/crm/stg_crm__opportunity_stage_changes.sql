{#- The clean rows of raw crm.opportunity_stage_changes (base_crm__opportunity_stage_changes). -#}
{{ staged_rows('opportunity_stage_changes') }}
