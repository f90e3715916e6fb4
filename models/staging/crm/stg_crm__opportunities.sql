with

clean as (

    select
        opportunity_id,
        account_id,
        primary_lead_id,
        owner_id,
        amount,
        currency_code,
        stage_name,
        created_at,
        close_date,
        is_closed,
        is_won,
        updated_at

    from {{ ref('base_crm__opportunities') }}
    where quarantine_reason is null

)

select * from clean
