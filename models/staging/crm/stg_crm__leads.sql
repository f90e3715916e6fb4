with

clean as (

    select
        lead_id,
        email,
        email_domain,
        first_name,
        last_name,
        phone,
        title,
        account_id,
        owner_id,
        lead_source,
        source_status,
        created_at,
        updated_at,
        is_deleted,
        merged_into_lead_id

    from {{ ref('base_crm__leads') }}
    where quarantine_reason is null

)

select * from clean
