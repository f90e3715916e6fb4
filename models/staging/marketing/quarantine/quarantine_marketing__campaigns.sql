{#- Rows of the raw marketing.campaigns that staging quarantined, with the reason (see docs/bad_inputs.md). -#}
with

quarantined as (

    select
        campaign_id,
        campaign_name,
        channel,
        campaign_type,
        start_date,
        end_date,
        quarantine_reason

    from {{ ref('base_marketing__campaigns') }}
    where quarantine_reason is not null

)

select * from quarantined
