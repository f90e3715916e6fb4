{#-
    SLA attainment: one row per handoff month x handoff type (mql, sql) x lead owner (and the
    owner's team) x is_handed_to_sales (MQLs opened by evidence that is no handoff to sales, var
    mql_handoff_evidence_sources, are reported apart: sales never heard of them). sla_attainment_rate = handoffs responded within the SLA / observable handoffs
    (responded, or older than the SLA horizon at the as-of: see fct_speed_to_lead); handoffs
    still undecided are counted but left out of the rate.
-#}
with

handoffs as (

    select * from {{ ref('fct_speed_to_lead') }}

),

aggregated as (

    select
        handoff_month,
        handoff_type,
        owner_id,
        owner_team,
        is_handed_to_sales,
        count(*) as handoffs,
        sum(case when is_sla_observable then 1 else 0 end) as observable_handoffs,
        sum(case when is_responded then 1 else 0 end) as responded_handoffs,
        sum(case when is_within_sla then 1 else 0 end) as handoffs_within_sla,
        sum(case when sla_bucket = 'never' then 1 else 0 end) as handoffs_never_responded,
        {{ percentile_cont('response_minutes', 0.5) }} as median_response_minutes,
        {{ percentile_cont('response_minutes', 0.75) }} as p75_response_minutes

    from handoffs
    group by handoff_month, handoff_type, owner_id, owner_team, is_handed_to_sales

),

final as (

    select
        handoff_month,
        handoff_type,
        owner_id,
        owner_team,
        is_handed_to_sales,
        {{ bigint_counts([
            'handoffs', 'observable_handoffs', 'responded_handoffs', 'handoffs_within_sla',
            'handoffs_never_responded',
        ]) }},
        {{ safe_divide('handoffs_within_sla', 'observable_handoffs') }} as sla_attainment_rate,
        cast(median_response_minutes as {{ type_double() }}) as median_response_minutes,
        cast(p75_response_minutes as {{ type_double() }}) as p75_response_minutes

    from aggregated

)

select * from final
