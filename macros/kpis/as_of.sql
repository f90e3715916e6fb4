{#-
    The point-in-time cut of var kpi_as_of (docs/kpis.md, "As-of"). Unset (null), nothing is cut
    and the KPIs' "now" is the data's latest event. Set, every KPI and lifecycle mart is what was
    known at that instant: staging keeps only the rows that existed and were loaded by then
    (contract as_of_columns, loaded_at; the lookup tables accounts, users and campaigns are kept
    whole); merges and deletions of a lead updated later have not
    happened yet; a deal closed later is still open; a response after it never counts.

    kpi_as_of_literal()             the var as a SQL timestamp, or none
    as_of_condition(table, rel)     the staging where-condition (true when the var is unset)
    within_as_of(expression)        expression <= as-of (true when unset or the value is null)
    as_of_needs_full_refresh()      in an incremental model: stop an incremental run with the var set
-#}

{% macro kpi_as_of_literal() -%}
    {%- if var('kpi_as_of') is none -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return("cast('" ~ var('kpi_as_of') ~ "' as " ~ dbt.type_timestamp() ~ ")") }}
{%- endmacro %}

{% macro within_as_of(expression) -%}
    {%- set as_of = kpi_as_of_literal() -%}
    {%- if as_of is none -%}
        (1 = 1)
    {%- else -%}
        ({{ expression }} is null or {{ expression }} <= {{ as_of }})
    {%- endif -%}
{%- endmacro %}

{% macro as_of_condition(table_name, relation) -%}
    {%- set spec = raw_contract_table(table_name) -%}
    {%- set as_of = kpi_as_of_literal() -%}
    {%- if as_of is none -%}
        (1 = 1)
    {%- else -%}
        {%- set instants = [] -%}
        {%- for column in spec['as_of_columns'] -%}
            {%- do instants.append('cast(' ~ relation ~ '.' ~ column ~ ' as ' ~ dbt.type_timestamp() ~ ')') -%}
        {%- endfor -%}
        {%- set conditions = [] -%}
        {%- if instants | length > 0 -%}
            {%- set arrived = instants[0] if instants | length == 1 else 'coalesce(' ~ instants | join(', ') ~ ')' -%}
            {%- do conditions.append(within_as_of(arrived)) -%}
        {%- endif -%}
        {%- if spec['event'] -%}
            {%- do conditions.append(relation ~ '.loaded_at <= ' ~ as_of) -%}
        {%- endif -%}
        ({{ conditions | join(' and ') if conditions else '1 = 1' }})
    {%- endif -%}
{%- endmacro %}

{#- The stored rows of an incremental model may lie after the as-of: a build with var kpi_as_of
    must rebuild it from every raw row. -#}
{% macro as_of_needs_full_refresh() -%}
    {%- if is_incremental() and var('kpi_as_of') is not none -%}
        {{ exceptions.raise_compiler_error(
            this.identifier ~ ": a build with var kpi_as_of needs --full-refresh (or a fresh warehouse): "
            ~ "the stored rows may lie after the as-of"
        ) }}
    {%- endif -%}
{%- endmacro %}
