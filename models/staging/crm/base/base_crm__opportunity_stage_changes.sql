{#-
    Base of stg_crm__opportunity_stage_changes: the raw rows renamed and cast (timestamps in UTC), each with
    `quarantine_reason`, the first quarantine rule it breaks (null when the row is clean).
    stg_crm__opportunity_stage_changes keeps the clean rows; quarantine_crm__opportunity_stage_changes holds the others.
-#}
with

source as (

    select * from {{ source('crm', 'opportunity_stage_changes') }}

),

renamed as (

    select
        cast(change_id as {{ dbt.type_string() }}) as stage_change_id,
        cast(opportunity_id as {{ dbt.type_string() }}) as opportunity_id,
        case
            when old_stage is null then null
            else {{ map_unknown('old_stage', 'opportunity_stage_changes') }}
        end as old_stage_name,
        {{ map_unknown('new_stage', 'opportunity_stage_changes') }} as new_stage_name,
        {{ to_utc_timestamp('changed_at') }} as changed_at,
        {{ to_utc_timestamp('loaded_at') }} as loaded_at

    from source

),

parent_opportunity_id as (

    select distinct opportunity_id
    from {{ ref('stg_crm__opportunities') }}

),

checked as (

    select
        renamed.*,
        case
            {{- quarantine_when_null(['stage_change_id', 'opportunity_id', 'changed_at', 'loaded_at']) }}
            {{- quarantine_when_orphan('opportunity_id', 'parent_opportunity_id', 'opportunity_id') }}
            {{- quarantine_when_out_of_range(['changed_at'], loaded_at='loaded_at') }}
            {{- quarantine_when_out_of_range(['loaded_at']) }}
        end as quarantine_reason

    from renamed
    left join parent_opportunity_id
        on renamed.opportunity_id = parent_opportunity_id.opportunity_id

)

select * from checked
