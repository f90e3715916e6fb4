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

deduplicated as (

    {{ keep_latest_loaded('renamed', 'stage_change_id') }}

)

select * from deduplicated
