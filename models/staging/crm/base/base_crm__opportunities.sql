{#- Base of stg_crm__opportunities: raw crm.opportunities typed by the contract, with quarantine_reason.
    is_closed / is_won come from the CRM's flags, else from the stage mapping (seed opportunity_stage_mapping); a deal closed before it was created is quarantined. -#}
{% set extra_rules %}
        when derived.close_date < cast(derived.created_at as date)
            then 'close_date before created_at'
{% endset %}
{{
    base_rows(
        'opportunities',
        derived={
            'is_closed': "coalesce(typed.recorded_is_closed, typed.stage_category in ('won', 'lost'))",
            'is_won': "coalesce(typed.recorded_is_won, typed.stage_category = 'won')",
        },
        extra_rules=extra_rules,
    )
}}
