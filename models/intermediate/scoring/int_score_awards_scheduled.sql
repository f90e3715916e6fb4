{#-
    One row per award of fct_lead_score_ledger with the instant it stops counting (expires_at):
    a fit award when its rule version ends (rule_valid_to); a step-decay award when the lead has
    been inactive for decay_param days after it: the first of the lead's activity instants (the
    awarded_at of its engagement awards) at or after the award that is followed by a gap of at
    least decay_param days (or by no activity at all), plus decay_param days. Null = never.
    The as-of macros (macros/scoring/) read this model.

    Incremental by lead (docs/incremental.md, macros/incremental/incremental_fingerprints.sql):
    a run re-computes the leads whose ledger rows (or the rules seed) changed since the rows
    stored were computed (inputs_fingerprint), and replaces all their rows.
-#}
{{ incremental_by_key_config(
    'lead_id',
    post_hook="{{ delete_keys_without_inputs('select lead_id from ' ~ ref('fct_lead_score_ledger')) }}",
) }}

{{ as_of_needs_full_refresh() }}

with

{{ import_refs({
    'ledger_awards': 'fct_lead_score_ledger',
    'rules': 'scoring_rules',
}) }},

fingerprints as (

    {{ key_fingerprints(
        [{'relation': 'ledger_awards', 'key': 'lead_id',
          'columns': ['award_id', 'rule_id', 'rule_version', 'awarded_at', 'points', 'lead_inputs_hash']}],
        global_inputs=[{'relation': 'rules',
                        'columns': ['rule_id', 'rule_version', 'valid_from', 'valid_to', 'dimension',
                                    'decay_policy', 'decay_param']}]
    ) }}

),

{% if is_incremental() -%}
touched_leads as (

    {{ fingerprint_changed_keys('fingerprints') }}

),

{% endif -%}

-- The ledger stores rule ids; the rule version's attributes come from the seed. Read by four
-- CTEs: re-joined each time (a scan and a join with the seed) rather than stored (30M rows at 1M).
ledger as {{ cte_not_materialized() }} (

    select
        ledger_awards.award_id,
        ledger_awards.lead_id,
        ledger_awards.rule_id,
        ledger_awards.rule_version,
        rules.dimension,
        ledger_awards.awarded_at,
        ledger_awards.points,
        rules.decay_policy,
        cast(rules.decay_param as {{ type_double() }}) as decay_param,
        -- fit awards count until their version ends; a point-in-time build (var kpi_as_of): a
        -- version ending after it is still in force
        case
            when rules.dimension = 'fit' and {{ within_as_of('rules.valid_to') }} then rules.valid_to
        end as rule_valid_to

    from ledger_awards
    inner join rules
        on
            ledger_awards.rule_id = rules.rule_id
            and ledger_awards.rule_version = rules.rule_version
    where {{ incremental_keys_in('ledger_awards.lead_id', 'touched_leads') }}

),

activity_instants as (

    select distinct
        lead_id,
        awarded_at as active_at

    from ledger
    where dimension = 'engagement'

),

activity_gaps as (

    select
        lead_id,
        active_at,
        lead(active_at) over (partition by lead_id order by active_at) as next_active_at

    from activity_instants

),

step_awards as (

    select
        award_id,
        lead_id,
        awarded_at,
        decay_param

    from ledger
    where decay_policy = 'step'

),

step_expiry as (

    select
        step_awards.award_id,
        {{ dbt.dateadd('day', 'max(step_awards.decay_param)', 'min(activity_gaps.active_at)') }} as expires_at

    from step_awards
    inner join activity_gaps
        on
            step_awards.lead_id = activity_gaps.lead_id
            and step_awards.awarded_at <= activity_gaps.active_at
            and (
                activity_gaps.next_active_at is null
                or activity_gaps.next_active_at
                >= {{ dbt.dateadd('day', 'step_awards.decay_param', 'activity_gaps.active_at') }}
            )
    group by step_awards.award_id

),

final as (

    select
        ledger.award_id,
        ledger.lead_id,
        ledger.rule_id,
        ledger.rule_version,
        ledger.dimension,
        ledger.awarded_at,
        ledger.points,
        ledger.decay_policy,
        ledger.decay_param,
        coalesce(step_expiry.expires_at, ledger.rule_valid_to) as expires_at,
        fingerprints.inputs_fingerprint,
        {{ scoring_bucket('ledger.lead_id') }} as scoring_bucket

    from ledger
    inner join fingerprints
        on ledger.lead_id = fingerprints.lead_id
    left join step_expiry
        on ledger.award_id = step_expiry.award_id

)

select *{{ incremental_key_bucket('lead_id') }} from final
{{ store_rows_in_order('scoring_bucket') }}
