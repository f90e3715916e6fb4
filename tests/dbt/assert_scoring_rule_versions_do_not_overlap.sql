{#-
    Two versions of one scoring rule are never valid at the same instant (a signal is awarded
    under exactly one version; docs/scoring.md). Returns the overlapping pairs.
-#}
with

rules as (

    select * from {{ ref('scoring_rules') }}

)

select
    earlier.rule_id,
    earlier.rule_version as earlier_version,
    later.rule_version as later_version

from rules as earlier
inner join rules as later
    on
        earlier.rule_id = later.rule_id
        and earlier.rule_version < later.rule_version
where
    (earlier.valid_to is null or earlier.valid_to > later.valid_from)
    and (later.valid_to is null or later.valid_to > earlier.valid_from)
