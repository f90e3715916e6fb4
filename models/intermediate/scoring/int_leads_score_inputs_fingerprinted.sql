{#-
    One row per live lead: a fingerprint (hash) of every current-state input of its score awards
    that carries no load time: its profile (int_leads_profiled), the CRM records whose history it
    keeps (merges), the browsers identified as any of them (identities) and the scoring rules.
    The incremental score ledger stores the fingerprint on each award and re-computes a lead when
    its fingerprint changed (a merge, a new identity, a profile change, a rule change) as well
    as when new events of the lead were loaded (macros/incremental, docs/incremental.md).
-#}
{%- set profile_columns = ['profiles.known_at', 'profiles.account_id', 'profiles.title_seniority',
                           'profiles.industry', 'profiles.employee_band', 'profiles.country_code',
                           'profiles.is_target_account', 'profiles.email_domain_type'] -%}
{%- set rule_columns = ['rule_id', 'rule_version', 'valid_from', 'valid_to', 'dimension', 'signal_type',
                        'attribute_name', 'attribute_value', 'points', 'cap_type', 'cap_value',
                        'cap_period', 'decay_policy', 'decay_param'] -%}
{%- set identity_columns = ['identities.anonymous_id', 'identities.lead_id', 'identities.identified_at'] -%}
{#- The rules' doubles as text the same way on every engine (a fingerprint must not depend on it). -#}
{%- set double_columns = ['points', 'cap_value', 'decay_param'] -%}
{%- set ns = namespace(profile=[], rule=[], identity=[]) -%}
{%- for column in profile_columns -%}
    {%- set ns.profile = ns.profile + ["coalesce(cast(" ~ column ~ " as " ~ dbt.type_string() ~ "), '~')", "'|'"] -%}
{%- endfor -%}
{%- for column in rule_columns -%}
    {%- set text = double_text(column) if column in double_columns else "cast(" ~ column ~ " as " ~ dbt.type_string() ~ ")" -%}
    {%- set ns.rule = ns.rule + ["coalesce(" ~ text ~ ", '~')", "'|'"] -%}
{%- endfor -%}
{%- for column in identity_columns -%}
    {%- set ns.identity = ns.identity + ["coalesce(cast(" ~ column ~ " as " ~ dbt.type_string() ~ "), '~')", "'|'"] -%}
{%- endfor -%}

with

{{ import_refs({
    'lead_records': 'int_leads_merges_resolved',
    'profiles': 'int_leads_profiled',
    'identities': 'stg_marketing__identities',
    'rules': 'scoring_rules',
}) }},

kept_records as (

    {{ kept_lead_records() }}

),

-- The rules hashed once (their text is long): each lead's text carries the hash, not the text.
rules_fingerprint as (

    select {{ dbt.hash(sorted_listagg(dbt.concat(ns.rule), "'#'")) }} as rules_hash

    from rules

),

records_fingerprint as (

    select
        lead_id,
        {{ sorted_listagg('source_lead_id', "'#'") }} as records_text

    from kept_records
    group by lead_id

),

identities_fingerprint as (

    select
        kept_records.lead_id,
        {{ sorted_listagg(dbt.concat(ns.identity), "'#'") }} as identities_text

    from identities
    inner join kept_records
        on identities.lead_id = kept_records.source_lead_id
    group by kept_records.lead_id

),

final as (

    select
        profiles.lead_id,
        {{ dbt.hash(dbt.concat(ns.profile + [
            "coalesce(records_fingerprint.records_text, '~')", "'|'",
            "coalesce(identities_fingerprint.identities_text, '~')", "'|'",
            "coalesce(rules_fingerprint.rules_hash, '~')"
        ])) }} as inputs_hash

    from profiles
    {{- left_join_on_key('profiles', ['records_fingerprint', 'identities_fingerprint']) }}
    cross join rules_fingerprint

)

select * from final
