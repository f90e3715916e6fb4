{#-
    seeds/stage_mapping.csv: one canonical stage per (source_system, source_value), and every
    canonical_stage named exists in seeds/canonical_stages.csv (a typo would silently turn the
    value into 'unknown').
-#}
with

stage_mapping as (

    select * from {{ ref('stage_mapping') }}

),

canonical_stages as (

    select * from {{ ref('canonical_stages') }}

),

duplicated as (

    select
        source_system,
        source_value,
        'duplicated source value' as problem

    from stage_mapping
    group by source_system, source_value
    having count(*) > 1

),

not_canonical as (

    select
        stage_mapping.source_system,
        stage_mapping.source_value,
        'canonical_stage not in canonical_stages' as problem

    from stage_mapping
    left join canonical_stages
        on stage_mapping.canonical_stage = canonical_stages.stage
    where canonical_stages.stage is null

)

select * from duplicated
union all
select * from not_canonical
