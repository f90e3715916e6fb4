{#-
    Incremental models on Spark without a table format that can update rows (Delta, Iceberg,
    Hudi: their jars are not part of pyspark and need a download; docs/engines.md).

    Plain Parquet tables cannot delete or merge rows, but Spark can overwrite whole partitions
    (insert_overwrite with spark.sql.sources.partitionOverwriteMode=dynamic). So on Spark each
    incremental model is partitioned by a bucket of its unique key:

        _key_bucket = pmod(xxhash64(<unique key columns>), var('incremental_key_buckets'))

    and a run overwrites exactly the buckets its batch touches, with

        the batch (the model's rows: new events, or every row of a re-computed key)
        + the stored rows of those buckets whose key is not in the batch.

    That is delete+insert on the unique key, bucket by bucket: a key in the batch loses all
    its stored rows (whatever the model's grain: the score ledger replaces all awards of a
    lead), every other key keeps its rows. The cost of a run is the rows of the touched
    buckets: new event ids spread over every bucket, so an event table is rewritten in full
    (its raw files are still read incrementally); per-key aggregates touched by few keys
    rewrite few buckets. Delta / Iceberg / Hudi (var spark_file_format) use merge instead.

    Every other adapter: no partition, no extra column; nothing here renders.
-#}

{% macro spark_table_format_has_merge() -%}
    {{ return(var('spark_file_format') in ['delta', 'iceberg', 'hudi']) }}
{%- endmacro %}

{#- The partition_by config of an incremental model: the key bucket on Spark, none elsewhere. -#}
{% macro incremental_partition_by() -%}
    {{ return(['_key_bucket'] if target.type == 'spark' else none) }}
{%- endmacro %}

{#- `, <bucket> as _key_bucket` after a select list on Spark (the partition column, last, as Spark
    stores partition columns); nothing elsewhere. `unique_key`: a column or a list of columns. -#}
{% macro incremental_key_bucket(unique_key, relation=none) -%}
    {%- if target.type == 'spark' -%}
        {%- set keys = [unique_key] if unique_key is string else unique_key -%}
        {%- set prefix = relation ~ '.' if relation else '' -%}
        , pmod(xxhash64({{ prefix ~ keys | join(', ' ~ prefix) }}), {{ var('incremental_key_buckets') | int }}) as _key_bucket
    {%- endif -%}
{%- endmacro %}

{#-
    dbt-spark's insert_overwrite, for a model partitioned by the key bucket: the batch plus the
    stored rows of the touched buckets whose key is not in the batch (null-safe key equality).
    Any other partitioning: dbt-spark's own statement. Spark reads the stored rows before it
    replaces the partitions (dynamic partition overwrite writes to a staging folder first).
-#}
{% macro get_insert_overwrite_sql(source_relation, target_relation, existing_relation) -%}
    {%- set unique_key = config.get('unique_key') -%}
    {%- if '_key_bucket' not in (config.get('partition_by') or []) or not unique_key -%}
        {{ return(dbt.get_insert_overwrite_sql(source_relation, target_relation, existing_relation)) }}
    {%- endif -%}
    {%- set keys = [unique_key] if unique_key is string else unique_key -%}
    {%- set columns = adapter.get_columns_in_relation(target_relation) | map(attribute='quoted') | join(', ') -%}
    insert overwrite table {{ target_relation }} partition (_key_bucket)
    select {{ columns }} from {{ source_relation }}
    union all
    select {{ columns }}
    from {{ target_relation }} as stored
    where
        stored._key_bucket in (select batch._key_bucket from {{ source_relation }} as batch)
        and not exists (
            select 1
            from {{ source_relation }} as batch
            where
            {%- for key in keys %}
                batch.{{ key }} <=> stored.{{ key }}{{ ' and' if not loop.last }}
            {%- endfor %}
        )
{%- endmacro %}

{#-
    `delete from relation where condition`, dispatched: Spark cannot delete from a Parquet table,
    so the key-bucketed incremental models (the score ledger's post-hook) rewrite each bucket
    that holds a row to delete with its other rows, and drop the buckets left empty.
-#}
{% macro delete_where(relation, condition) -%}
    {{ return(adapter.dispatch('delete_where', 'lead_funnel')(relation, condition)) }}
{%- endmacro %}

{% macro default__delete_where(relation, condition) -%}
    delete from {{ relation }} where {{ condition }}
{%- endmacro %}

{% macro spark__delete_where(relation, condition) -%}
    {%- if spark_table_format_has_merge() -%}
        {{ return(default__delete_where(relation, condition)) }}
    {%- endif -%}
    {%- set deleted = 'coalesce((' ~ condition ~ '), false)' -%}
    {%- if execute -%}
        {#- Every bucket holding a row to delete, and whether any of its rows stays. -#}
        {%- set affected = run_query(
            'select _key_bucket, max(case when ' ~ deleted ~ ' then 0 else 1 end) as keeps_rows'
            ~ ' from ' ~ relation ~ ' group by _key_bucket'
            ~ ' having max(case when ' ~ deleted ~ ' then 1 else 0 end) = 1'
        ) -%}
        {%- set kept = [] -%}
        {%- for row in affected.rows -%}
            {%- if row[1] | int == 1 -%}
                {%- do kept.append(row[0] | string) -%}
            {%- else -%}
                {%- do run_query('alter table ' ~ relation ~ ' drop if exists partition (_key_bucket = ' ~ row[0] ~ ')') -%}
            {%- endif -%}
        {%- endfor -%}
        {%- if kept -%}
            {%- do run_query(
                'insert overwrite table ' ~ relation ~ ' partition (_key_bucket) select * from ' ~ relation
                ~ ' where _key_bucket in (' ~ kept | join(', ') ~ ') and not ' ~ deleted
            ) -%}
        {%- endif -%}
    {%- endif -%}
    {{ return('') }}
{%- endmacro %}
