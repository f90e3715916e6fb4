{#-
    Opportunity KPIs: one row per month x account segment (seed account_segments), dense from
    the first month an opportunity was created to the as-of month. Deals are counted in the month
    they closed (win rates, deal size, cycle) or were created; open pipeline is measured at the
    end of the month (or at the as-of instant for the as-of month).
      win_rate_by_count = won / closed; win_rate_by_amount = won USD / closed USD (deals with a
      USD amount); deals whose currency has no USD rate for the month are counted in
      *_unconverted_count and left out of every USD figure (never as 0); pipeline_velocity_usd_per_day = open opportunities x win_rate_by_count x
      average_won_deal_size_usd / average_sales_cycle_days (all of the same month and segment).
-#}
with

{{ import_refs({
    'opportunities': 'fct_opportunities',
    'as_of': 'int_as_of_dates_resolved',
    'account_segments': 'account_segments',
}) }},

month_numbers as (

    {{ dbt.generate_series((var('kpi_max_days') // 28) + 1) }}

),

first_month as (

    select min(coalesce(created_month, closed_month)) as first_month from opportunities

),

months as (

    select
        {{ dbt.dateadd('month', 'month_numbers.generated_number - 1', 'first_month.first_month') }} as month_start

    from month_numbers
    cross join first_month
    cross join as_of
    where
        {{ dbt.dateadd('month', 'month_numbers.generated_number - 1', 'first_month.first_month') }}
        <= as_of.as_of_at

),

grid as (

    select
        cast(months.month_start as date) as kpi_month,
        least(
            cast({{ dbt.dateadd('month', 1, 'months.month_start') }} as {{ dbt.type_timestamp() }}),
            as_of.as_of_at
        ) as snapshot_at,
        account_segments.segment

    from months
    cross join account_segments
    cross join as_of

),

created as (

    select
        created_month as kpi_month,
        segment,
        count(*) as opportunities_created

    from opportunities
    group by created_month, segment

),

closed as (

    select
        closed_month as kpi_month,
        segment,
        count(*) as opportunities_closed,
        sum(case when is_won then 1 else 0 end) as opportunities_won,
        sum(case when is_lost then 1 else 0 end) as opportunities_lost,
        sum(amount_usd) as closed_amount_usd,
        sum(won_amount_usd) as won_amount_usd,
        count(won_amount_usd) as won_with_amount,
        sum(case when is_amount_unconverted then 1 else 0 end) as closed_unconverted,
        sum(case when is_won and is_amount_unconverted then 1 else 0 end) as won_unconverted,
        {{ exact_avg('case when is_won then sales_cycle_days end') }} as average_sales_cycle_days,
        {{ percentile_cont('case when is_won then sales_cycle_days end', 0.5) }} as median_sales_cycle_days

    from opportunities
    where is_closed
    group by closed_month, segment

),

open_pipeline as (

    select
        grid.kpi_month,
        grid.segment,
        count(*) as open_opportunities,
        sum(opportunities.amount_usd) as open_pipeline_usd,
        sum(case when opportunities.is_amount_unconverted then 1 else 0 end) as open_unconverted

    from grid
    inner join opportunities
        on
            grid.segment = opportunities.segment
            and grid.snapshot_at > opportunities.created_at
            and (grid.snapshot_at <= opportunities.closed_at or opportunities.closed_at is null)
    group by grid.kpi_month, grid.segment

),

joined as (

    select
        grid.kpi_month,
        grid.segment,
        coalesce(created.opportunities_created, 0) as opportunities_created,
        {{ zero_filled('closed', [
            'opportunities_closed', 'opportunities_won', 'opportunities_lost', 'closed_amount_usd',
            'won_amount_usd', 'won_with_amount', 'closed_unconverted', 'won_unconverted',
        ]) }},
        closed.average_sales_cycle_days,
        closed.median_sales_cycle_days,
        {{ zero_filled('open_pipeline', ['open_opportunities', 'open_pipeline_usd', 'open_unconverted']) }}

    from grid
    {{- left_join_on_key('grid', ['created', 'closed', 'open_pipeline'], ['kpi_month', 'segment']) }}

),

rates as (

    select
        *,
        {{ safe_divide('opportunities_won', 'opportunities_closed') }} as win_rate_by_count,
        {{ safe_divide('won_amount_usd', 'closed_amount_usd') }} as win_rate_by_amount,
        {{ safe_divide('won_amount_usd', 'won_with_amount') }} as average_won_deal_size_usd

    from joined

),

final as (

    select
        kpi_month,
        segment,
        {{ bigint_counts([
            'opportunities_created', 'opportunities_closed', 'opportunities_won',
            'opportunities_lost',
        ]) }},
        {{ money('closed_amount_usd') }} as closed_amount_usd,
        {{ money('won_amount_usd') }} as won_amount_usd,
        cast(closed_unconverted as {{ dbt.type_bigint() }}) as closed_amount_unconverted_count,
        cast(won_unconverted as {{ dbt.type_bigint() }}) as won_amount_unconverted_count,
        win_rate_by_count,
        win_rate_by_amount,
        average_won_deal_size_usd,
        cast(median_sales_cycle_days as {{ type_double() }}) as median_sales_cycle_days,
        cast(average_sales_cycle_days as {{ type_double() }}) as average_sales_cycle_days,
        cast(open_opportunities as {{ dbt.type_bigint() }}) as open_opportunities,
        {{ money('open_pipeline_usd') }} as open_pipeline_usd,
        cast(open_unconverted as {{ dbt.type_bigint() }}) as open_pipeline_unconverted_count,
        {{ safe_divide(
            'open_opportunities * win_rate_by_count * average_won_deal_size_usd',
            'average_sales_cycle_days'
        ) }} as pipeline_velocity_usd_per_day

    from rates

)

select * from final
