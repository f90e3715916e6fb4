{#-
    Base of stg_marketing__web_events: the raw rows renamed and cast (timestamps in UTC), each with
    `quarantine_reason`, the first quarantine rule it breaks (null when the row is clean).
    stg_marketing__web_events keeps the clean rows; quarantine_marketing__web_events holds the others.
-#}
with

source as (

    select * from {{ source('marketing', 'web_events') }}

),

renamed as (

    select
        cast(event_id as {{ dbt.type_string() }}) as web_event_id,
        cast(anonymous_id as {{ dbt.type_string() }}) as anonymous_id,
        cast(session_id as {{ dbt.type_string() }}) as session_id,
        {{ to_utc_timestamp('occurred_at') }} as occurred_at,
        cast(url as {{ dbt.type_string() }}) as page_url,
        {{ map_unknown('lower(page_category)', 'web_events', 'page_category') }} as page_category,
        nullif(lower(trim(cast(utm_source as {{ dbt.type_string() }}))), '') as utm_source,
        nullif(lower(trim(cast(utm_medium as {{ dbt.type_string() }}))), '') as utm_medium,
        nullif(trim(cast(utm_campaign as {{ dbt.type_string() }})), '') as utm_campaign,
        {{ to_utc_timestamp('loaded_at') }} as loaded_at

    from source

),

checked as (

    select
        renamed.*,
        case
            {{- quarantine_when_null(['web_event_id', 'anonymous_id', 'session_id', 'occurred_at', 'page_url', 'loaded_at']) }}
            {{- quarantine_when_out_of_range(['occurred_at'], loaded_at='loaded_at') }}
            {{- quarantine_when_out_of_range(['loaded_at']) }}
        end as quarantine_reason

    from renamed

)

select * from checked
