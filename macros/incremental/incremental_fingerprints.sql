{#-
    Incremental by key, by fingerprints of the inputs (docs/incremental.md).

    A model whose rows are a function of a key's input rows (a lead's awards, stage evidence or
    touches; a day's stage entries) stores, on every row, the fingerprint of the inputs it was
    computed from (column inputs_fingerprint). A run fingerprints the inputs of every key again
    and re-computes only the keys whose fingerprint changed (or that are new): all rows of those
    keys are replaced (delete+insert on the key). Whatever changed an input (a new event, a late
    one, a merge, a correction, a seed change) changes the fingerprint, so nothing depends on
    load times; the cost of a run is one pass over the inputs to hash them plus the work for the
    touched keys.

    key_fingerprints(inputs, key_column, global_inputs)
        A select of one row per key: key_column, inputs_fingerprint. `inputs`: a list of
        {'relation': a relation or CTE, 'key': its key expression, 'columns': [expressions]}:
        the key's rows of each input are hashed row by row (row_hash, with the input's position)
        and summed (order-independent: the same rows in any order give the same fingerprint).
        `global_inputs` (seeds every key depends on): {'relation', 'columns'}; their fingerprint
        is added to every key's, so a change of the seed re-computes every key.
    fingerprint_changed_keys(fingerprints, key_column)
        A select of the keys of `fingerprints` (a CTE) to re-compute: on an incremental run the
        keys without a stored row of the same fingerprint; every key otherwise.
    row_hash(expressions)
        A 64-bit hash of a row's values (dispatched; the default hashes the text of the values).
-#}

{% macro type_fingerprint() -%}
    decimal(38, 0)
{%- endmacro %}

{% macro row_hash(expressions) -%}
    {{ return(adapter.dispatch('row_hash', 'lead_funnel')(expressions)) }}
{%- endmacro %}

{% macro default__row_hash(expressions) -%}
    {%- set parts = [] -%}
    {%- for expression in expressions -%}
        {%- do parts.append("coalesce(cast(" ~ expression ~ " as " ~ dbt.type_string() ~ "), '~')") -%}
        {%- if not loop.last %}{% do parts.append("'|'") %}{% endif -%}
    {%- endfor -%}
    {{ key_hash(dbt.concat(parts)) }}
{%- endmacro %}

{% macro duckdb__row_hash(expressions) -%}
    hash({{ expressions | join(', ') }})
{%- endmacro %}

{% macro spark__row_hash(expressions) -%}
    xxhash64({{ expressions | join(', ') }})
{%- endmacro %}

{% macro key_fingerprints(inputs, key_column='lead_id', global_inputs=[]) -%}
    select
        fingerprinted_rows.{{ key_column }},
        cast(
            sum(cast(fingerprinted_rows.row_fingerprint as {{ type_fingerprint() }}))
            {%- if global_inputs %} + max(global_fingerprint.fingerprint){% endif %}
            as {{ type_fingerprint() }}
        ) as inputs_fingerprint
    from (
        {%- for input in inputs %}
        select
            {{ input['key'] }} as {{ key_column }},
            {{ row_hash(["'" ~ loop.index ~ "'"] + input['columns']) }} as row_fingerprint
        from {{ input['relation'] }}
        {%- if input.get('where') %}
        where {{ input['where'] }}
        {%- endif %}
        {%- if not loop.last %}
        union all
        {%- endif %}
        {%- endfor %}
    ) as fingerprinted_rows
    {%- if global_inputs %}
    cross join (
        select coalesce(sum(cast(global_rows.row_fingerprint as {{ type_fingerprint() }})), 0) as fingerprint
        from (
            {%- for input in global_inputs %}
            select {{ row_hash(["'global " ~ loop.index ~ "'"] + input['columns']) }} as row_fingerprint
            from {{ input['relation'] }}
            {%- if not loop.last %}
            union all
            {%- endif %}
            {%- endfor %}
        ) as global_rows
    ) as global_fingerprint
    {%- endif %}
    where fingerprinted_rows.{{ key_column }} is not null
    group by fingerprinted_rows.{{ key_column }}
{%- endmacro %}

