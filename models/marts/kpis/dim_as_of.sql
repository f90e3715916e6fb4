{#-
    The data's "now" every KPI and lifecycle mart was computed at (int_as_of_dates_resolved),
    for BI tools and the report: "data as of ...". One row.
-#}
with

as_of_dates as (

    select * from {{ ref('int_as_of_dates_resolved') }}

),

final as (

    select
        as_of_at,
        as_of_date,
        {{ 'true' if var('kpi_as_of') is not none else 'false' }} as is_point_in_time_build

    from as_of_dates

)

select * from final
