{#-
    Drop re-delivered copies of an event: among rows sharing the same key keep the
    latest loaded one (ties broken by the remaining order columns). Portable: a
    window function and a filter, no QUALIFY.

    Usage, as the body of a CTE:  deduplicated as ({{ keep_latest_loaded('renamed', 'event_id') }})
-#}
{% macro keep_latest_loaded(relation, key_column, order_by='loaded_at desc') -%}
    select {{ star_except(['load_rank']) }}
    from (
        select
            *,
            row_number() over (
                partition by {{ key_column }}
                order by {{ order_by }}
            ) as load_rank
        from {{ relation }}
    ) as ranked
    where load_rank = 1
{%- endmacro %}
