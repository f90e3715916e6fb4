{#-
    Quarantine rules used by the base models in models/staging/<source>/base/.

    A base model computes `quarantine_reason`: the first rule a row breaks, as text, or null.
    Its staging view keeps the rows without a reason; its quarantine table holds the others.
    Each macro below renders `when <condition> then '<reason>'` branches of that case
    expression. The tolerances are the quality_* vars in dbt_project.yml, which the expectation
    suites in lead_funnel/quality read too. Portable: dbt cross-database macros only.
-#}

{#- The earliest acceptable instant, as a naive UTC timestamp. -#}
{% macro quality_min_timestamp() -%}
    cast('{{ var("quality_min_timestamp", "2000-01-01") }}' as {{ dbt.type_timestamp() }})
{%- endmacro %}

{#- The latest acceptable instant: the build time (naive UTC) plus the tolerance. -#}
{% macro quality_max_timestamp() -%}
    {{ dbt.dateadd('hour', var('quality_future_tolerance_hours', 24), to_utc_timestamp(dbt.current_timestamp())) }}
{%- endmacro %}

{#- A row with a null in any of `columns` (keys and required columns of the contract). -#}
{% macro quarantine_when_null(columns, relation='renamed') -%}
    {%- for column in columns %}
        when {{ relation }}.{{ column }} is null then 'null {{ column }}'
    {%- endfor %}
{%- endmacro %}

{#- A row referencing a parent that is not in staging (missing, or itself quarantined). -#}
{% macro quarantine_when_orphan(column, parent_relation, parent_column, relation='renamed') -%}
        when {{ relation }}.{{ column }} is not null and {{ parent_relation }}.{{ parent_column }} is null
            then 'orphan {{ column }}'
{%- endmacro %}

{#-
    Instants before quality_min_timestamp or after the build time + tolerance; with
    `loaded_at`, also instants later than the row's own load time + tolerance.
-#}
{% macro quarantine_when_out_of_range(columns, relation='renamed', loaded_at=none) -%}
    {%- for column in columns %}
        when {{ relation }}.{{ column }} < {{ quality_min_timestamp() }}
            then '{{ column }} before {{ var("quality_min_timestamp", "2000-01-01") }}'
        when {{ relation }}.{{ column }} > {{ quality_max_timestamp() }}
            then '{{ column }} in the future'
        {%- if loaded_at is not none %}
        when {{ relation }}.{{ column }}
            > {{ dbt.dateadd('hour', var('quality_future_tolerance_hours', 24), relation ~ '.' ~ loaded_at) }}
            then '{{ column }} after {{ loaded_at }}'
        {%- endif %}
    {%- endfor %}
{%- endmacro %}

{#- Dates before quality_min_timestamp, and (unless future dates are legitimate) after today. -#}
{% macro quarantine_when_date_out_of_range(columns, relation='renamed', allow_future=false) -%}
    {%- for column in columns %}
        when {{ relation }}.{{ column }} < cast({{ quality_min_timestamp() }} as date)
            then '{{ column }} before {{ var("quality_min_timestamp", "2000-01-01") }}'
        {%- if not allow_future %}
        when {{ relation }}.{{ column }} > cast({{ quality_max_timestamp() }} as date)
            then '{{ column }} in the future'
        {%- endif %}
    {%- endfor %}
{%- endmacro %}

{#- Values below a lower bound (amounts, spend, counts). -#}
{% macro quarantine_when_below(column, lower_bound=0, relation='renamed') -%}
        when {{ relation }}.{{ column }} < {{ lower_bound }}
            then '{{ "negative " ~ column if lower_bound == 0 else column ~ " below " ~ lower_bound }}'
{%- endmacro %}
