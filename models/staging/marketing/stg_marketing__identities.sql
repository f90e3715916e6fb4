with

clean as (

    select
        anonymous_id,
        lead_id,
        identified_at

    from {{ ref('base_marketing__identities') }}
    where quarantine_reason is null

)

select * from clean
