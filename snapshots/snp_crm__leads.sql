{#-
    SCD2 history of the CRM lead records (current-state export), for CRMs that export no
    status history. Timestamp strategy on updated_at: a new version whenever updated_at moves;
    dbt_valid_from is the record's updated_at. Reads the source directly (a snapshot plays the
    role of staging for current-state tables) and keeps only the columns the lifecycle needs:
    no personal data (email, names, phone) is captured. See docs/lifecycle.md.
-#}
{% snapshot snp_crm__leads %}

{{
    config(
        schema='snapshots',
        unique_key='lead_id',
        strategy='timestamp',
        updated_at='updated_at',
    )
}}

    select
        cast(lead_id as {{ dbt.type_string() }}) as lead_id,
        trim(cast(status as {{ dbt.type_string() }})) as source_status,
        cast(owner_id as {{ dbt.type_string() }}) as owner_id,
        coalesce(cast(is_deleted as {{ dbt.type_boolean() }}), false) as is_deleted,
        nullif(trim(cast(merged_into_lead_id as {{ dbt.type_string() }})), '') as merged_into_lead_id,
        {{ to_utc_timestamp('created_at') }} as created_at,
        {{ to_utc_timestamp('updated_at') }} as updated_at

    from {{ source('crm', 'leads') }}

{% endsnapshot %}
