{#-
    Tolerances shared by the staging quarantine rules (macros/staging/raw_staging.sql) and the
    expectation suites in lead_funnel/quality: the quality_* vars in dbt_project.yml.
-#}

{#- The earliest acceptable instant, as a naive UTC timestamp. -#}
{% macro quality_min_timestamp() -%}
    cast('{{ var("quality_min_timestamp") }}' as {{ dbt.type_timestamp() }})
{%- endmacro %}
