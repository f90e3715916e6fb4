{#-
    Speed to lead: one row per handoff to sales, i.e. each MQL entry and each SQL entry of a live
    lead. The response is the first sales activity (stg_crm__activities, merged records
    included) at or after the handoff and before the lead's next entry into the same stage (the
    next handoff of that kind gets its own response); an activity before the handoff never
    counts. response_minutes = handoff -> response. SLA bucket from seed
    speed_to_lead_sla_buckets (min_minutes <= response_minutes < max_minutes; never = no
    response). A handoff without a response that is younger than the SLA horizon (the largest
    max_minutes of the is_within_sla buckets) at the data's as-of is still undecided: its bucket
    is null and is_sla_observable false. Owner and team: the lead's current owner (dim_leads).
-#}
with

{{ import_refs({
    'transitions': 'fct_lead_stage_transitions',
    'leads': 'dim_leads',
    'lead_records': 'int_leads_merges_resolved',
    'activities': 'stg_crm__activities',
    'sla_buckets': 'speed_to_lead_sla_buckets',
    'as_of': 'int_as_of_dates_resolved',
}) }},

sla_horizon as (

    select max(max_minutes) as sla_horizon_minutes

    from sla_buckets
    where is_within_sla

),

handoffs as (

    select
        stage_entry_id as handoff_id,
        lead_id,
        stage as handoff_type,
        entry_number,
        entered_at as handoff_at,
        exited_at as stage_exited_at,
        -- an MQL counts as handed to sales only when opened by evidence of var
        -- mql_handoff_evidence_sources (the CRM's own status by default); an SQL always is
        stage = 'sql' or evidence_source in (
            {%- for source in var('mql_handoff_evidence_sources') %}'{{ source }}'{{ ', ' if not loop.last }}{% endfor -%}
        ) as is_handed_to_sales,
        lead(entered_at) over (
            partition by lead_id, stage
            order by entry_number
        ) as next_handoff_at

    from transitions
    where stage in ('mql', 'sql')

),

lead_activities as (

    select
        lead_records.surviving_lead_id as lead_id,
        activities.activity_id,
        activities.user_id,
        activities.activity_type,
        activities.occurred_at

    from activities
    inner join lead_records
        on activities.lead_id = lead_records.lead_id
    where lead_records.is_history_kept

),

responses as (

    select
        handoffs.handoff_id,
        lead_activities.activity_id,
        lead_activities.user_id,
        lead_activities.activity_type,
        lead_activities.occurred_at,
        row_number() over (
            partition by handoffs.handoff_id
            order by lead_activities.occurred_at, lead_activities.activity_id
        ) as response_rank

    from handoffs
    inner join lead_activities
        on
            handoffs.lead_id = lead_activities.lead_id
            and handoffs.handoff_at <= lead_activities.occurred_at
            and (handoffs.next_handoff_at > lead_activities.occurred_at or handoffs.next_handoff_at is null)

),

measured as (

    select
        handoffs.handoff_id,
        handoffs.lead_id,
        handoffs.handoff_type,
        handoffs.entry_number,
        handoffs.handoff_at,
        handoffs.stage_exited_at,
        handoffs.is_handed_to_sales,
        responses.occurred_at as first_response_at,
        responses.activity_id as response_activity_id,
        responses.user_id as responder_user_id,
        responses.activity_type as response_activity_type,
        {{ elapsed_minutes('handoffs.handoff_at', 'responses.occurred_at') }} as response_minutes,
        {{ elapsed_minutes('handoffs.handoff_at', 'as_of.as_of_at') }} as minutes_observed,
        sla_horizon.sla_horizon_minutes

    from handoffs
    cross join as_of
    cross join sla_horizon
    left join responses
        on
            handoffs.handoff_id = responses.handoff_id
            and responses.response_rank = 1

),

bucketed as (

    select
        measured.*,
        measured.first_response_at is not null
        or measured.minutes_observed >= measured.sla_horizon_minutes as is_sla_observable,
        sla_buckets.sla_bucket,
        sla_buckets.is_within_sla

    from measured
    left join sla_buckets
        on
            (
                measured.response_minutes is not null
                and measured.response_minutes >= sla_buckets.min_minutes
                and (measured.response_minutes < sla_buckets.max_minutes or sla_buckets.max_minutes is null)
            )
            or (
                measured.response_minutes is null
                and measured.minutes_observed >= measured.sla_horizon_minutes
                and sla_buckets.min_minutes is null
                and sla_buckets.max_minutes is null
            )

),

final as (

    select
        bucketed.handoff_id,
        bucketed.lead_id,
        bucketed.handoff_type,
        cast(bucketed.entry_number as {{ dbt.type_int() }}) as entry_number,
        bucketed.handoff_at,
        cast({{ dbt.date_trunc('month', 'bucketed.handoff_at') }} as date) as handoff_month,
        bucketed.stage_exited_at,
        bucketed.is_handed_to_sales,
        leads.owner_id,
        coalesce(leads.owner_team, 'unknown') as owner_team,
        bucketed.first_response_at,
        bucketed.response_activity_id,
        bucketed.responder_user_id,
        bucketed.response_activity_type,
        cast(bucketed.response_minutes as {{ type_double() }}) as response_minutes,
        bucketed.first_response_at is not null as is_responded,
        bucketed.is_sla_observable,
        bucketed.sla_bucket,
        coalesce(bucketed.is_within_sla, false) as is_within_sla

    from bucketed
    left join leads
        on bucketed.lead_id = leads.lead_id

)

select * from final
