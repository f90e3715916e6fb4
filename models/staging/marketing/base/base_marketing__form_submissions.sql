{#-
    Base of stg_marketing__form_submissions: the raw rows renamed and cast (timestamps in UTC), each with
    `quarantine_reason`, the first quarantine rule it breaks (null when the row is clean).
    stg_marketing__form_submissions keeps the clean rows; quarantine_marketing__form_submissions holds the others.
-#}
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

parent_lead_id as (

    select distinct lead_id
    from {{ ref('stg_crm__leads') }}

),

checked as (

    select
        renamed.*,
        case
            {{- quarantine_when_null(['form_submission_id', 'lead_id', 'email', 'submitted_at', 'loaded_at']) }}
            {{- quarantine_when_orphan('lead_id', 'parent_lead_id', 'lead_id') }}
            {{- quarantine_when_out_of_range(['submitted_at'], loaded_at='loaded_at') }}
            {{- quarantine_when_out_of_range(['loaded_at']) }}
        end as quarantine_reason

    from renamed
    left join parent_lead_id
        on renamed.lead_id = parent_lead_id.lead_id

)

select * from checked
