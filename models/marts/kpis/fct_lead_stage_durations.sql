{#-
    Time in stage: one row per live lead x stage it ever entered. Latest = the lead's most
    recent entry into the stage; cumulative = all its entries added up (a recycled lead's two MQL
    spells count together). An entry still open is measured up to the data's as-of
    (int_as_of_dates_resolved) and flagged.
-#}
with

{{ import_refs({
    'transitions': 'fct_lead_stage_transitions',
    'as_of': 'int_as_of_dates_resolved',
}) }},

measured as (

    select
        transitions.lead_id,
        transitions.stage,
        transitions.entry_number,
        transitions.entered_at,
        transitions.is_current,
        {{ elapsed_days('transitions.entered_at', 'coalesce(transitions.exited_at, as_of.as_of_at)') }}
            as days_in_entry,
        row_number() over (
            partition by transitions.lead_id, transitions.stage
            order by transitions.entry_number desc
        ) as recency_rank

    from transitions
    cross join as_of

),

final as (

    select
        lead_id,
        stage,
        cast(count(*) as {{ dbt.type_bigint() }}) as entries,
        min(entered_at) as first_entered_at,
        max(case when recency_rank = 1 then entered_at end) as latest_entered_at,
        coalesce(max(case when recency_rank = 1 and is_current then 1 else 0 end), 0) = 1 as is_current_stage,
        cast(max(case when recency_rank = 1 then days_in_entry end) as {{ type_double() }})
            as latest_days_in_stage,
        cast({{ exact_sum('days_in_entry') }} as {{ type_double() }}) as cumulative_days_in_stage

    from measured
    group by lead_id, stage

)

select * from final
