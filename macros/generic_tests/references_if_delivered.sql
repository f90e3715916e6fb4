{#- relationships, when the parent's raw table was delivered: fails on every non-null value
    missing from `to`.`field`. A reference to a table the delivery lacks is not an orphan
    (docs/raw_data_contract.md), so then the test has nothing to check. -#}
{% test references_if_delivered(model, column_name, to, field, parent_table) %}
select child.{{ column_name }} as missing_reference
from {{ model }} as child
{%- if raw_table_delivered(parent_table) %}
left join {{ to }} as parent
    on child.{{ column_name }} = parent.{{ field }}
where child.{{ column_name }} is not null and parent.{{ field }} is null
{%- else %}
where 1 = 0
{%- endif %}
{% endtest %}
