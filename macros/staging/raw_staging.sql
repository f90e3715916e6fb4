{#-
    One staging definition per raw table, read from the contract (macro raw_contract(), rendered
    from lead_funnel/contract.py). Each raw table has three models, each one macro call:

      base_<source>__<table>        {{ base_rows('<table>') }}       typed rows + quarantine_reason
      stg_<source>__<table>         {{ staged_rows('<table>') }}     the clean rows (deduplicated)
      quarantine_<source>__<table>  {{ quarantined_rows('<table>') }} the rows set aside

    raw_typed_rows(table): every contract column renamed (staging name), cleaned and cast to its
      type with dbt's cross-database macros; a column the file lacks is a typed null (or its
      documented default; loaded_at: the file's modification time); a table that was not
      delivered gives no rows. A vocabulary column is staged as given (trimmed) and mapped by its
      seed, case-insensitively: 'unmapped' when no seed row maps the value, null when null.
      raw_parse_error names the first delivered value that does not parse as its type. An event
      table also keeps its raw loaded_at, as delivered (raw_loaded_at: read only by the
      incremental filters, macros/staging/raw_loaded_at.sql).
    raw_quarantine_rules(table): the `when ... then '<reason>'` branches of quarantine_reason, in
      order: a value that does not parse; a null required column; an orphan foreign key (only
      when the parent table was delivered); a timestamp before quality_min_timestamp or later
      than the row's load time + quality_future_tolerance_hours (the row's loaded_at, or the
      file's load time: never the wall clock); a number that is not finite or outside its
      bounds (seed numeric_bounds).
    Docs: docs/raw_data_contract.md, docs/bad_inputs.md.
-#}

{% macro contract_sql_type(logical_type) -%}
    {%- set types = {
        'string': dbt.type_string(),
        'int64': dbt.type_bigint(),
        'float64': type_double(),
        'bool': dbt.type_boolean(),
        'timestamp': dbt.type_timestamp(),
        'date': 'date',
    } -%}
    {{ return(types[logical_type]) }}
{%- endmacro %}

{#- The typed value of a delivered raw column (`raw`: its reference), before any default. -#}
{% macro raw_column_value(col, raw) -%}
    {%- set text = "nullif(trim(cast(" ~ raw ~ " as " ~ dbt.type_string() ~ ")), '')" -%}
    {%- if col['type'] == 'string' -%}
        {%- if col['clean'] == 'lower' or col['clean'] == 'email' -%}
            lower({{ text }})
        {%- else -%}
            {{ text }}
        {%- endif -%}
    {%- elif col['type'] == 'timestamp' -%}
        {{ to_utc_timestamp(raw) }}
    {%- else -%}
        {{ dbt.safe_cast(raw, contract_sql_type(col['type'])) }}
    {%- endif -%}
{%- endmacro %}

{#- The staged value: the typed value with the column's default, or the default / a typed null
    when the file lacks the column (loaded_at: the file's load time). -#}
{% macro raw_staged_value(col, raw, table_name) -%}
    {%- set sql_type = contract_sql_type(col['type']) -%}
    {%- set default = col['default'] -%}
    {%- if default is not none and default.startswith('var:') -%}
        {%- set default = "'" ~ var(default[4:]) ~ "'" -%}
    {%- endif -%}
    {%- if raw is none and col['name'] == 'loaded_at' -%}
        {{ raw_file_loaded_at(table_name) }}
    {%- elif raw is none -%}
        cast({{ default if default is not none else 'null' }} as {{ sql_type }})
    {%- elif default is not none -%}
        coalesce({{ raw_column_value(col, raw) }}, cast({{ default }} as {{ sql_type }}))
    {%- else -%}
        {{ raw_column_value(col, raw) }}
    {%- endif -%}
{%- endmacro %}

{#- The seed rows of a vocabulary, one per lower-cased trimmed source value. -#}
{% macro vocabulary_lookup(vocabulary_name) -%}
    {%- set vocab = raw_contract()['vocabularies'][vocabulary_name] -%}
    select
        lower(trim(cast(seed_rows.{{ vocab['match'] }} as {{ dbt.type_string() }}))) as match_value,
        min(cast(seed_rows.{{ vocab['value'] }} as {{ dbt.type_string() }})) as mapped_value
    from {{ ref(vocab['seed']) }} as seed_rows
    {%- if vocab['per_crm'] %}
    where seed_rows.source_system = '{{ var("crm_source_system") }}'
    {%- elif vocab['filter'] %}
    where seed_rows.vocabulary = '{{ vocab["filter"] }}'
    {%- endif %}
    group by lower(trim(cast(seed_rows.{{ vocab['match'] }} as {{ dbt.type_string() }})))
{%- endmacro %}

{#- Whether the base models are views (dbt_project.yml: tables on Spark). Only over a view do
    staged_rows' copies_from_raw and quarantined_rows' from_raw save work: a view's rows are all
    typed before a join reads them, a table's are stored. -#}
{% macro base_models_are_views() -%}
    {{ return(target.type != 'spark') }}
{%- endmacro %}

{#- `key_in`: only the raw rows whose typed key has its null_safe_key_hash in this set (a
    parenthesised subquery), filtered before any other column is typed (staged_rows'
    re-delivered copies, quarantined_rows' rows). -#}
{% macro raw_typed_rows(table_name, key_in=none) -%}
    {%- set spec = raw_contract_table(table_name) -%}
    {%- set relation = source(spec['source'], table_name) -%}
    {%- set delivered = raw_delivered_columns(table_name) -%}
    {%- set present = [] -%}
    {%- for col in spec['columns'] if delivered is not none and col['name'] | lower in delivered -%}
        {%- do present.append(col['name']) -%}
    {%- endfor -%}
    {%- set staged = {} -%}
    {%- for col in spec['columns'] -%}
        {%- set raw = 'raw_rows.' ~ col['name'] if col['name'] in present else none -%}
        {%- do staged.update({col['name']: raw_staged_value(col, raw, table_name)}) -%}
    {%- endfor %}
    select
    {%- for col in spec['columns'] %}
        {{ staged[col['name']] }} as {{ col['staged'] }},
        {%- if col['vocabulary'] %}
        case
            when {{ staged[col['name']] }} is null then null
            else coalesce(vocab_{{ col['staged'] }}.mapped_value, 'unmapped')
        end as {{ col['mapped'] }},
        {%- endif %}
    {%- endfor %}
    {%- if spec['event'] %}
        {{ 'raw_rows.loaded_at' if 'loaded_at' in present else 'cast(null as ' ~ dbt.type_timestamp() ~ ')' }}
            as raw_loaded_at,
    {%- endif %}
        case
        {%- for col in spec['columns'] if col['name'] in present and col['type'] != 'string' %}
            when
                raw_rows.{{ col['name'] }} is not null
                and {{ raw_column_value(col, 'raw_rows.' ~ col['name']) }} is null
                then 'unparseable {{ col["name"] }}'
        {%- endfor %}
            when 1 = 0 then 'none'
        end as raw_parse_error
    from
    {%- if delivered is none %}
        (select 1 as no_rows) as raw_rows
    {%- else %}
        {{ relation }} as raw_rows
    {%- endif %}
    {%- for col in spec['columns'] if col['vocabulary'] %}
    left join ({{ vocabulary_lookup(col['vocabulary']) }}) as vocab_{{ col['staged'] }}
        on lower({{ staged[col['name']] }}) = vocab_{{ col['staged'] }}.match_value
    {%- endfor %}
    {%- if delivered is none %}
    where 1 = 0
    {%- elif key_in is not none %}
    {%- set key_column = (spec['columns'] | selectattr('staged', 'equalto', spec['staged_key'][0]) | first)['name'] %}
    where {{ null_safe_key_hash(staged[key_column]) }} in {{ key_in }}
    {%- endif %}
{%- endmacro %}

{#- The instant a row was loaded, the reference of the "after the load" rules: the row's own
    loaded_at on event tables, the file's load time elsewhere. -#}
{% macro raw_load_instant(table_name, relation) -%}
    {%- if raw_contract_table(table_name)['event'] -%}
        {{ relation }}.loaded_at
    {%- else -%}
        {{ raw_file_loaded_at(table_name) }}
    {%- endif -%}
{%- endmacro %}

{% macro raw_quarantine_rules(table_name, relation='derived') -%}
    {%- set spec = raw_contract_table(table_name) -%}
    {%- set tolerance = var('quality_future_tolerance_hours') -%}
    {%- set load_instant = raw_load_instant(table_name, relation) %}
        when {{ relation }}.raw_parse_error is not null then {{ relation }}.raw_parse_error
    {%- for col in spec['columns'] if col['required'] %}
        when {{ relation }}.{{ col['staged'] }} is null then 'null {{ col["name"] }}'
    {%- endfor %}
    {%- for fk in spec['foreign_keys'] if raw_table_delivered(fk['parent']) %}
        when {{ relation }}.{{ fk['staged'] }} is not null and parent_{{ fk['column'] }}.parent_key is null
            then 'orphan {{ fk["column"] }}'
    {%- endfor %}
    {%- for col in spec['columns'] if col['type'] in ['timestamp', 'date'] %}
        {%- set value = relation ~ '.' ~ col['staged'] %}
        {%- set earliest = quality_min_timestamp() if col['type'] == 'timestamp' else 'cast(' ~ quality_min_timestamp() ~ ' as date)' %}
        when {{ value }} < {{ earliest }}
            then '{{ col["name"] }} before {{ var("quality_min_timestamp") }}'
        {%- if col['name'] != 'loaded_at' and not col['future_ok'] %}
        {%- set latest = dbt.dateadd('hour', tolerance, load_instant) %}
        when {{ value }} > {{ latest if col['type'] == 'timestamp' else 'cast(' ~ latest ~ ' as date)' }}
            then '{{ col["name"] }} after the load'
        {%- endif %}
    {%- endfor %}
    {%- for col in spec['columns'] if col['type'] in ['int64', 'float64'] %}
        {%- set value = relation ~ '.' ~ col['staged'] %}
        {%- if col['type'] == 'float64' %}
        when {{ not_finite(value) }} then '{{ col["name"] }} not finite'
        {%- endif %}
        when {{ value }} < {{ numeric_bound(table_name, col['name'], 'min_value') }}
            then '{{ col["name"] }} below its minimum'
        when {{ value }} > {{ numeric_bound(table_name, col['name'], 'max_value') }}
            then '{{ col["name"] }} above its maximum'
    {%- endfor %}
{%- endmacro %}

{#- One bound of a numeric raw column (seed numeric_bounds; null: unbounded). -#}
{% macro numeric_bound(table_name, column_name, bound) -%}
    (
        select max(bounds.{{ bound }})
        from {{ ref('numeric_bounds') }} as bounds
        where bounds.table_name = '{{ table_name }}' and bounds.column_name = '{{ column_name }}'
    )
{%- endmacro %}

{#- The parents a foreign-key rule compares with (delivered parents only). -#}
{% macro raw_parent_joins(table_name, relation='derived') -%}
    {%- for fk in raw_contract_table(table_name)['foreign_keys'] if raw_table_delivered(fk['parent']) %}
    left join (
        select distinct parent_rows.{{ fk['parent_staged'] }} as parent_key
        from {{ ref('stg_' ~ fk['parent_source'] ~ '__' ~ fk['parent']) }} as parent_rows
    ) as parent_{{ fk['column'] }}
        on {{ relation }}.{{ fk['staged'] }} = parent_{{ fk['column'] }}.parent_key
    {%- endfor %}
{%- endmacro %}

{#-
    The body of a base model: typed rows, derived columns (`derived`: name -> SQL over
    `typed`), and quarantine_reason (the contract's rules, then `extra_rules`: more
    `when ... then` branches over `derived`, with `extra_joins`).
-#}
{% macro base_rows(table_name, derived={}, extra_rules='', extra_joins='', key_in=none) -%}
with

typed as (

    {{ raw_typed_rows(table_name, key_in) }}

),

derived as (

    select
        typed.*
        {%- for name, expression in derived.items() %},
        {{ expression }} as {{ name }}
        {%- endfor %}

    from typed

),

-- A row after the as-of of a point-in-time build (var kpi_as_of) did not exist yet: it is
-- neither staged nor quarantined, and the quarantine rules judge only the rows that did.
checked as (

    select
        derived.*,
        case
            when not {{ as_of_condition(table_name, 'derived') }} then null
            {{- raw_quarantine_rules(table_name, 'derived') }}
            {{- extra_rules }}
        end as quarantine_reason,
        not {{ as_of_condition(table_name, 'derived') }} as is_after_as_of

    from derived
    {{- raw_parent_joins(table_name, 'derived') }}
    {{- extra_joins }}

)

select * from checked
{%- endmacro %}

{#- The clean rows of a base model (money columns as the money type), re-delivered copies of an
    event dropped (latest loaded kept, with first_loaded_at: the load time of the key's first
    copy); `incremental`: only rows loaded since the watermark, or late (docs/incremental.md),
    deduplicated together with the stored row of their key. With var kpi_as_of, only the rows
    that existed and were loaded by then (macros/kpis/as_of.sql); an incremental model then needs
    --full-refresh (its stored rows may lie after the as-of).
    `copies_from_raw`: in a full build, the re-delivered copies (the rare repeated keys) are typed
    from the raw file, after their keys are found, instead of every base row being typed before
    the join to those keys (a view's rows are computed before a join reads them). Only for a base
    model that is the plain `base_rows(table_name)` (no derived columns or extra rules: the copies
    are typed by that call), and only where the base model is a view (not on Spark, whose base
    models are tables). -#}
{% macro staged_rows(table_name, incremental=false, copies_from_raw=false) -%}
    {%- set spec = raw_contract_table(table_name) -%}
    {%- set base = ref('base_' ~ spec['source'] ~ '__' ~ table_name) -%}
    {%- set key = spec['staged_key'][0] -%}
    {%- set base_only = base_only_columns(spec) -%}
    {%- if incremental %}{{ as_of_needs_full_refresh() }}{% endif -%}
    {#- a full build of an event table streams its clean rows twice (keep_latest_loaded); an
        incremental one stores them (candidates reads them twice as well) -#}
    {%- set streamed = spec['event'] and not (incremental and is_incremental()) -%}
    {#- the select list and the condition of a clean row, for `clean` and for the copies -#}
    {%- set clean_columns -%}
        {{ star_except(base_only, base, money_columns(spec)) }}
        {%- if spec['event'] %},
        loaded_at as first_loaded_at
        {%- endif %}
    {%- endset -%}
    {%- set clean_condition -%}
        quarantine_reason is null
        and not is_after_as_of
    {%- endset -%}
    {%- set copies = none -%}
    {%- if streamed and copies_from_raw and base_models_are_views() -%}
    {%- set copies -%}
    select
        {{ clean_columns }}
    from (
        {{ base_rows(table_name, key_in='(select repeated_keys.repeated_key_hash from repeated_keys)') | indent(8) }}
    ) as raw_copies
    where
        {{ clean_condition }}
    {%- endset -%}
    {%- endif %}
with

base_rows as {{ cte_not_materialized() }} (

    select * from {{ base }}

),

clean as {{ cte_not_materialized() if streamed }} (

    select
        {{ clean_columns }}
    from base_rows
    where
        {{ clean_condition }}
        {%- if incremental %}
        and {{ loaded_since_watermark(
            'loaded_at', late_models=[this.identifier], late_source=base, late_key=key, late_table=table_name,
            raw_base=base,
        ) }}
        {%- endif %}

){%- if spec['event'] %},

{%- if incremental and is_incremental() %}
{{- require_stored_column('first_loaded_at', 'column') }}

-- The stored row of each key read again: the latest copy wins, whichever run loaded it.
candidates as (

    select * from clean
    union all
    select
        {%- for column in relation_column_names(base, base_only) + ['first_loaded_at'] %}
        stored.{{ column }}{{ "," if not loop.last }}
        {%- endfor %}
    from {{ this }} as stored
    where stored.{{ key }} in (select clean.{{ key }} from clean)

),
{%- endif %}

deduplicated as (

    {{ keep_latest_loaded(
        'candidates' if incremental and is_incremental() else 'clean',
        key,
        columns=relation_column_names(base, base_only) + ['first_loaded_at'],
        first_loaded_column='first_loaded_at',
        keys_from=base if streamed else none,
        copies=copies,
    ) }}

)

select *{{ incremental_key_bucket(spec['staged_key'][0]) if incremental }} from deduplicated
{%- else %}

select * from clean
{%- endif %}
{%- endmacro %}

{#- The columns of a base model that staging does not keep: quarantine_reason, raw_parse_error,
    is_after_as_of and, on an event table, raw_loaded_at (the quarantine keeps quarantine_reason). -#}
{% macro base_only_columns(spec) -%}
    {{ return(['quarantine_reason', 'raw_parse_error', 'is_after_as_of'] + (['raw_loaded_at'] if spec['event'] else [])) }}
{%- endmacro %}

{#- The column names of a built relation, less `excluded` (none while dbt parses). -#}
{% macro relation_column_names(relation, excluded=[]) -%}
    {%- if not execute -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set names = [] -%}
    {%- for column in adapter.get_columns_in_relation(relation) if column.name | lower not in excluded -%}
        {%- do names.append(column.name) -%}
    {%- endfor -%}
    {{ return(names) }}
{%- endmacro %}

{#- The money columns of a table, cast to the exact money type (their values are finite and
    within bounds: a row breaking either rule is quarantined). -#}
{% macro money_columns(spec) -%}
    {%- set casts = {} -%}
    {%- for col in spec['columns'] if col['money'] -%}
        {%- do casts.update({col['staged']: money(col['staged'])}) -%}
    {%- endfor -%}
    {{ return(casts) }}
{%- endmacro %}

{#- The rows of a base model that staging set aside, with their reason.
    `from_raw`: first the key hashes of the quarantined rows, from the base model's key and rule
    columns alone (a view's other columns are then never typed), then only the raw rows of those
    hashes typed in full (raw_typed_rows' key_in). Exactly the base model's quarantined rows: each
    of them has its key's hash in the set, and the reason is judged again on the rows read. Same
    conditions as staged_rows' copies_from_raw: a plain base model, not on Spark. -#}
{% macro quarantined_rows(table_name, from_raw=false) -%}
    {%- set spec = raw_contract_table(table_name) -%}
    {%- set base = ref('base_' ~ spec['source'] ~ '__' ~ table_name) -%}
    {%- set kept = base_only_columns(spec) | reject('equalto', 'quarantine_reason') | list -%}
    {%- if from_raw and base_models_are_views() %}
with

quarantined_keys as (

    select distinct {{ null_safe_key_hash('base_rows.' ~ spec['staged_key'][0]) }} as quarantined_key_hash
    from {{ base }} as base_rows
    where base_rows.quarantine_reason is not null

),

base_rows as (

    {{ base_rows(table_name, key_in='(select quarantined_keys.quarantined_key_hash from quarantined_keys)') | indent(4) }}

)
    {%- else %}
with

base_rows as (

    select * from {{ base }}

)
    {%- endif %}

select {{ star_except(kept, base) }}
from base_rows
where quarantine_reason is not null
{%- endmacro %}
