{#- Rows of the raw marketing.form_submissions that staging quarantined, with the reason (see docs/bad_inputs.md). -#}
with

quarantined as (

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
        loaded_at,
        quarantine_reason

    from {{ ref('base_marketing__form_submissions') }}
    where quarantine_reason is not null

)

select * from quarantined
