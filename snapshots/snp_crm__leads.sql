{#-
    SCD2 history of the CRM lead records (current-state export), for CRMs that export no
    status history. Strategy corrected_check (macros/snapshots/): a new version whenever one of
    the captured columns changes, valid from version_at: the record's updated_at (created_at
    when the export has no updated_at), never the wall clock. A re-export that corrects a record
    without moving its updated_at is a new version too, starting where the version it corrects
    does (never before: a correction never rewrites history before the current version), so the
    current version always holds the latest export's values. Reads the clean staged leads
    (typed, trimmed; columns the export lacks are null) and keeps only the columns the lifecycle
    needs: no personal data (email, names, phone) is captured. The raw status is kept: the
    lifecycle maps it (seed stage_mapping). See docs/lifecycle.md.
-#}
{% snapshot snp_crm__leads %}

{{
    config(
        schema='snapshots',
        unique_key='lead_id',
        strategy='corrected_check',
        check_cols=['source_status', 'owner_id', 'is_deleted', 'merged_into_lead_id', 'created_at', 'updated_at'],
        updated_at='version_at',
    )
}}

    with

    leads as (

        select * from {{ ref('stg_crm__leads') }}

    ),

    -- The version each record holds now (none on the first run): a correction starts no earlier.
    current_versions as (

        {{ current_snapshot_versions(this, 'lead_id') }}

    )

    select
        leads.lead_id,
        leads.source_status,
        leads.owner_id,
        leads.is_deleted,
        leads.merged_into_lead_id,
        leads.created_at,
        leads.updated_at,
        case
            when current_versions.dbt_valid_from > coalesce(leads.updated_at, leads.created_at)
                then current_versions.dbt_valid_from
            else coalesce(leads.updated_at, leads.created_at)
        end as version_at

    from leads
    left join current_versions
        on leads.lead_id = current_versions.lead_id

{% endsnapshot %}
