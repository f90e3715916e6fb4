with

clean as (

    select
        user_id,
        full_name,
        email,
        user_role,
        team,
        is_active,
        created_at

    from {{ ref('base_crm__users') }}
    where quarantine_reason is null

)

select * from clean
