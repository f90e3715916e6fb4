{#-
    Base of stg_marketing__campaigns: the raw rows renamed and cast (timestamps in UTC), each with
    `quarantine_reason`, the first quarantine rule it breaks (null when the row is clean).
    stg_marketing__campaigns keeps the clean rows; quarantine_marketing__campaigns holds the others.
-#}
with

source as (

    select * from {{ source('marketing', 'campaigns') }}

),

renamed as (

    select
        cast(campaign_id as {{ dbt.type_string() }}) as campaign_id,
        cast(campaign_name as {{ dbt.type_string() }}) as campaign_name,
        {{ map_unknown('lower(channel)', 'campaigns', 'channel') }} as channel,
        {{ map_unknown('lower(campaign_type)', 'campaigns', 'campaign_type') }} as campaign_type,
        cast(start_date as date) as start_date,
        cast(end_date as date) as end_date

    from source

),

checked as (

    select
        renamed.*,
        case
            {{- quarantine_when_null(['campaign_id', 'campaign_name', 'start_date']) }}
            {{- quarantine_when_date_out_of_range(['start_date', 'end_date'], allow_future=true) }}
        end as quarantine_reason

    from renamed

)

select * from checked
