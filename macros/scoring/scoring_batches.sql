{#-
    Scoring in batches of leads (docs/scoring.md, "Batches"): the running sums of lead_scores_at
    are window functions over every award, award end and instant of the leads scored, and a
    window operator partitions and sorts its whole input before it sums: at 1M leads (31M awards)
    one statement spilled 38 GB and ran out of memory under a 3 GB limit when another model ran
    beside it (BENCHMARKS.md). A full build of a scoring model therefore scores its leads in
    batches of about var scoring_batch_awards awards (a hash of lead_id modulo the batch count):
    each lead's scores depend on its own rows only, so the result is the same rows, and the
    memory of one statement is bounded whatever the size of the data.

    Buckets: every lead has a scoring bucket, 0 to var scoring_buckets - 1 (scoring_bucket(), a
    hash of lead_id), and a batch is a range of buckets. int_score_awards_scheduled stores the
    bucket (column scoring_bucket) and, on DuckDB, its rows in bucket order
    (store_rows_in_order): each batch's filter on the stored column skips the row groups of the
    other batches instead of reading the 31M awards at 1M leads and hashing every lead_id
    (a snapshot batch fell from 3.5 s to 2.4 s; BENCHMARKS.md). int_lead_scores_evaluated stores
    the bucket too: a full build inserts its rows batch by batch, in bucket order already, and
    each snapshot batch reads its leads' scores by it.

    scoring_batch_imports(relations, key_column='lead_id', bucket_columns={})
        One CTE per entry of `relations` (CTE name -> relation or CTE): its rows of the leads of
        this statement's batch. `bucket_columns` (CTE name -> column): the relations that store
        the bucket (int_score_awards_scheduled.scoring_bucket) are filtered on it; the others on
        the bucket computed from `key_column`. The model's SQL (dbt's compiled code) is the first
        batch; with one batch (small data, an incremental run, an engine without batches) it is
        every row, read in place (`not materialized`: stored, it would be a copy of every award
        for the query; the rows of one of several batches, read by several CTEs, are stored).
    run_scoring_batches()
        The post-hook of a batched model (first of its post-hooks): inserts the other batches,
        each the model's compiled code with its batch number in place of the first's.

    The batch count is read when the model runs: ceil(rows of int_score_awards_scheduled / var
    scoring_batch_awards), at most var scoring_buckets, on a full build (the table is created),
    1 on an incremental run (it re-computes the leads whose inputs changed, a day's worth), in a
    unit test, before the awards
    are built and on Spark (whose windows spill by partition). An incremental run after a change
    of the scoring seeds or vars re-computes every lead in one statement: at scale, rebuild the
    scoring models with --full-refresh then.
-#}

{% macro scoring_batch_count() -%}
    {{ return(adapter.dispatch('scoring_batch_count', 'lead_funnel')()) }}
{%- endmacro %}

{% macro default__scoring_batch_count() -%}
    {#- a unit test (fixture CTEs in place of the refs) scores in one statement -#}
    {%- if not execute or is_incremental() or model.resource_type != 'model' -%}
        {{ return(1) }}
    {%- endif -%}
    {#- not built yet (dbt compile, the linter): one batch -#}
    {%- set awards_relation = load_relation(ref('int_score_awards_scheduled')) -%}
    {%- if awards_relation is none -%}
        {{ return(1) }}
    {%- endif -%}
    {%- set awards = run_query('select count(*) from ' ~ awards_relation).rows[0][0] | int -%}
    {%- set per_batch = var('scoring_batch_awards') | int -%}
    {{ return([1, [(awards + per_batch - 1) // per_batch, var('scoring_buckets') | int] | min] | max) }}
{%- endmacro %}

{% macro spark__scoring_batch_count() -%}
    {{ return(1) }}
{%- endmacro %}

{#- A lead's scoring bucket: 0 to var scoring_buckets - 1. -#}
{% macro scoring_bucket(key_column) -%}
    {%- set buckets = var('scoring_buckets') | int -%}
    cast(({{ key_hash(key_column) }} % {{ buckets }} + {{ buckets }}) % {{ buckets }} as {{ dbt.type_int() }})
{%- endmacro %}

{#- The buckets of batch `batch` of `batches` (a range; every bucket in exactly one batch), with the
    marker of the batch in the compiled code, which run_scoring_batches() replaces. -#}
{% macro _scoring_batch_marker(batch, batches) -%}
    {%- set buckets = var('scoring_buckets') | int -%}
    {%- set first = (batch * buckets) // batches -%}
    {%- set last = ((batch + 1) * buckets) // batches - 1 -%}
    {{ return('between ' ~ first ~ ' and ' ~ last ~ ' ' ~ _scoring_batch_label(batch, batches)) }}
{%- endmacro %}

{#- The comment naming batch `batch` of `batches` in the marker. -#}
{% macro _scoring_batch_label(batch, batches) -%}
    {{ return('/* scoring batch ' ~ batch ~ ' of ' ~ batches ~ ' */') }}
{%- endmacro %}

{% macro scoring_batch_imports(relations, key_column='lead_id', bucket_columns={}) -%}
    {%- set batches = scoring_batch_count() -%}
    {%- for name, relation in relations.items() %}
{{ name }} as {{ cte_not_materialized() if batches == 1 }} (

    select * from {{ relation }}
    {%- if batches > 1 %}
    where {{ bucket_columns[name] if name in bucket_columns else scoring_bucket(key_column) }} {{ _scoring_batch_marker(0, batches) }}
    {%- endif %}

),
    {%- endfor %}
{%- endmacro %}

{% macro run_scoring_batches() -%}
    {#- the first batch's marker, its batch count read back -#}
    {%- set pattern = 'between 0 and [0-9]+ '
        ~ (modules.re.escape(_scoring_batch_label(0, 'BATCHES')) | replace('BATCHES', '([0-9]+)')) -%}
    {%- set found = modules.re.search(pattern, sql or '') -%}
    {%- if not found -%}
        {{ return('') }}
    {%- endif -%}
    {%- set batches = found.group(1) | int -%}
    {%- set columns = adapter.get_columns_in_relation(this) | map(attribute='quoted') | join(', ') -%}
    {%- for batch in range(1, batches) -%}
        {%- call statement('scoring_batch_' ~ batch) -%}
            insert into {{ this }} ({{ columns }})
            select {{ columns }} from (
                {{ sql | replace(_scoring_batch_marker(0, batches), _scoring_batch_marker(batch, batches)) }}
            ) as scoring_batch
        {%- endcall -%}
    {%- endfor -%}
    {{ log(this.identifier ~ ': scored in ' ~ batches ~ ' batches of leads', info=false) }}
{%- endmacro %}
