{#-
    The data's "now" as one row, for readers of the served marts (the HTML report's header, BI
    tools): var kpi_as_of, or the latest event in the data (int_as_of_dates_resolved). Never the
    wall clock.
-#}
with

as_of as (

    select * from {{ ref('int_as_of_dates_resolved') }}

),

final as (

    select
        as_of.as_of_at,
        as_of.as_of_date,
        {{ 'false' if kpi_as_of_literal() is none else 'true' }} as is_as_of_from_var

    from as_of

)

select * from final
