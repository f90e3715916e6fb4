{#- Base of stg_marketing__form_submissions: raw marketing.form_submissions typed by the contract, with quarantine_reason. -#}
{{ base_rows('form_submissions') }}
