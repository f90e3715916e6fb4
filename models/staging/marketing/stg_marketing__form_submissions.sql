{#- The clean rows of raw marketing.form_submissions (base_marketing__form_submissions). -#}
{{ staged_rows('form_submissions') }}
