{#-
    One row per opportunity (stg_crm__opportunities): amount converted to USD (seed
    currency_usd_rates, by month), close time, sales cycle, account segment (seed
    account_segments) and the live lead it belongs to (primary lead resolved through merges;
    null when that record is deleted or missing).
      closed_at: first stage change into the opportunity's final stage category (won / lost)
        for closed deals, else the close_date at 00:00; null while open.
      amount_month: the month whose rate converts the amount: of closed_at for closed deals,
        else of created_at (else of the close date).
      amount_usd: null when the currency has no rate for that month (is_amount_unconverted),
        never 0.
      sales_cycle_days: created_at -> closed_at in days (closed deals with a creation time).
    A point-in-time build (var kpi_as_of; staging holds the stage changes up to it): a deal is
    closed by the as-of when its close (as above) is not later; a deal with stage history but no
    change into its final category by then is still open. An open deal's stage is its latest
    stage change by the as-of, else the exported stage of a deal still open today (null for a
    deal closed since: its stage at the as-of is unknown).
-#}
with

{{ import_refs({
    'opportunities': 'stg_crm__opportunities',
    'stage_changes': 'stg_crm__opportunity_stage_changes',
    'lead_records': 'int_leads_merges_resolved',
    'accounts': 'stg_crm__accounts',
    'currency_usd_rates': 'currency_usd_rates',
    'account_segments': 'account_segments',
}) }},

closing_changes as (

    select
        opportunities.opportunity_id,
        min(stage_changes.changed_at) as closed_changed_at

    from opportunities
    inner join stage_changes
        on
            opportunities.opportunity_id = stage_changes.opportunity_id
            and opportunities.stage_category = stage_changes.new_stage_category
    where opportunities.is_closed
    group by opportunities.opportunity_id

),

-- The latest stage change of each deal (by the as-of, in a point-in-time build).
latest_stage_changes as (

    select
        opportunity_id,
        new_stage_name,
        new_stage_category,
        row_number() over (
            partition by opportunity_id
            order by changed_at desc, stage_change_id desc
        ) as change_rank

    from stage_changes

),

dated as (

    select
        opportunities.opportunity_id,
        opportunities.primary_lead_id,
        opportunities.account_id,
        opportunities.owner_id,
        opportunities.stage_name,
        opportunities.stage_category,
        opportunities.currency_code_raw,
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
        end as recorded_closed_at,
        closing_changes.closed_changed_at is not null as has_closing_change,
        latest_stage_changes.opportunity_id is not null as has_stage_history,
        latest_stage_changes.new_stage_name as latest_stage_name,
        latest_stage_changes.new_stage_category as latest_stage_category

    from opportunities
    left join closing_changes
        on opportunities.opportunity_id = closing_changes.opportunity_id
    left join latest_stage_changes
        on
            opportunities.opportunity_id = latest_stage_changes.opportunity_id
            and latest_stage_changes.change_rank = 1

),

-- A point-in-time build (var kpi_as_of): a deal closed after the as-of is still open.
as_of_closed as (

    select
        dated.*,
        -- without an as-of, a closed deal is closed; with one, only by a closing change before it
        dated.is_closed
        and {{ within_as_of('dated.recorded_closed_at') }}
        and (
            dated.has_closing_change
            or not dated.has_stage_history
            or {{ 'true' if kpi_as_of_literal() is none else 'false' }}
        ) as is_closed_as_of

    from dated

),

as_of_state as (

    select
        as_of_closed.*,
        case
            when as_of_closed.is_closed_as_of or not as_of_closed.is_closed
                then coalesce(
                        {{- ' as_of_closed.latest_stage_name,' if kpi_as_of_literal() is not none else '' }}
                        as_of_closed.stage_name
                    )
            else as_of_closed.latest_stage_name
        end as stage_name_as_of,
        case
            when as_of_closed.is_closed_as_of or not as_of_closed.is_closed
                then coalesce(
                        {{- ' as_of_closed.latest_stage_category,' if kpi_as_of_literal() is not none else '' }}
                        as_of_closed.stage_category
                    )
            else as_of_closed.latest_stage_category
        end as stage_category_as_of

    from as_of_closed

),

priced as (

    select
        as_of_state.opportunity_id,
        as_of_state.primary_lead_id,
        as_of_state.account_id,
        as_of_state.owner_id,
        as_of_state.stage_name_as_of as stage_name,
        as_of_state.stage_category_as_of as stage_category,
        as_of_state.currency_code_raw,
        as_of_state.currency_code,
        as_of_state.amount,
        as_of_state.created_at,
        as_of_state.close_date,
        as_of_state.is_closed_as_of as is_closed,
        as_of_state.is_won and as_of_state.is_closed_as_of as is_won,
        case when as_of_state.is_closed_as_of then as_of_state.recorded_closed_at end as closed_at,
        cast({{ dbt.date_trunc(
            'month',
            'coalesce(case when as_of_state.is_closed_as_of then as_of_state.recorded_closed_at end, '
            ~ 'as_of_state.created_at, cast(as_of_state.close_date as ' ~ dbt.type_timestamp() ~ '))'
        ) }} as date) as amount_month

    from as_of_state

),

-- The rate of each priced deal: its currency's rate for the month, else the currency's
-- every-month rate (rate_month null).
rates as (

    select
        priced.opportunity_id,
        coalesce(monthly_rates.units_per_usd, standing_rates.units_per_usd) as units_per_usd

    from priced
    left join currency_usd_rates as monthly_rates
        on
            priced.currency_code = monthly_rates.currency_code
            and priced.amount_month = monthly_rates.rate_month
    left join currency_usd_rates as standing_rates
        on
            priced.currency_code = standing_rates.currency_code
            and standing_rates.rate_month is null

),

final as (

    select
        priced.opportunity_id,
        case when lead_records.is_history_kept then lead_records.surviving_lead_id end as lead_id,
        priced.primary_lead_id,
        priced.account_id,
        priced.owner_id,
        coalesce(account_segments.segment, 'unknown') as segment,
        priced.stage_name,
        priced.stage_category,
        priced.currency_code_raw,
        priced.currency_code,
        priced.amount,
        priced.amount_month,
        {{ money('priced.amount / rates.units_per_usd') }} as amount_usd,
        priced.amount is not null and rates.units_per_usd is null as is_amount_unconverted,
        priced.created_at,
        priced.close_date,
        priced.closed_at,
        priced.is_closed,
        priced.is_won,
        {{ elapsed_days('priced.created_at', 'priced.closed_at') }} as sales_cycle_days

    from priced
    inner join rates
        on priced.opportunity_id = rates.opportunity_id
    left join lead_records
        on priced.primary_lead_id = lead_records.lead_id
    left join accounts
        on priced.account_id = accounts.account_id
    left join account_segments
        on
            accounts.employee_count >= account_segments.min_employees
            and (
                accounts.employee_count < account_segments.max_employees
                or account_segments.max_employees is null
            )

)

select * from final
