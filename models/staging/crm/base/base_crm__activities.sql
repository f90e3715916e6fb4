{#-
    Base of stg_crm__activities: the raw rows renamed and cast (timestamps in UTC), each with
    `quarantine_reason`, the first quarantine rule it breaks (null when the row is clean).
    stg_crm__activities keeps the clean rows; quarantine_crm__activities holds the others.
-#}
with

source as (

    select * from {{ source('crm', 'activities') }}

),

renamed as (

    select
        cast(activity_id as {{ dbt.type_string() }}) as activity_id,
        cast(lead_id as {{ dbt.type_string() }}) as lead_id,
        cast(user_id as {{ dbt.type_string() }}) as user_id,
        {{ map_unknown('lower(activity_type)', 'activities', 'activity_type') }} as activity_type,
        {{ to_utc_timestamp('occurred_at') }} as occurred_at,
        {{ to_utc_timestamp('loaded_at') }} as loaded_at

    from source

),

parent_lead_id as (

    select distinct lead_id
    from {{ ref('stg_crm__leads') }}

),

parent_user_id as (

    select distinct user_id
    from {{ ref('stg_crm__users') }}

),

checked as (

    select
        renamed.*,
        case
            {{- quarantine_when_null(['activity_id', 'lead_id', 'user_id', 'occurred_at', 'loaded_at']) }}
            {{- quarantine_when_orphan('lead_id', 'parent_lead_id', 'lead_id') }}
            {{- quarantine_when_orphan('user_id', 'parent_user_id', 'user_id') }}
            {{- quarantine_when_out_of_range(['occurred_at'], loaded_at='loaded_at') }}
            {{- quarantine_when_out_of_range(['loaded_at']) }}
        end as quarantine_reason

    from renamed
    left join parent_lead_id
        on renamed.lead_id = parent_lead_id.lead_id
    left join parent_user_id
        on renamed.user_id = parent_user_id.user_id

)

select * from checked
