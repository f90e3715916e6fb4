with

clean as (

    select
        form_submission_id,
        lead_id,
        anonymous_id,
        email,
        form_type,
        asset_name,
        asset_funnel_stage,
        submitted_at,
        utm_source,
        utm_medium,
        utm_campaign,
        loaded_at

    from {{ ref('base_marketing__form_submissions') }}
    where quarantine_reason is null

),

deduplicated as (

    {{ keep_latest_loaded('clean', 'form_submission_id') }}

)

select * from deduplicated
