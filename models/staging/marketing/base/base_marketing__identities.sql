{#-
    Base of stg_marketing__identities: the raw rows renamed and cast (timestamps in UTC), each with
    `quarantine_reason`, the first quarantine rule it breaks (null when the row is clean).
    stg_marketing__identities keeps the clean rows; quarantine_marketing__identities holds the others.
-#}
with

source as (

    select * from {{ source('marketing', 'identities') }}

),

renamed as (

    select
        cast(anonymous_id as {{ dbt.type_string() }}) as anonymous_id,
        cast(lead_id as {{ dbt.type_string() }}) as lead_id,
        {{ to_utc_timestamp('identified_at') }} as identified_at

    from source

),

parent_lead_id as (

    select distinct lead_id
    from {{ ref('stg_crm__leads') }}

),

checked as (

    select
        renamed.*,
        case
            {{- quarantine_when_null(['anonymous_id', 'lead_id', 'identified_at']) }}
            {{- quarantine_when_orphan('lead_id', 'parent_lead_id', 'lead_id') }}
            {{- quarantine_when_out_of_range(['identified_at']) }}
        end as quarantine_reason

    from renamed
    left join parent_lead_id
        on renamed.lead_id = parent_lead_id.lead_id

)

select * from checked
