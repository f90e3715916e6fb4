{#-
    Every raw row is accounted for: in its staging view, in its quarantine table, or dropped as
    a re-delivered copy of an event staging already holds (keep_latest_loaded). One row per raw
    table; the data test in _quality__models.yml fails when the three do not add up to the raw
    row count, i.e. when a row was lost or duplicated on the way.
-#}
with

counts as (

    {{ reconcile_table('crm', 'accounts') }}
    union all
    {{ reconcile_table('crm', 'users') }}
    union all
    {{ reconcile_table('crm', 'leads') }}
    union all
    {{ reconcile_table('crm', 'lead_status_changes', 'status_change_id') }}
    union all
    {{ reconcile_table('crm', 'opportunities') }}
    union all
    {{ reconcile_table('crm', 'opportunity_stage_changes', 'stage_change_id') }}
    union all
    {{ reconcile_table('crm', 'activities', 'activity_id') }}
    union all
    {{ reconcile_table('marketing', 'web_events', 'web_event_id') }}
    union all
    {{ reconcile_table('marketing', 'identities') }}
    union all
    {{ reconcile_table('marketing', 'email_events', 'email_event_id') }}
    union all
    {{ reconcile_table('marketing', 'form_submissions', 'form_submission_id') }}
    union all
    {{ reconcile_table('marketing', 'campaigns') }}
    union all
    {{ reconcile_table('marketing', 'campaign_members') }}
    union all
    {{ reconcile_table('marketing', 'ad_spend') }}

)

select
    counts.source_name,
    counts.table_name,
    counts.raw_rows,
    counts.staged_rows,
    counts.quarantined_rows,
    counts.duplicate_copies_dropped
from counts
