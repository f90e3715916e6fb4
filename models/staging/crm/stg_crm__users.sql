{#- The clean rows of raw crm.users (base_crm__users). -#}
{{ staged_rows('users') }}
