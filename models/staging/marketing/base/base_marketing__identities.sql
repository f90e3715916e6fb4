{#- Base of stg_marketing__identities: raw marketing.identities typed by the contract, with quarantine_reason. -#}
{{ base_rows('identities') }}
