with

clean as (

    select
        activity_id,
        lead_id,
        user_id,
        activity_type,
        occurred_at,
        loaded_at

    from {{ ref('base_crm__activities') }}
    where quarantine_reason is null

),

deduplicated as (

    {{ keep_latest_loaded('clean', 'activity_id') }}

)

select * from deduplicated
