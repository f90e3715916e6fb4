{#-
    The quarantine circuit breaker: fails on every table whose quarantined rows exceed its limit
    (var quarantine_max_share, e.g. 0.05; per table var quarantine_max_share_by_table, e.g.
    {leads: 0.2}), naming the table, its share and its main reason, root causes first (the
    failing rows `lead-funnel build` shows). A failed test stops write-audit-publish: nothing is
    published.
-#}
{% test quarantine_share_within_limit(model) %}
{%- set default_limit = var('quarantine_max_share') -%}
{%- set by_table = var('quarantine_max_share_by_table') or {} -%}
with

per_table as (

    select
        table_name,
        max(raw_rows) as raw_rows,
        sum(quarantined_rows) as quarantined_rows,
        max(quarantined_rows) as main_reason_rows

    from {{ model }}
    group by table_name

),

limits as (

    select
        per_table.*,
        case
            {%- for table_name, limit in by_table.items() %}
            when per_table.table_name = '{{ table_name }}' then {{ limit }}
            {%- endfor %}
            when 1 = 1 then {{ default_limit }}
        end as max_share

    from per_table

)

select
    limits.table_name,
    limits.quarantined_rows,
    limits.raw_rows,
    cast(limits.quarantined_rows as {{ type_double() }}) / limits.raw_rows as quarantined_share,
    cast(limits.max_share as {{ type_double() }}) as max_share,
    main.quarantine_reason as main_reason
from limits
inner join {{ model }} as main
    on
        limits.table_name = main.table_name
        and limits.main_reason_rows = main.quarantined_rows
where limits.quarantined_rows > limits.max_share * limits.raw_rows
-- root causes first: a table's own defects before the orphans they cascade to
order by
    case when main.quarantine_reason like 'orphan %' then 1 else 0 end,
    quarantined_share desc,
    limits.table_name
{% endtest %}
