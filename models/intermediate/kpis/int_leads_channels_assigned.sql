{#-
    One row per live lead: its channel under each attribution choice and the one the KPIs use
    (var kpi_channel_model, docs/kpis.md), plus its acquisition campaign.
      lead_source_channel: the CRM lead_source through seed lead_source_channels.
      first_touch_channel / last_touch_channel: first / last marketing touch
        (int_lead_touches_resolved, merged records included) at or before the lead's first MQL
        (fct_lead_stage_transitions); leads that never reached MQL use all their touches. No
        touch: lead_source_channel.
      acquisition_campaign_id: campaign of the lead's earliest form fill (the creating form),
        when it names a known campaign; acquisition_channel: that campaign's channel, else the
        lead_source channel.
      kpi_channel / kpi_campaign_id: the channel var kpi_channel_model picks (checked by
        check_vars) and the campaign behind it.
-#}
{%- set channel_model = var('kpi_channel_model') -%}

with

{{ import_refs({
    'lead_records': 'int_leads_merges_resolved',
    'staged_leads': 'stg_crm__leads',
    'transitions': 'fct_lead_stage_transitions',
    'lead_touches': 'int_lead_touches_resolved',
    'campaigns': 'stg_marketing__campaigns',
}) }},

first_mqls as (

    select
        lead_id,
        min(entered_at) as first_mql_at

    from transitions
    where stage = 'mql'
    group by lead_id

),

leads as (

    select
        lead_records.lead_id,
        staged_leads.lead_source_channel,
        first_mqls.first_mql_at

    from lead_records
    inner join staged_leads
        on lead_records.lead_id = staged_leads.lead_id
    left join first_mqls
        on lead_records.lead_id = first_mqls.lead_id
    where lead_records.is_live

),

touches_before_first_mql as (

    select
        lead_touches.lead_id,
        lead_touches.channel,
        lead_touches.campaign_id,
        row_number() over (
            partition by lead_touches.lead_id
            order by lead_touches.touched_at, lead_touches.touch_type, lead_touches.touch_id
        ) as touch_rank_first,
        row_number() over (
            partition by lead_touches.lead_id
            order by lead_touches.touched_at desc, lead_touches.touch_type desc, lead_touches.touch_id desc
        ) as touch_rank_last

    from lead_touches
    inner join leads
        on lead_touches.lead_id = leads.lead_id
    where leads.first_mql_at is null or lead_touches.touched_at <= leads.first_mql_at

),

creating_forms as (

    select
        lead_touches.lead_id,
        campaigns.campaign_id,
        campaigns.channel,
        row_number() over (
            partition by lead_touches.lead_id
            order by lead_touches.touched_at, lead_touches.touch_id
        ) as form_rank

    from lead_touches
    left join campaigns
        on lead_touches.campaign_id = campaigns.campaign_id
    where lead_touches.touch_type = 'form_fill'

),

channels as (

    select
        leads.lead_id,
        leads.lead_source_channel,
        coalesce(first_touches.channel, leads.lead_source_channel) as first_touch_channel,
        coalesce(last_touches.channel, leads.lead_source_channel) as last_touch_channel,
        creating_forms.campaign_id as acquisition_campaign_id,
        coalesce(creating_forms.channel, leads.lead_source_channel) as acquisition_channel,
        -- the campaign behind the KPI channel: the first / last touch's, or (lead_source) the
        -- creating form's when its channel is the lead source's
        case
            when '{{ channel_model }}' = 'first_touch' then first_touches.campaign_id
            when '{{ channel_model }}' = 'last_touch' then last_touches.campaign_id
            when creating_forms.channel = leads.lead_source_channel then creating_forms.campaign_id
        end as kpi_campaign_id

    from leads
    left join touches_before_first_mql as first_touches
        on
            leads.lead_id = first_touches.lead_id
            and first_touches.touch_rank_first = 1
    left join touches_before_first_mql as last_touches
        on
            leads.lead_id = last_touches.lead_id
            and last_touches.touch_rank_last = 1
    left join creating_forms
        on
            leads.lead_id = creating_forms.lead_id
            and creating_forms.form_rank = 1

),

final as (

    select
        lead_id,
        lead_source_channel,
        first_touch_channel,
        last_touch_channel,
        {{ channel_model }}_channel as kpi_channel,
        kpi_campaign_id,
        acquisition_campaign_id,
        acquisition_channel

    from channels

)

select * from final
