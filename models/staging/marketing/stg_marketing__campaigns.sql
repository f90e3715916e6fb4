with

clean as (

    select
        campaign_id,
        campaign_name,
        channel,
        campaign_type,
        start_date,
        end_date

    from {{ ref('base_marketing__campaigns') }}
    where quarantine_reason is null

)

select * from clean
