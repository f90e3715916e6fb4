{#-
    dbt.datediff and dbt.dateadd on Spark, to the microsecond (overrides of dbt-spark's
    spark__datediff / spark__dateadd; a root project's adapter macro wins over the adapter's).

    dbt-spark counts through Unix seconds: dateadd drops the fraction of a second (and adds a
    microsecond count as whole seconds), datediff in microseconds reads the digits of the
    timestamp's text (null when it has no fraction), and a datediff in hours is a rounded-up
    quotient, not a count of hour boundaries. Here, as on DuckDB and Postgres:

    * datediff counts the boundaries of `datepart` between the two instants (hour: how many
      times the clock's hour changes; microsecond: the exact difference). Week: dbt-spark's.
    * dateadd adds whole units with timestampadd (months clamp to the month's last day, as
      everywhere); sub-second parts are kept.

    Times are UTC (the profile's spark.sql.session.timeZone), so Unix microseconds line up with
    calendar boundaries.
-#}
{% macro spark__datediff(first_date, second_date, datepart) -%}
    {%- set micros_per = {'microsecond': 1, 'millisecond': 1000, 'second': 1000000,
                          'minute': 60000000, 'hour': 3600000000} -%}
    {%- if datepart in micros_per -%}
        {%- set first = 'unix_micros(cast(' ~ first_date ~ ' as timestamp))' -%}
        {%- set second = 'unix_micros(cast(' ~ second_date ~ ' as timestamp))' -%}
        {%- if datepart == 'microsecond' -%}
            ({{ second }} - {{ first }})
        {%- else -%}
            (floor({{ second }} / {{ micros_per[datepart] }}) - floor({{ first }} / {{ micros_per[datepart] }}))
        {%- endif -%}
    {%- elif datepart == 'day' -%}
        datediff(to_date({{ second_date }}), to_date({{ first_date }}))
    {%- elif datepart in ['month', 'quarter', 'year'] -%}
        {%- set per_year = {'month': 12, 'quarter': 4, 'year': 1}[datepart] -%}
        {%- set part = {'month': 'month', 'quarter': 'quarter', 'year': 'year'}[datepart] -%}
        (
            (year({{ second_date }}) * {{ per_year }}{{ ' + ' ~ part ~ '(' ~ second_date ~ ')' if per_year > 1 }})
            - (year({{ first_date }}) * {{ per_year }}{{ ' + ' ~ part ~ '(' ~ first_date ~ ')' if per_year > 1 }})
        )
    {%- else -%}
        {{ return(dbt.spark__datediff(first_date, second_date, datepart)) }}
    {%- endif -%}
{%- endmacro %}

{% macro spark__dateadd(datepart, interval, from_date_or_timestamp) -%}
    {%- set micros_per = {'microsecond': 1, 'millisecond': 1000, 'second': 1000000,
                          'minute': 60000000, 'hour': 3600000000} -%}
    {%- set units = {'day': ('day', 1), 'week': ('day', 7), 'month': ('month', 1),
                     'quarter': ('month', 3), 'year': ('month', 12)} -%}
    {%- if datepart in micros_per -%}
        timestampadd(microsecond, cast(round(({{ interval }}) * {{ micros_per[datepart] }}) as bigint), {{ from_date_or_timestamp }})
    {%- elif datepart in units -%}
        timestampadd({{ units[datepart][0] }}, cast(({{ interval }}) * {{ units[datepart][1] }} as int), {{ from_date_or_timestamp }})
    {%- else -%}
        {{ exceptions.raise_compiler_error("dateadd: no datepart '" ~ datepart ~ "' on Spark") }}
    {%- endif -%}
{%- endmacro %}
