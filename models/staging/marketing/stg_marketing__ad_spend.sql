with

clean as (

    select
        spend_date,
        campaign_id,
        channel,
        spend,
        impressions,
        clicks

    from {{ ref('base_marketing__ad_spend') }}
    where quarantine_reason is null

)

select * from clean
