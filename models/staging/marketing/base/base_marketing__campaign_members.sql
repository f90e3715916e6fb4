{#-
    Base of stg_marketing__campaign_members: the raw rows renamed and cast (timestamps in UTC), each with
    `quarantine_reason`, the first quarantine rule it breaks (null when the row is clean).
    stg_marketing__campaign_members keeps the clean rows; quarantine_marketing__campaign_members holds the others.
-#}
with

source as (

    select * from {{ source('marketing', 'campaign_members') }}

),

renamed as (

    select
        cast(campaign_member_id as {{ dbt.type_string() }}) as campaign_member_id,
        cast(campaign_id as {{ dbt.type_string() }}) as campaign_id,
        cast(lead_id as {{ dbt.type_string() }}) as lead_id,
        {{ map_unknown('lower(status)', 'campaign_members', 'status') }} as member_status,
        {{ to_utc_timestamp('created_at') }} as created_at,
        {{ to_utc_timestamp('first_responded_at') }} as first_responded_at

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
            {{- quarantine_when_null(['campaign_member_id', 'campaign_id', 'lead_id', 'created_at']) }}
            {{- quarantine_when_orphan('lead_id', 'parent_lead_id', 'lead_id') }}
            {{- quarantine_when_orphan('campaign_id', 'parent_campaign_id', 'campaign_id') }}
            {{- quarantine_when_out_of_range(['created_at', 'first_responded_at']) }}
        end as quarantine_reason

    from renamed
    left join parent_lead_id
        on renamed.lead_id = parent_lead_id.lead_id
    left join parent_campaign_id
        on renamed.campaign_id = parent_campaign_id.campaign_id

)

select * from checked
