{#-
    Drop re-delivered copies of an event: among rows sharing the same key keep the
    latest loaded one (ties broken by the remaining order columns). Portable: a
    group by, a join and a window function, no QUALIFY.

    Two phases, because re-delivered copies are rare (about 0.5% of events): the key hashes
    (key_hash, a 64-bit hash where the warehouse has one) that occur more than once are found by
    one group by (a nested CTE that both branches read: counted in each branch, the staging base
    was parsed twice more); rows of every other key pass straight through (an anti-join against
    that small set), and only the rows of repeated hashes are ranked by the window, partitioned
    by the key itself. A hash collision only sends two distinct keys down the exact path, where
    each keeps its own row, so the result is the same as ranking every row. Ranking every row
    instead (one row_number() over all events, carrying every payload column through the sort)
    was the slowest step of a build at scale (BENCHMARKS.md). Every caller quarantines rows with
    a null key first, so how they would be treated is not relied on.

    Usage, as the body of a CTE:  deduplicated as ({{ keep_latest_loaded('renamed', 'event_id', columns=[...]) }})
    `columns`: the column names of `relation`, for warehouses without `* exclude` (the ANSI
    star_except lists the columns to keep; DuckDB ignores them).
    `first_loaded_column`: a column of `relation` that becomes the earliest of its values over the
    key's rows (the load time of the first copy: staging's first_loaded_at).
    `keys_from`: where the repeated keys are counted (default: `relation`), a relation holding every
    row of `relation` and maybe more, read for its key column alone: a key repeated there but
    not in `relation` merely takes the exact path. Staging counts them in the base model, so
    its filtered rows are read twice, each time streamed, instead of stored for three reads.
    `copies`: a select (it may read the CTE repeated_keys) giving exactly the rows of `relation`
    whose key hash is repeated, and maybe rows of other hashes; ranked in place of the join of
    `relation` to repeated_keys, when `relation` is cheaper to filter first (staging types the
    copies from the raw file: staged_rows).
-#}
{% macro keep_latest_loaded(relation, key_column, order_by='loaded_at desc', columns=none, first_loaded_column=none, keys_from=none, copies=none) -%}
    {%- set keys_from = keys_from or relation %}
    with

    -- The key hashes that occur on more than one row: counted once, read by both branches.
    repeated_keys as (

        select {{ key_hash(key_column) }} as repeated_key_hash
        from {{ keys_from }}
        group by {{ key_hash(key_column) }}
        having count(*) > 1

    )

    select single_copy.*
    from {{ relation }} as single_copy
    left join repeated_keys
        on {{ key_hash('single_copy.' ~ key_column) }} = repeated_keys.repeated_key_hash
    where repeated_keys.repeated_key_hash is null

    union all

    {%- if first_loaded_column %}
    select {{ star_except(['load_rank', 'first_loaded_of_key'], columns, {first_loaded_column: 'first_loaded_of_key'}) }}
    {%- else %}
    select {{ star_except(['load_rank'], columns) }}
    {%- endif %}
    from (
        select
            copies.*,
            {%- if first_loaded_column %}
            min(copies.{{ first_loaded_column }}) over (
                partition by copies.{{ key_column }}
            ) as first_loaded_of_key,
            {%- endif %}
            row_number() over (
                partition by copies.{{ key_column }}
                order by {{ order_by }}
            ) as load_rank
        {%- if copies is not none %}
        from (
            {{ copies | indent(12) }}
        ) as copies
        {%- else %}
        from {{ relation }} as copies
        {%- endif %}
        inner join repeated_keys
            on {{ key_hash('copies.' ~ key_column) }} = repeated_keys.repeated_key_hash
    ) as ranked
    where load_rank = 1
{%- endmacro %}
