{#-
    The conformed channel dimension: one row per channel a mart can name, so the funnel, cost,
    velocity, cohort, SLA and attribution metrics slice by one `channel__channel` together
    (semantic layer, docs/kpis.md). The seed's channels (no_lead included) and 'unmapped' (a value
    recorded that no seed row maps). A null channel (nothing recorded) has no row: MetricFlow
    shows it as a null channel.
-#}
with

channel_seed as (

    select * from {{ ref('channels') }}

),

unmapped as (

    select
        cast('unmapped' as {{ dbt.type_string() }}) as channel,
        cast('unmapped' as {{ dbt.type_string() }}) as channel_group,
        false as is_paid,
        cast(
            'A value was recorded that no seed row maps (add a row to seed lead_source_channels or utm_channels).'
            as {{ dbt.type_string() }}
        ) as description

),

final as (

    select
        cast(channel_seed.channel as {{ dbt.type_string() }}) as channel,
        cast(channel_seed.channel_group as {{ dbt.type_string() }}) as channel_group,
        cast(channel_seed.is_paid as {{ dbt.type_boolean() }}) as is_paid,
        cast(channel_seed.description as {{ dbt.type_string() }}) as description

    from channel_seed
    where channel_seed.channel != 'unmapped'

    union all

    select
        unmapped.channel,
        unmapped.channel_group,
        unmapped.is_paid,
        unmapped.description

    from unmapped

)

select * from final
