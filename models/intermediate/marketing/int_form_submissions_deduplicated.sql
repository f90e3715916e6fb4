{#-
    Web form fills, one row per form_submission_id: the clean rows of the export with
    re-delivered copies dropped (the latest loaded copy kept), as stg_marketing__form_submissions
    minus the typed email (personal data stays in staging), stored incrementally: a run reads
    only the rows loaded since the watermark (loaded_since_watermark, by load time), dedupes
    them and replaces those submission ids. A point-in-time build (var kpi_as_of) keeps the rows
    that existed by then, like staging, and needs --full-refresh.
-#}
{{
    config(
        materialized='incremental',
        incremental_strategy=incremental_strategy(),
        unique_key='form_submission_id',
        partition_by=incremental_partition_by(),
        on_schema_change='fail',
    )
}}

{{ as_of_needs_full_refresh() }}

{#- The columns of `loaded` below, for keep_latest_loaded on warehouses without `* exclude`. -#}
{%- set columns = [
    'form_submission_id', 'lead_id', 'anonymous_id', 'form_type', 'asset_name', 'asset_funnel_stage',
    'submitted_at', 'utm_source', 'utm_medium', 'utm_campaign', 'loaded_at',
] %}

with

form_submissions as (

    select * from {{ ref('base_marketing__form_submissions') }}

),

loaded as (

    select
        form_submission_id,
        lead_id,
        anonymous_id,
        form_type,
        asset_name,
        asset_funnel_stage,
        submitted_at,
        utm_source,
        utm_medium,
        utm_campaign,
        loaded_at

    from form_submissions
    where
        quarantine_reason is null
        and not is_after_as_of
        and {{ loaded_since_watermark('loaded_at') }}

),

deduplicated as (

    {{ keep_latest_loaded('loaded', 'form_submission_id', columns=columns) }}

)

select *{{ incremental_key_bucket('form_submission_id') }} from deduplicated
