{#-
    Base of stg_marketing__email_events: the raw rows renamed and cast (timestamps in UTC), each with
    `quarantine_reason`, the first quarantine rule it breaks (null when the row is clean).
    stg_marketing__email_events keeps the clean rows; quarantine_marketing__email_events holds the others.
-#}
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

parent_lead_id as (

    select distinct lead_id
    from {{ ref('stg_crm__leads') }}

),

parent_campaign_id as (

    select distinct campaign_id
    from {{ ref('stg_marketing__campaigns') }}

),

checked as (

    select
        renamed.*,
        case
            {{- quarantine_when_null(['email_event_id', 'campaign_id', 'message_id', 'lead_id', 'occurred_at', 'loaded_at']) }}
            {{- quarantine_when_orphan('lead_id', 'parent_lead_id', 'lead_id') }}
            {{- quarantine_when_orphan('campaign_id', 'parent_campaign_id', 'campaign_id') }}
            {{- quarantine_when_out_of_range(['occurred_at'], loaded_at='loaded_at') }}
            {{- quarantine_when_out_of_range(['loaded_at']) }}
        end as quarantine_reason

    from renamed
    left join parent_lead_id
        on renamed.lead_id = parent_lead_id.lead_id
    left join parent_campaign_id
        on renamed.campaign_id = parent_campaign_id.campaign_id

)

select * from checked
