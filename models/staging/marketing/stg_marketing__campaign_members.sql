with

clean as (

    select
        campaign_member_id,
        campaign_id,
        lead_id,
        member_status,
        created_at,
        first_responded_at

    from {{ ref('base_marketing__campaign_members') }}
    where quarantine_reason is null

)

select * from clean
