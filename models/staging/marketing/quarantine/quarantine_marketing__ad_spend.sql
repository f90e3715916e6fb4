{#- Rows of the raw marketing.ad_spend that staging quarantined, with the reason (see docs/bad_inputs.md). -#}
with

quarantined as (

    select
        spend_date,
        campaign_id,
        channel,
        spend,
        impressions,
        clicks,
        quarantine_reason

    from {{ ref('base_marketing__ad_spend') }}
    where quarantine_reason is not null

)

select * from quarantined
