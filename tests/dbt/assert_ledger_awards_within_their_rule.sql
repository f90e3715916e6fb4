{#-
    Every award of fct_lead_score_ledger names a rule version of seed scoring_rules (the ledger
    stores the rule's id, not its attributes), and its points lie within the version's points:
    the same sign, and no more than them in absolute value (a max_points cap can cut the last
    award of a period). Returns the awards that break this.
-#}
with

ledger as (

    select * from {{ ref('fct_lead_score_ledger') }}

),

rules as (

    select * from {{ ref('scoring_rules') }}

)

select
    ledger.award_id,
    ledger.rule_id,
    ledger.rule_version,
    ledger.points,
    rules.points as rule_points

from ledger
left join rules
    on
        ledger.rule_id = rules.rule_id
        and ledger.rule_version = rules.rule_version
where
    rules.rule_id is null
    or abs(ledger.points) > abs(rules.points)
    or ledger.points * rules.points <= 0
    or ledger.is_capped <> (ledger.points <> rules.points)
