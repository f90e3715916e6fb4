{#-
    MQL cycles at their own grain, for the semantic layer's velocity metrics (medians and
    percentiles over cycles sliced by any channel and month, never a median of medians): one row
    per MQL entry (first-time or re-MQL) of a live lead, the steps its cycle reached and the days
    between them (int_mql_cycles_measured; fct_mql_velocity aggregates the same rows per cohort).
-#}
with

cycles as (

    select * from {{ ref('int_mql_cycles_measured') }}

),

final as (

    select
        mql_entry_id,
        lead_id,
        mql_number,
        is_first_mql,
        mql_at,
        mql_month,
        kpi_channel as channel,
        sql_at,
        opportunity_at,
        won_at,
        days_mql_to_sql,
        days_sql_to_opportunity,
        days_opportunity_to_close,
        days_mql_to_won

    from cycles

)

select * from final
