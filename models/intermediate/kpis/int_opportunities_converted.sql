{#-
    One row per opportunity (stg_crm__opportunities): amount converted to USD (seed
    currency_usd_rates), close time, sales cycle, account segment (seed account_segments) and
    the live lead it belongs to (primary lead resolved through merges; null when that record is
    deleted or missing).
      closed_at: first stage change into the opportunity's final stage (Closed Won / Closed
        Lost) for closed deals, else the close_date at 00:00; null while open.
      sales_cycle_days: created_at -> closed_at in days (closed deals only).
-#}
with

opportunities as (

    select * from {{ ref('stg_crm__opportunities') }}

),

stage_changes as (

    select * from {{ ref('stg_crm__opportunity_stage_changes') }}

),

lead_records as (

    select * from {{ ref('int_leads_merges_resolved') }}

),

accounts as (

    select * from {{ ref('stg_crm__accounts') }}

),

currency_usd_rates as (

    select * from {{ ref('currency_usd_rates') }}

),

account_segments as (

    select * from {{ ref('account_segments') }}

),

closing_changes as (

    select
        opportunities.opportunity_id,
        min(stage_changes.changed_at) as closed_changed_at

    from opportunities
    inner join stage_changes
        on
            opportunities.opportunity_id = stage_changes.opportunity_id
            and opportunities.stage_name = stage_changes.new_stage_name
    where opportunities.is_closed
    group by opportunities.opportunity_id

),

dated as (

    select
        opportunities.opportunity_id,
        opportunities.primary_lead_id,
        opportunities.account_id,
        opportunities.owner_id,
        opportunities.stage_name,
        opportunities.currency_code,
        opportunities.amount,
        opportunities.created_at,
        opportunities.close_date,
        opportunities.is_closed,
        opportunities.is_won,
        case
            when opportunities.is_closed
                then coalesce(
                        closing_changes.closed_changed_at,
                        cast(opportunities.close_date as {{ dbt.type_timestamp() }})
                    )
        end as closed_at

    from opportunities
    left join closing_changes
        on opportunities.opportunity_id = closing_changes.opportunity_id

),

final as (

    select
        dated.opportunity_id,
        case when lead_records.is_history_kept then lead_records.surviving_lead_id end as lead_id,
        dated.primary_lead_id,
        dated.account_id,
        dated.owner_id,
        coalesce(account_segments.segment, 'unknown') as segment,
        dated.stage_name,
        dated.currency_code,
        dated.amount,
        dated.amount / currency_usd_rates.units_per_usd as amount_usd,
        dated.created_at,
        dated.close_date,
        dated.closed_at,
        dated.is_closed,
        dated.is_won,
        {{ elapsed_days('dated.created_at', 'dated.closed_at') }} as sales_cycle_days

    from dated
    left join lead_records
        on dated.primary_lead_id = lead_records.lead_id
    left join accounts
        on dated.account_id = accounts.account_id
    left join account_segments
        on
            accounts.employee_count >= account_segments.min_employees
            and (
                accounts.employee_count < account_segments.max_employees
                or account_segments.max_employees is null
            )
    left join currency_usd_rates
        on dated.currency_code = currency_usd_rates.currency_code

)

select * from final
