{#-
    SCD2 intervals [valid_from, valid_to) are contiguous within each partition: no gaps, no
    overlaps. Fails on every row that: ends before it starts; is open-ended (valid_to null)
    but not the last row; or whose valid_to differs from the next row's valid_from. Rows are
    ordered by valid_from, then valid_to (open-ended last); zero-length rows are allowed.
-#}
{% test intervals_are_contiguous(model, partition_by, valid_from='valid_from', valid_to='valid_to') %}
with ordered as (
    select
        {{ partition_by }} as partition_key,
        {{ valid_from }} as interval_from,
        {{ valid_to }} as interval_to,
        lead({{ valid_from }}) over (
            partition by {{ partition_by }}
            order by {{ valid_from }}, case when {{ valid_to }} is null then 1 else 0 end, {{ valid_to }}
        ) as next_from
    from {{ model }}
)
select *
from ordered
where
    interval_to < interval_from
    or (interval_to is null and next_from is not null)
    or (interval_to is not null and next_from is null)
    or interval_to <> next_from
{% endtest %}
