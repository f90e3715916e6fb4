{#-
    Web form fills, one row per form_submission_id: the clean rows of the export with
    re-delivered copies dropped (the latest loaded copy kept), as stg_marketing__form_submissions
    minus the typed email (personal data stays in staging), stored incrementally: a run reads
    only the rows loaded since the watermark (loaded_since_watermark, by load time) and late rows
    (found and recorded when it is compiled: macros/incremental/late_rows.sql), dedupes them together with the
    stored row of their id and replaces those submission ids. first_loaded_at: the load time of
    the first copy. A point-in-time build (var kpi_as_of) keeps the rows that existed by then,
    like staging, and needs --full-refresh.
-#}
{{ incremental_copy_config('form_submission_id', 'base_marketing__form_submissions') }}
{#- Built after the other incremental copies, never beside them: every copy appends to the same
    late-row log and copy marks (macros/incremental/late_rows.sql), and Spark cannot append to one
    table from two jobs at once. -#}
-- depends_on: {{ ref('stg_marketing__email_events') }}

{{ as_of_needs_full_refresh() }}

{#- The columns of `loaded` below, for keep_latest_loaded on warehouses without `* exclude`. -#}
{%- set columns = [
    'form_submission_id', 'lead_id', 'anonymous_id', 'form_type', 'asset_name', 'asset_funnel_stage',
    'submitted_at', 'utm_source', 'utm_medium', 'utm_campaign', 'loaded_at', 'first_loaded_at',
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
        loaded_at,
        loaded_at as first_loaded_at

    from form_submissions
    where
        quarantine_reason is null
        and not is_after_as_of
        and {{ loaded_since_watermark(
            'loaded_at',
            late_models=[this.identifier],
            late_source=ref('base_marketing__form_submissions'),
            late_key='form_submission_id',
            late_table='form_submissions',
            raw_base=ref('base_marketing__form_submissions'),
        ) }}

),

{%- if is_incremental() %}
{{- require_stored_column('first_loaded_at', 'column') }}

-- The stored row of each id read again: the latest copy wins, whichever run loaded it.
candidates as (

    select * from loaded
    union all
    select
        {%- for column in columns %}
        stored.{{ column }}{{ "," if not loop.last }}
        {%- endfor %}
    from {{ this }} as stored
    where stored.form_submission_id in (select loaded.form_submission_id from loaded)

),
{%- endif %}

deduplicated as (

    {{ keep_latest_loaded(
        'candidates' if is_incremental() else 'loaded',
        'form_submission_id',
        columns=columns,
        first_loaded_column='first_loaded_at',
    ) }}

)

select *{{ incremental_key_bucket('form_submission_id') }} from deduplicated
