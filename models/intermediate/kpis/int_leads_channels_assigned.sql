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
{%- set touch_order = ['lead_touches.touched_at', 'lead_touches.touch_type', 'lead_touches.touch_id'] -%}
{%- set form_order = ['lead_touches.touched_at', 'lead_touches.touch_id'] -%}

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

-- The first and last touch at or before the first MQL (every touch when there is none): one
-- aggregate per lead (macros/cross_db/first_by.sql), not a sort of every touch.
mql_touches as (

    select
        lead_touches.lead_id,
        {{ first_by('lead_touches.channel', touch_order) }} as first_touch_channel,
        {{ first_by('lead_touches.campaign_id', touch_order) }} as first_touch_campaign_id,
        {{ last_by('lead_touches.channel', touch_order) }} as last_touch_channel,
        {{ last_by('lead_touches.campaign_id', touch_order) }} as last_touch_campaign_id

    from lead_touches
    inner join leads
        on lead_touches.lead_id = leads.lead_id
    where leads.first_mql_at is null or lead_touches.touched_at <= leads.first_mql_at
    group by lead_touches.lead_id

),

-- The lead's earliest form fill and its campaign (null when the campaign is unknown).
creating_forms as (

    select
        lead_touches.lead_id,
        {{ first_by('campaigns.campaign_id', form_order) }} as campaign_id,
        {{ first_by('campaigns.channel', form_order) }} as channel

    from lead_touches
    left join campaigns
        on lead_touches.campaign_id = campaigns.campaign_id
    where lead_touches.touch_type = 'form_fill'
    group by lead_touches.lead_id

),

channels as (

    select
        leads.lead_id,
        leads.lead_source_channel,
        coalesce(mql_touches.first_touch_channel, leads.lead_source_channel) as first_touch_channel,
        coalesce(mql_touches.last_touch_channel, leads.lead_source_channel) as last_touch_channel,
        creating_forms.campaign_id as acquisition_campaign_id,
        coalesce(creating_forms.channel, leads.lead_source_channel) as acquisition_channel,
        -- the campaign behind the KPI channel: the first / last touch's, or (lead_source) the
        -- creating form's when its channel is the lead source's
        case
            when '{{ channel_model }}' = 'first_touch' then mql_touches.first_touch_campaign_id
            when '{{ channel_model }}' = 'last_touch' then mql_touches.last_touch_campaign_id
            when creating_forms.channel = leads.lead_source_channel then creating_forms.campaign_id
        end as kpi_campaign_id

    from leads
    left join mql_touches
        on leads.lead_id = mql_touches.lead_id
    left join creating_forms
        on leads.lead_id = creating_forms.lead_id

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
