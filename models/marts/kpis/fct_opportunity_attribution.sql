{#-
    Revenue attribution: every opportunity and its amount credited to the marketing touches of its
    lead at or before the opportunity's creation (int_lead_touches_resolved; the close date when
    the export has no creation time). One row per opportunity x touch; an opportunity without
    such touches (or without a live lead) gets one row without a touch, credited in full to its
    lead's KPI channel (no_lead for a deal whose primary lead is missing or deleted). Credits per
    opportunity add up to 1 for each model (first touch, last touch, linear, u_shape: 40% first,
    40% last, 20% shared between) and the credited amounts to its amount_usd, to the cent
    (macro attributed_amount: no cent lost to rounding). Touches are ordered
    by time, then touch type and id. credit_month: the month of the touch (for a deal without one,
    of its creation): where fct_channel_costs sets the credit beside the spend that bought it.
-#}
with

{{ import_refs({
    'opportunities': 'int_opportunities_converted',
    'lead_touches': 'int_lead_touches_resolved',
    'channels': 'int_leads_channels_assigned',
}) }},

credited as (

    select
        opportunities.*,
        coalesce(
            opportunities.created_at,
            opportunities.closed_at,
            cast(opportunities.close_date as {{ dbt.type_timestamp() }})
        ) as credited_until

    from opportunities

),

touched as (

    select
        credited.opportunity_id,
        {{ ranked_touches('lead_touches', 'credited.opportunity_id', 'touches_before_opportunity') }}

    from credited
    inner join lead_touches
        on
            credited.lead_id = lead_touches.lead_id
            and credited.credited_until >= lead_touches.touched_at

),

untouched as (

    select
        credited.opportunity_id,
        'no_touch' as touch_type,
        cast(null as {{ dbt.type_string() }}) as touch_id,
        cast(null as {{ dbt.type_timestamp() }}) as touched_at,
        channels.kpi_campaign_id as campaign_id,
        case when credited.lead_id is null then 'no_lead' else channels.kpi_channel end as channel,
        1 as touch_position,
        1 as touches_before_opportunity

    from credited
    left join channels
        on credited.lead_id = channels.lead_id
    where credited.opportunity_id not in (select touched.opportunity_id from touched)

),

credit_rows as (

    select * from touched
    union all
    select * from untouched

),

credits as (

    select
        credit_rows.*,
        {{ attribution_credits('credit_rows.touch_position', 'credit_rows.touches_before_opportunity') }}

    from credit_rows

),

final as (

    select
        credits.opportunity_id,
        credited.lead_id,
        credits.touch_type,
        credits.touch_id,
        credits.touched_at,
        cast({{ dbt.date_trunc(
            'month', 'coalesce(credits.touched_at, credited.credited_until)'
        ) }} as date) as credit_month,
        credits.campaign_id,
        credits.channel,
        cast(credits.touch_position as {{ dbt.type_int() }}) as touch_position,
        cast(credits.touches_before_opportunity as {{ dbt.type_int() }}) as touches_before_opportunity,
        credited.created_at,
        cast({{ dbt.date_trunc('month', 'credited.created_at') }} as date) as created_month,
        credited.closed_at,
        cast({{ dbt.date_trunc('month', 'credited.closed_at') }} as date) as closed_month,
        credited.is_closed,
        credited.is_won,
        credited.amount_usd,
        credited.is_amount_unconverted,
        credits.first_touch_credit,
        credits.last_touch_credit,
        credits.linear_credit,
        credits.u_shape_credit,
    {%- for model in ['first_touch', 'last_touch', 'linear', 'u_shape'] %}
        {{ attributed_amount(
            model, 'credited.amount_usd', 'credits.touch_position', 'credits.touches_before_opportunity'
        ) }} as {{ model }}_amount_usd{{ ',' if not loop.last }}
    {%- endfor %}

    from credits
    inner join credited
        on credits.opportunity_id = credited.opportunity_id

)

select * from final
