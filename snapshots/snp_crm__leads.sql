{#-
    SCD2 history of the CRM lead records (current-state export), for CRMs that export no
    status history. Timestamp strategy on updated_at (created_at when the export has no
    updated_at): a new version whenever it moves; dbt_valid_from is that instant. Reads the
    clean staged leads (typed, trimmed; columns the export lacks are null) and keeps only the
    columns the lifecycle needs: no personal data (email, names, phone) is captured. The raw
    status is kept: the lifecycle maps it (seed stage_mapping). See docs/lifecycle.md.
-#}
{% snapshot snp_crm__leads %}

{{
    config(
        schema='snapshots',
        unique_key='lead_id',
        strategy='timestamp',
        updated_at='version_at',
    )
}}

    select
        lead_id,
        source_status,
        owner_id,
        is_deleted,
        merged_into_lead_id,
        created_at,
        updated_at,
        coalesce(updated_at, created_at) as version_at

    from {{ ref('stg_crm__leads') }}

{% endsnapshot %}
