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

deduplicated as (

    {{ keep_latest_loaded('renamed', 'activity_id') }}

)

select * from deduplicated
