{#- Fails on every value that is neither a canonical value of the vocabulary (its seed, rows of
    var crm_source_system or of the vocabulary where the seed is shared) nor 'unmapped'. -#}
{% test in_vocabulary(model, column_name, vocabulary) %}
{%- set vocab = raw_contract()['vocabularies'][vocabulary] -%}
select {{ column_name }} as value_outside_vocabulary
from {{ model }}
where
    {{ column_name }} is not null
    and {{ column_name }} <> 'unmapped'
    and {{ column_name }} not in (
        select seed_rows.{{ vocab['value'] }}
        from {{ ref(vocab['seed']) }} as seed_rows
        {%- if vocab['per_crm'] %}
        where seed_rows.source_system = '{{ var("crm_source_system") }}'
        {%- elif vocab['filter'] %}
        where seed_rows.vocabulary = '{{ vocab["filter"] }}'
        {%- endif %}
    )
{% endtest %}