{% macro fingerprint_changed_keys(fingerprints, key_column='lead_id') -%}
    select current_keys.{{ key_column }}
    from {{ fingerprints }} as current_keys
    {%- if is_incremental() %}
    {{- require_stored_column('inputs_fingerprint', 'fingerprint column') }}
    where not exists (
        select 1
        from {{ this }} as stored
        where
            stored.{{ key_column }} = current_keys.{{ key_column }}
            and stored.inputs_fingerprint = current_keys.inputs_fingerprint
    )
    {%- endif %}
{%- endmacro %}

{#- Post-hook of a model incremental by fingerprints: delete the rows of keys that no longer
    give any row (`current_keys_sql`: a select of the keys that do, e.g. the key column of the
    model's main input): keys gone from the inputs (a merged or deleted lead), and keys whose
    re-computation gave no row (delete+insert only replaces keys the new rows have). -#}
{% macro delete_keys_without_inputs(current_keys_sql, key_column='lead_id') -%}
    {{ delete_rows_without_match(current_keys_sql, [key_column]) }}
{%- endmacro %}

{#- Post-hook for a model whose keys can re-compute to no row while they still have inputs (so
    neither delete+insert nor delete_keys_without_inputs removes their old rows): delete every
    stored row whose fingerprint is not the key's current one (`fingerprints_sql`: the same
    key_fingerprints select the model uses, over relations instead of CTEs). One more pass to
    hash the inputs. Both post-hooks delete through delete_where (key buckets on Spark) and render
    to nothing under `dbt clone`. -#}
{% macro delete_stale_fingerprints(fingerprints_sql, key_column='lead_id') -%}
    {{ delete_rows_without_match(fingerprints_sql, [key_column, 'inputs_fingerprint']) }}
{%- endmacro %}

{#- The delete of both post-hooks: the stored rows with no row of `current_sql` equal on all of
    `columns`. `current_sql` may repeat a key on many rows (the lead ids of 30M awards at 1M
    leads): its distinct values are taken first, so the anti-join hashes one row per
    key (the awards' hook in a 1M daily build: 5.4-7.0 s before, 1.4-2.1 s after; BENCHMARKS.md). -#}
{% macro delete_rows_without_match(current_sql, columns) -%}
    {%- if flags.WHICH == 'clone' -%}
        {{ return('') }}
    {%- endif -%}
    {%- set conditions = [] -%}
    {%- for column in columns -%}
        {%- do conditions.append('current_keys.' ~ column ~ ' = ' ~ this ~ '.' ~ column) -%}
    {%- endfor -%}
    {{ delete_where(this,
        "not exists (select 1 from (select distinct " ~ columns | join(', ')
        ~ " from (" ~ current_sql ~ ") as current_rows) as current_keys"
        ~ " where " ~ conditions | join(' and ') ~ ")"
    ) }}
{%- endmacro %}

{#- The CTEs of a model incremental by fingerprints, after its `fingerprints` CTE: on an
    incremental run touched_leads (the keys to re-compute), then each of `inputs` (CTE name ->
    the CTE of all rows it restricts) limited to those keys; on a full build every row. Use as
    the body between two CTEs:  {{ fingerprint_touched_inputs({'awards': 'all_awards'}) }}  -#}
{% macro fingerprint_touched_inputs(inputs, key_column='lead_id') -%}
{%- if is_incremental() %}
touched_leads as (

    {{ fingerprint_changed_keys('fingerprints', key_column) }}

),
{% endif %}
{%- for name, relation in inputs.items() %}
{{ name }} as (

    select * from {{ relation }}
    where {{ incremental_keys_in(key_column, 'touched_leads', key_column) }}

),
{% endfor -%}
{%- endmacro %}
