{#-
    Snapshot strategy `corrected_check`: a new version whenever a checked column changes, valid
    from the row's own `updated_at` column (never the wall clock), and a correction is a version
    too. dbt's `check` strategy keys a version by (unique_key, updated_at): a re-export that
    corrects a row without moving its updated_at would get the key of the version it corrects,
    and dbt would close that version without inserting the correction, leaving no current
    version at all. Keyed by the checked values as well, the correction is inserted. The version
    it supersedes closes at the instant the correction starts (a zero-length version when both
    start at the same instant: readers skip those, int_stage_evidence_unioned).
-#}
{% macro snapshot_corrected_check_strategy(node, snapshotted_rel, current_rel, model_config, target_exists) %}
    {%- set strategy = snapshot_check_strategy(node, snapshotted_rel, current_rel, model_config, target_exists) -%}
    {%- set scd_args = [config.get('unique_key'), config.get('updated_at')] + config.get('check_cols') -%}
    {%- do strategy.update({'scd_id': snapshot_hash_arguments(scd_args)}) -%}
    {{ return(strategy) }}
{% endmacro %}

{#- The version each record of snapshot `relation` holds now (lead_id, dbt_valid_from): none on
    the first run, before the snapshot exists. -#}
{% macro current_snapshot_versions(relation, unique_key) -%}
    {%- set existing = load_relation(relation) if execute else none -%}
    {%- if existing is not none -%}
        select
            snapshotted.{{ unique_key }},
            snapshotted.dbt_valid_from
        from {{ existing }} as snapshotted
        where snapshotted.dbt_valid_to is null
    {%- else -%}
        select
            cast(null as {{ dbt.type_string() }}) as {{ unique_key }},
            cast(null as {{ dbt.type_timestamp() }}) as dbt_valid_from
        where 1 = 0
    {%- endif -%}
{%- endmacro %}
