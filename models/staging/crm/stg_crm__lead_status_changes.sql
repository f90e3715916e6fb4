with

clean as (

    select
        status_change_id,
        lead_id,
        old_source_status,
        new_source_status,
        changed_at,
        changed_by,
        loaded_at

    from {{ ref('base_crm__lead_status_changes') }}
    where quarantine_reason is null

),

deduplicated as (

    {{ keep_latest_loaded('clean', 'status_change_id') }}

)

select * from deduplicated
