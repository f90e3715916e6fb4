{#-
    scoring_add_microseconds(microseconds, instant): `instant` plus a (possibly large) number of
    microseconds, rounded to a whole microsecond. dbt.dateadd('microsecond', ...) on DuckDB
    multiplies an interval by the count, which DuckDB only allows up to 2^31 (about 36 minutes
    of microseconds); the linear-decay end instants of macro lead_scores_at are weeks away.
    Rounded as DuckDB casts a double to an integer (to the nearest); Spark's cast truncates.
-#}
{% macro scoring_add_microseconds(microseconds, instant) -%}
    {{ return(adapter.dispatch('scoring_add_microseconds', 'lead_funnel')(microseconds, instant)) }}
{%- endmacro %}

{% macro default__scoring_add_microseconds(microseconds, instant) -%}
    {{ dbt.dateadd('microsecond', microseconds, instant) }}
{%- endmacro %}

{% macro duckdb__scoring_add_microseconds(microseconds, instant) -%}
    ({{ instant }} + to_microseconds(cast({{ microseconds }} as {{ dbt.type_bigint() }})))
{%- endmacro %}

{% macro spark__scoring_add_microseconds(microseconds, instant) -%}
    timestampadd(microsecond, cast(round({{ microseconds }}) as {{ dbt.type_bigint() }}), {{ instant }})
{%- endmacro %}
