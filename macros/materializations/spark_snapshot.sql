{#-
    dbt-spark's snapshot materialization, for Parquet tables too. dbt-spark refuses snapshots
    unless the table format is Delta, Iceberg or Hudi (it applies the changes with MERGE INTO),
    and those formats need jars that pyspark does not ship. A snapshot table is small (one row
    per version of a record), so on Parquet the changes are applied by rewriting it: the stored
    versions, with dbt_valid_to set where the staging rows close them, plus the new versions,
    written to a work table and copied back with insert overwrite (Spark cannot overwrite a
    table it is reading). Delta / Iceberg / Hudi (var spark_file_format) still MERGE.
    The staging rows, strategies and columns are dbt's own (snapshot_staging_table,
    build_snapshot_table), so the table holds what dbt's snapshot holds on any other adapter.
-#}
{% materialization snapshot, adapter='spark' %}

  {%- set target_table = model.get('alias', model.get('name')) -%}
  {%- set strategy_name = config.get('strategy') -%}
  {%- set file_format = config.get('file_format') or 'parquet' -%}
  {%- set grant_config = config.get('grants') -%}
  {%- set merges = file_format in ['delta', 'iceberg', 'hudi'] -%}

  {% set target_relation_exists, target_relation = get_or_create_relation(
          database=none,
          schema=model.schema,
          identifier=target_table,
          type='table') -%}

  {%- if not merges and config.get('dbt_valid_to_current') -%}
    {% do exceptions.raise_compiler_error('dbt_valid_to_current needs a Delta, Iceberg or Hudi snapshot on Spark') %}
  {%- endif -%}

  {% if not adapter.check_schema_exists(model.database, model.schema) %}
    {% do create_schema(model.schema) %}
  {% endif %}

  {%- if not target_relation.is_table -%}
    {% do exceptions.relation_wrong_type(target_relation, 'table') %}
  {%- endif -%}

  {{ run_hooks(pre_hooks, inside_transaction=False) }}
  {{ run_hooks(pre_hooks, inside_transaction=True) }}

  {% set strategy_macro = strategy_dispatch(strategy_name) %}
  {% set strategy = strategy_macro(model, "snapshotted_data", "source_data", model['config'], target_relation_exists) %}

  {% if not target_relation_exists %}

      {% set build_sql = build_snapshot_table(strategy, model['compiled_code']) %}
      {% set final_sql = create_table_as(False, target_relation, build_sql) %}

  {% else %}

      {% set columns = config.get("snapshot_table_column_names") or get_snapshot_table_column_names() %}
      {{ adapter.valid_snapshot_target(target_relation, columns) }}

      {% set staging_table = spark_build_snapshot_staging_table(strategy, sql, target_relation) %}

      {% set missing_columns = adapter.get_missing_columns(staging_table, target_relation)
                                   | rejectattr('name', 'in', ['dbt_change_type', 'DBT_CHANGE_TYPE', 'dbt_unique_key', 'DBT_UNIQUE_KEY'])
                                   | list %}
      {% do create_columns(target_relation, missing_columns) %}

      {% if merges %}
        {% set source_columns = adapter.get_columns_in_relation(staging_table)
                                     | rejectattr('name', 'in', ['dbt_change_type', 'DBT_CHANGE_TYPE', 'dbt_unique_key', 'DBT_UNIQUE_KEY'])
                                     | list %}
        {% set quoted_source_columns = [] %}
        {% for column in source_columns %}
          {% do quoted_source_columns.append(adapter.quote(column.name)) %}
        {% endfor %}
        {% set final_sql = snapshot_merge_sql(
              target=target_relation, source=staging_table, insert_cols=quoted_source_columns
           ) %}
      {% else %}
        {% set work_relation = target_relation.incorporate(path={"identifier": target_table ~ '__dbt_rewrite'}) %}
        {% do adapter.drop_relation(work_relation) %}
        {% call statement('build_snapshot_rewrite') %}
          create table {{ work_relation }} using parquet as
          {{ snapshot_rewrite_sql(target_relation, staging_table, columns) }}
        {% endcall %}
        {% set final_sql = 'insert overwrite table ' ~ target_relation ~ ' select * from ' ~ work_relation %}
      {% endif %}

  {% endif %}

  {% call statement('main') %}
      {{ final_sql }}
  {% endcall %}

  {% if work_relation is defined %}
      {% do adapter.drop_relation(work_relation) %}
  {% endif %}

  {% set should_revoke = should_revoke(target_relation_exists, full_refresh_mode) %}
  {% do apply_grants(target_relation, grant_config, should_revoke) %}
  {% do persist_docs(target_relation, model) %}

  {{ run_hooks(post_hooks, inside_transaction=True) }}
  {{ adapter.commit() }}

  {% if staging_table is defined %}
      {% do post_snapshot(staging_table) %}
  {% endif %}

  {{ run_hooks(post_hooks, inside_transaction=False) }}

  {{ return({'relations': [target_relation]}) }}

{% endmaterialization %}

{#- Every stored version (dbt_valid_to set where an 'update' or 'delete' staging row closes a current
    version, as dbt's MERGE sets it), then the staging rows to insert, in the target's column order. -#}
{% macro snapshot_rewrite_sql(target_relation, staging_relation, columns) -%}
    {%- set target_columns = adapter.get_columns_in_relation(target_relation) | map(attribute='name') | list -%}
    select
    {%- for column in target_columns %}
        {%- if column | lower == columns.dbt_valid_to | lower %}
        case
            when closing.{{ columns.dbt_scd_id }} is not null then closing.{{ columns.dbt_valid_to }}
            else stored.{{ column }}
        end as {{ column }}
        {%- else %}
        stored.{{ column }}
        {%- endif %}{{ ',' if not loop.last }}
    {%- endfor %}
    from {{ target_relation }} as stored
    left join (
        select * from {{ staging_relation }} where dbt_change_type in ('update', 'delete')
    ) as closing
        on
            closing.{{ columns.dbt_scd_id }} = stored.{{ columns.dbt_scd_id }}
            and stored.{{ columns.dbt_valid_to }} is null

    union all

    select {{ target_columns | join(', ') }}
    from {{ staging_relation }}
    where dbt_change_type = 'insert'
{%- endmacro %}
