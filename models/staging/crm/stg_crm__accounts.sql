{#- The clean rows of raw crm.accounts (base_crm__accounts). -#}
{{ staged_rows('accounts') }}
