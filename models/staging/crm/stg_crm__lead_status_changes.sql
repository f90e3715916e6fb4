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

deduplicated as (

    {{ keep_latest_loaded('renamed', 'status_change_id') }}

)

select * from deduplicated
