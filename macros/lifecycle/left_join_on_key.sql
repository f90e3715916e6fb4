{#-
    left_join_on_key(spine, relations, key_column='lead_id'): the joins that attach per-key
    attributes to a spine of keys: for each of `relations` (CTEs with at most one row per key),
        left join <relation>
            on <spine>.<key_column> = <relation>.<key_column>
    `key_column`: a column, or a list of columns all of which must match. Every spine row is
    kept (attributes null where a relation has no row for its key).
-#}
{% macro left_join_on_key(spine, relations, key_column='lead_id') -%}
    {%- set keys = [key_column] if key_column is string else key_column -%}
    {%- for relation in relations %}
    left join {{ relation }}
        {%- if keys | length == 1 %}
        on {{ spine }}.{{ keys[0] }} = {{ relation }}.{{ keys[0] }}
        {%- else %}
        on
            {%- for key in keys %}
            {{ 'and ' if not loop.first }}{{ spine }}.{{ key }} = {{ relation }}.{{ key }}
            {%- endfor %}
        {%- endif %}
    {%- endfor %}
{%- endmacro %}
