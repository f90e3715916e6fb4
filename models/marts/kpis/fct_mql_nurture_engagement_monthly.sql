{#-
    Nurturing engagement of MQLs: one row per MQL month x KPI channel. For each MQL entry the
    nurturing window runs from the MQL to its first SQL (or, without one, to the lead's next MQL
    or the data's as-of). Counted inside it: marketing touches (int_lead_touches_resolved)
    and marketing emails delivered, opened and clicked (int_email_messages_rolled_up, by send
    time). touches_per_mql = touches / MQLs; the same for the MQLs that reached SQL
    (touches_per_mql_before_sql) shows how much nurturing preceded a conversion.
-#}
with

{{ import_refs({
    'cycles': 'int_mql_cycles_measured',
    'lead_records': 'int_leads_merges_resolved',
    'lead_touches': 'int_lead_touches_resolved',
    'emails': 'int_email_messages_rolled_up',
    'as_of': 'int_as_of_dates_resolved',
}) }},

windows as (

    select
        cycles.mql_entry_id,
        cycles.lead_id,
        cycles.mql_month,
        cycles.kpi_channel,
        cycles.mql_at,
        coalesce(cycles.sql_at, cycles.next_mql_at, as_of.as_of_at) as window_end_at,
        case when cycles.sql_at is not null then 1 else 0 end as is_sql_reached

    from cycles
    cross join as_of

),

-- What counts in a window, at its instant: the lead's marketing touches and its marketing emails
-- (by send time; the emails of merged records included).
lead_activity as (

    select
        lead_id,
        touched_at as activity_at,
        1 as touches,
        0 as is_delivered,
        0 as is_opened,
        0 as is_clicked

    from lead_touches

    union all

    select
        lead_records.surviving_lead_id as lead_id,
        emails.sent_at as activity_at,
        0 as touches,
        emails.is_delivered,
        emails.is_opened,
        emails.is_clicked

    from emails
    inner join lead_records
        on emails.lead_id = lead_records.lead_id
    where lead_records.is_history_kept

),

window_activity as (

    select
        windows.mql_entry_id,
        sum(lead_activity.touches) as touches,
        sum(lead_activity.is_delivered) as emails_delivered,
        sum(lead_activity.is_opened) as emails_opened,
        sum(lead_activity.is_clicked) as emails_clicked

    from windows
    inner join lead_activity
        on
            windows.lead_id = lead_activity.lead_id
            and windows.mql_at <= lead_activity.activity_at
            and windows.window_end_at > lead_activity.activity_at
    group by windows.mql_entry_id

),

per_mql as (

    select
        windows.mql_month,
        windows.kpi_channel,
        windows.is_sql_reached,
        {{ zero_filled('window_activity', [
            'touches', 'emails_delivered', 'emails_opened', 'emails_clicked',
        ]) }}

    from windows
    left join window_activity
        on windows.mql_entry_id = window_activity.mql_entry_id

),

aggregated as (

    select
        mql_month,
        kpi_channel as channel,
        count(*) as mqls,
        sum(is_sql_reached) as mqls_reaching_sql,
        sum(touches) as touches,
        sum(case when is_sql_reached = 1 then touches else 0 end) as touches_before_sql,
        sum(emails_delivered) as emails_delivered,
        sum(emails_opened) as emails_opened,
        sum(emails_clicked) as emails_clicked

    from per_mql
    group by mql_month, kpi_channel

),

final as (

    select
        mql_month,
        channel,
        {{ bigint_counts([
            'mqls', 'mqls_reaching_sql', 'touches', 'touches_before_sql', 'emails_delivered',
            'emails_opened', 'emails_clicked',
        ]) }},
        {{ safe_divide('touches', 'mqls') }} as touches_per_mql,
        {{ safe_divide('touches_before_sql', 'mqls_reaching_sql') }} as touches_per_mql_before_sql,
        {{ safe_divide('emails_opened', 'emails_delivered') }} as nurture_open_rate,
        {{ safe_divide('emails_clicked', 'emails_delivered') }} as nurture_click_rate

    from aggregated

)

select * from final
