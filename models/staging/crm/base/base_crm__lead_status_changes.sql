{#-
    Base of stg_crm__lead_status_changes: the raw rows renamed and cast (timestamps in UTC), each with
    `quarantine_reason`, the first quarantine rule it breaks (null when the row is clean).
    stg_crm__lead_status_changes keeps the clean rows; quarantine_crm__lead_status_changes holds the others.
-#}
with

source as (

    select * from {{ source('crm', 'lead_status_changes') }}

),

renamed as (

    select
        cast(change_id as {{ dbt.type_string() }}) as status_change_id,
        cast(lead_id as {{ dbt.type_string() }}) as lead_id,
        nullif(trim(cast(old_value as {{ dbt.type_string() }})), '') as old_source_status,
        trim(cast(new_value as {{ dbt.type_string() }})) as new_source_status,
        {{ to_utc_timestamp('changed_at') }} as changed_at,
        cast(changed_by as {{ dbt.type_string() }}) as changed_by,
        {{ to_utc_timestamp('loaded_at') }} as loaded_at

    from source

),

parent_lead_id as (

    select
        lead_id,
        min(created_at) as lead_created_at
    from {{ ref('stg_crm__leads') }}
    group by lead_id

),

checked as (

    select
        renamed.*,
        case
            {{- quarantine_when_null(['status_change_id', 'lead_id', 'new_source_status', 'changed_at', 'changed_by', 'loaded_at']) }}
            {{- quarantine_when_orphan('lead_id', 'parent_lead_id', 'lead_id') }}
            {{- quarantine_when_out_of_range(['changed_at'], loaded_at='loaded_at') }}
            {{- quarantine_when_out_of_range(['loaded_at']) }}
            when renamed.changed_at < {{ dbt.dateadd('hour', -1 * var('quality_lead_life_tolerance_hours', 24), 'parent_lead_id.lead_created_at') }}
                then 'changed_at before lead created_at'
        end as quarantine_reason

    from renamed
    left join parent_lead_id
        on renamed.lead_id = parent_lead_id.lead_id

)

select * from checked
