{#-
    left_join_on_key(spine, relations, key_column='lead_id'): the joins that attach per-key
    attributes to a spine of keys: for each of `relations` (CTEs with at most one row per key),
        left join <relation>
            on <spine>.<key_column> = <relation>.<key_column>
    Every spine row is kept (attributes null where a relation has no row for its key).
-#}
{% macro left_join_on_key(spine, relations, key_column='lead_id') -%}
    {%- for relation in relations %}
    left join {{ relation }}
        on {{ spine }}.{{ key_column }} = {{ relation }}.{{ key_column }}
    {%- endfor %}
{%- endmacro %}
