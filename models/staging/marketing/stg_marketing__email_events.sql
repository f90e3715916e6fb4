with

source as (

    select * from {{ source('marketing', 'email_events') }}

),

renamed as (

    select
        cast(event_id as {{ dbt.type_string() }}) as email_event_id,
        cast(campaign_id as {{ dbt.type_string() }}) as campaign_id,
        cast(message_id as {{ dbt.type_string() }}) as message_id,
        cast(lead_id as {{ dbt.type_string() }}) as lead_id,
        {{ map_unknown('lower(event_type)', 'email_events', 'event_type') }} as event_type,
        {{ to_utc_timestamp('occurred_at') }} as occurred_at,
        {{ to_utc_timestamp('loaded_at') }} as loaded_at

    from source

),

deduplicated as (

    {{ keep_latest_loaded('renamed', 'email_event_id') }}

)

select * from deduplicated
