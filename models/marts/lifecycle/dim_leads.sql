{#-
    One row per live lead (not deleted, not merged away): CRM attributes without personal data,
    its account and owner, its channels (lead source, first and last touch, acquisition, and the
    KPI channel every channel split uses), its won deals and a summary of its stage history.
    PII policy (docs/pii_policy.md): lead_id, the pseudonymous lead_key and the email domain;
    never the email, names, phone or title.
-#}
with

{{ import_refs({
    'lead_records': 'int_leads_merges_resolved',
    'leads': 'stg_crm__leads',
    'accounts': 'stg_crm__accounts',
    'users': 'stg_crm__users',
    'transitions': 'fct_lead_stage_transitions',
    'current_scores': 'int_leads_fit_graded',
    'channels': 'int_leads_channels_assigned',
    'opportunities': 'int_opportunities_converted',
}) }},

won_deals as (

    select
        lead_id,
        count(*) as won_deals,
        sum(amount_usd) as won_amount_usd

    from opportunities
    where is_won and lead_id is not null
    group by lead_id

),

merged_records as (

    select
        surviving_lead_id as lead_id,
        count(*) as n_crm_records

    from lead_records
    where is_history_kept
    group by surviving_lead_id

),

stage_summary as (

    select
        lead_id,
        min(entered_at) as first_seen_at,
        min(case when stage = 'mql' then entered_at end) as first_mql_at,
        max(case when stage = 'mql' then entered_at end) as latest_mql_at,
        cast(sum(case when stage = 'mql' then 1 else 0 end) as {{ dbt.type_bigint() }}) as mql_count,
        min(case when stage = 'mql' then lead_entry_number end) as first_mql_entry_number,
        min(case when stage = 'sal' then entered_at end) as first_sal_at,
        min(case when stage = 'sql' then entered_at end) as first_sql_at,
        min(case when stage = 'opportunity' then entered_at end) as first_opportunity_at,
        min(case when stage = 'customer' then entered_at end) as first_customer_at,
        cast(sum(case when is_recycle or is_reopen then 1 else 0 end) as {{ dbt.type_bigint() }}) as recycle_count,
        cast(sum(case when is_reopen then 1 else 0 end) as {{ dbt.type_bigint() }}) as reopen_count,
        cast(sum(case when stage = 'disqualified' then 1 else 0 end) as {{ dbt.type_bigint() }}) as disqualified_count,
        count(*) as stage_entry_count

    from transitions
    group by lead_id

),

-- The first SQL entry after the first MQL entry (in entry order).
sql_after_first_mql as (

    select
        transitions.lead_id,
        min(transitions.entered_at) as sql_after_first_mql_at

    from transitions
    inner join stage_summary
        on transitions.lead_id = stage_summary.lead_id
    where
        transitions.stage = 'sql'
        and transitions.lead_entry_number > stage_summary.first_mql_entry_number
    group by transitions.lead_id

),

current_stages as (

    select
        lead_id,
        stage as current_stage,
        entered_at as current_stage_entered_at

    from transitions
    where is_current

),

final as (

    select
        leads.lead_id,
        {{ pseudonymous_key('leads.lead_id') }} as lead_key,
        leads.lead_source,
        leads.lead_source_channel,
        channels.first_touch_channel,
        channels.last_touch_channel,
        channels.acquisition_channel,
        channels.acquisition_campaign_id,
        channels.kpi_channel,
        leads.email_domain,
        leads.created_at,
        merged_records.n_crm_records,
        leads.account_id,
        accounts.industry as account_industry,
        accounts.employee_count as account_employee_count,
        accounts.country_code as account_country_code,
        accounts.is_target_account,
        leads.owner_id,
        users.team as owner_team,
        users.user_role as owner_role,
        current_stages.current_stage,
        current_stages.current_stage_entered_at,
        stage_summary.first_seen_at,
        stage_summary.first_mql_at,
        stage_summary.latest_mql_at,
        stage_summary.mql_count,
        stage_summary.first_sal_at,
        stage_summary.first_sql_at,
        stage_summary.first_opportunity_at,
        stage_summary.first_customer_at,
        {{ elapsed_hours('stage_summary.first_mql_at', 'sql_after_first_mql.sql_after_first_mql_at') }}
            as hours_first_mql_to_sql,
        stage_summary.recycle_count,
        stage_summary.reopen_count,
        stage_summary.recycle_count > 0 as is_recycled,
        current_stages.current_stage = 'disqualified' as is_disqualified,
        stage_summary.disqualified_count > 0 as was_disqualified,
        stage_summary.stage_entry_count,
        current_scores.fit_grade as current_fit_grade,
        current_scores.total_score as current_score,
        current_scores.score_band as current_score_band,
        cast(coalesce(won_deals.won_deals, 0) as {{ dbt.type_bigint() }}) as won_deals,
        {{ money('coalesce(won_deals.won_amount_usd, 0)') }} as won_amount_usd

    from lead_records
    inner join leads
        on lead_records.lead_id = leads.lead_id
    left join accounts
        on leads.account_id = accounts.account_id
    left join users
        on leads.owner_id = users.user_id
    {{- left_join_on_key('lead_records', [
        'merged_records', 'stage_summary', 'sql_after_first_mql', 'current_stages', 'current_scores',
        'channels', 'won_deals',
    ]) }}
    where lead_records.is_live

)

select * from final
