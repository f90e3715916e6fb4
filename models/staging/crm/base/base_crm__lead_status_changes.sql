{#- Base of stg_crm__lead_status_changes: raw crm.lead_status_changes typed by the contract, with quarantine_reason.
    A change more than quality_lead_life_tolerance_hours before its lead was created is quarantined. -#}
{% set extra_rules %}
        when derived.changed_at < {{ dbt.dateadd('hour', -1 * var('quality_lead_life_tolerance_hours'), 'lead_life.lead_created_at') }}
            then 'changed_at before lead created_at'
{% endset %}
{% set extra_joins %}
    left join (
        select
            leads.lead_id,
            min(leads.created_at) as lead_created_at
        from {{ ref('stg_crm__leads') }} as leads
        group by leads.lead_id
    ) as lead_life
        on derived.lead_id = lead_life.lead_id
{% endset %}
{{ base_rows('lead_status_changes', extra_rules=extra_rules, extra_joins=extra_joins) }}
