with

source as (

    select * from {{ source('marketing', 'form_submissions') }}

),

renamed as (

    select
        cast(submission_id as {{ dbt.type_string() }}) as form_submission_id,
        cast(lead_id as {{ dbt.type_string() }}) as lead_id,
        cast(anonymous_id as {{ dbt.type_string() }}) as anonymous_id,
        {{ clean_email('email') }} as email,
        {{ map_unknown('lower(form_type)', 'form_submissions', 'form_type') }} as form_type,
        nullif(trim(cast(asset_name as {{ dbt.type_string() }})), '') as asset_name,
        {{ map_unknown('lower(asset_funnel_stage)', 'form_submissions', 'asset_funnel_stage') }}
            as asset_funnel_stage,
        {{ to_utc_timestamp('submitted_at') }} as submitted_at,
        nullif(lower(trim(cast(utm_source as {{ dbt.type_string() }}))), '') as utm_source,
        nullif(lower(trim(cast(utm_medium as {{ dbt.type_string() }}))), '') as utm_medium,
        nullif(trim(cast(utm_campaign as {{ dbt.type_string() }})), '') as utm_campaign,
        {{ to_utc_timestamp('loaded_at') }} as loaded_at

    from source

),

deduplicated as (

    {{ keep_latest_loaded('renamed', 'form_submission_id') }}

)

select * from deduplicated
