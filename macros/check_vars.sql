{#-
    Every var of dbt_project.yml is checked before anything runs (on-run-start): an invalid value
    stops the build with one line naming the var, the value and what is allowed. Returns no SQL.
-#}
{% macro check_vars() -%}
    {%- set errors = [] -%}
    {%- set choices = {
        'crm_source_system': ['salesforce', 'hubspot', 'marketo'],
        'mql_evidence_source': ['crm', 'score', 'earliest'],
        'kpi_channel_model': ['lead_source', 'first_touch', 'last_touch'],
        'kpi_attribution_model': ['first_touch', 'last_touch', 'linear', 'u_shape'],
        'spark_file_format': ['parquet', 'delta', 'iceberg', 'hudi'],
    } -%}
    {%- for name, allowed in choices.items() -%}
        {%- if var(name) not in allowed -%}
            {%- do errors.append(name ~ ' = ' ~ var(name) ~ ': allowed ' ~ allowed | join(', ')) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set positive_whole = [
        'lead_merge_max_depth', 'scoring_days_per_month', 'scoring_backtest_window_days',
        'kpi_max_days', 'mql_acceptance_days', 'incremental_key_buckets', 'scoring_batch_awards',
    ] -%}
    {%- for name in positive_whole if not _var_is_whole(var(name), 1) -%}
        {%- do errors.append(name ~ ' = ' ~ var(name) ~ ': allowed a whole number >= 1') -%}
    {%- endfor -%}
    {%- if not _var_is_whole(var('incremental_late_window_days'), 0) -%}
        {%- do errors.append('incremental_late_window_days = ' ~ var('incremental_late_window_days')
            ~ ': allowed a whole number of days >= 0') -%}
    {%- endif -%}
    {%- for name in ['incremental_lookback_hours', 'quality_future_tolerance_hours', 'quality_lead_life_tolerance_hours']
        if not _var_is_whole(var(name), 0) -%}
        {%- do errors.append(name ~ ' = ' ~ var(name) ~ ': allowed a whole number of hours >= 0') -%}
    {%- endfor -%}
    {%- if not _var_is_number(var('kpi_stale_mql_hours'), 0) -%}
        {%- do errors.append('kpi_stale_mql_hours = ' ~ var('kpi_stale_mql_hours') ~ ': allowed a number of hours > 0') -%}
    {%- endif -%}
    {%- set shares = {'quarantine_max_share': var('quarantine_max_share')} -%}
    {%- for table_name, share in (var('quarantine_max_share_by_table') or {}).items() -%}
        {%- do shares.update({'quarantine_max_share_by_table.' ~ table_name: share}) -%}
    {%- endfor -%}
    {%- for name, share in shares.items() if not (_var_is_number(share, -1) and share | float <= 1) -%}
        {%- do errors.append(name ~ ' = ' ~ share ~ ': allowed a share from 0 to 1') -%}
    {%- endfor -%}
    {%- for name in ['kpi_as_of', 'scoring_as_of'] if var(name) is not none and not _var_is_instant(var(name)) -%}
        {%- do errors.append(name ~ " = " ~ var(name) ~ ": allowed null (the data's latest event) or a UTC timestamp 'YYYY-MM-DD[ HH:MM:SS]'") -%}
    {%- endfor -%}
    {%- for name in ['quality_min_timestamp'] if not _var_is_instant(var(name)) -%}
        {%- do errors.append(name ~ " = " ~ var(name) ~ ": allowed a date 'YYYY-MM-DD'") -%}
    {%- endfor -%}
    {%- set sources = ['crm_status', 'crm_snapshot', 'score_threshold', 'hand_raise'] -%}
    {%- for source in var('mql_handoff_evidence_sources') if source not in sources -%}
        {%- do errors.append('mql_handoff_evidence_sources has ' ~ source ~ ': allowed ' ~ sources | join(', ')) -%}
    {%- endfor -%}
    {%- if errors -%}
        {{ exceptions.raise_compiler_error('invalid var(s): ' ~ errors | join('; ')) }}
    {%- endif -%}
{%- endmacro %}

{% macro _var_is_whole(value, minimum) -%}
    {{ return((value | string | trim) == (value | int | string) and (value | int) >= minimum) }}
{%- endmacro %}

{% macro _var_is_number(value, above) -%}
    {{ return(modules.re.match('^-?[0-9]+(\\.[0-9]+)?$', value | string | trim) is not none and (value | float) > above) }}
{%- endmacro %}

{% macro _var_is_instant(value) -%}
    {%- set pattern = '^[0-9]{4}-[0-9]{2}-[0-9]{2}([ T][0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]+)?)?)?$' -%}
    {%- if modules.re.match(pattern, value | string | trim) is none -%}
        {{ return(false) }}
    {%- endif -%}
    {%- set day = '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$' -%}
    {{ return(modules.re.match(day, (value | string | trim)[:10]) is not none) }}
{%- endmacro %}
