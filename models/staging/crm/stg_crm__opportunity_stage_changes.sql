with

clean as (

    select
        stage_change_id,
        opportunity_id,
        old_stage_name,
        new_stage_name,
        changed_at,
        loaded_at

    from {{ ref('base_crm__opportunity_stage_changes') }}
    where quarantine_reason is null

),

deduplicated as (

    {{ keep_latest_loaded('clean', 'stage_change_id') }}

)

select * from deduplicated
