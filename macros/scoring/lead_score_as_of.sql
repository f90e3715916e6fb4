{#-
    As-of lead scores (docs/scoring.md). All read int_score_awards_scheduled (the ledger with
    each award's expiry) and seed scoring_thresholds (floors); all are portable SQL.

    score_award_value(award, as_of)
        The contribution of one award (table alias `award`) at the instant `as_of` (a SQL
        expression): 0 before it is awarded and from its expires_at on; otherwise its points
        decayed by age = (as_of - awarded_at) in days:
          none, step: points
          half_life:  points x 0.5 ^ (age / decay_param)
          linear:     points x max(0, 1 - decay_param / 100 x age / var scoring_days_per_month)

    lead_scores_at(instants, awards=none)
        `awards`: the awards to score with (a relation or CTE in the columns of
        int_score_awards_scheduled; default that model): an incremental model passes the awards
        of the leads it re-computes.
        A select (a WITH query; its CTEs are named scoring_*, so `instants` must not be) of one
        row per distinct (lead_id, scored_at) of `instants` (a relation or CTE): fit_score (sum
        of fit contributions), engagement_points (sum of engagement contributions),
        engagement_score (engagement_points, floored at engagement_floor) and total_score
        (fit_score + engagement_score, floored at score_floor). Two ways, chosen per lead, same
        results (to rounding, < 1e-12 on the benchmark data):
        - Join: each instant joined to every award of the lead made at or before it, valued by
          score_award_value. Cost ~ instants x awards of the lead, the cheapest for a lead with
          few instants or few awards (one instant per lead: lead_score_as_of, the fit grades,
          the backtest at the first MQL).
        - Running sums, when instants x awards > var scoring_running_sum_factor (default 20)
          x (instants + awards): cost ~ (instants + awards) log of that, for leads with many of
          both. Every award is a start event (awarded_at) and, if it stops counting, an end event
          (expires_at, or for linear decay the instant it reaches zero, awarded_at + 100 /
          decay_param x days_per_month days, rounded to the microsecond, if earlier); one window
          sum per lead over its events and instants ordered in time gives, at each instant, the
          awards made before it and not ended at it (an award counts from awarded_at, so one
          made at the instant counts, undecayed; none counts from its expires_at on, so an end
          at the instant is applied first).
            undecayed (none, step, fit): value = sum of p, exact.
            linear (k = decay_param / 100 / days_per_month per day): p x (1 - k x (t - a)) =
              level - slope x (t - r), level = sum of p x (1 + k x (a - r)), slope = sum of k x p,
              with r the lead's first instant.
            half-life h: p x 0.5 ^ ((t - a) / h) = 0.5 ^ ((t - s) / h) x sum of p x 2 ^ ((a - s) / h),
              with s the start of the award's block: blocks of 128 half-lives from 2000-01-01.
              An award is summed in its block and the next, and an instant reads its own block,
              so every exponent stays within [-128, 128] (2^128 ~ 3e38, far from overflow or
              underflow) whatever the span of the data; what it leaves out are awards more than
              128 half-lives old at the instant, worth < 2^-128 x p (~3e-39 p).
          Each decay group (dimension, linear | half-life h and block) of a lead has a slot, a
          column of the window, scoring_slots_per_pass() (4) per pass; a lead with more groups
          has more passes (its instants repeated). A decaying sum counts only while one of its
          awards is active, so an instant with none has exactly its undecayed points (and
          crossings of integer thresholds by undecayed points stay exact). Each window is one
          total order per lead (ties broken by award), so its sums add the same values in the
          same order in every build.
        Precision: each contribution (an award's value by the join, a pass's value by the running
        sums, the points awarded at the instant) is rounded to scoring_sum_scale() (15) decimals
        and summed as a decimal (type_score_sum): exact, so the sum does not depend on the order
        a parallel aggregate adds rows in, and two builds give bit-identical scores. Scores are
        published rounded to scoring_score_decimals() (9) decimals, as doubles: within 5e-10 of
        the exact value.

    lead_score_as_of(as_of)
        The scores of every lead known at `as_of` (a SQL timestamp expression, e.g.
        "cast('2026-06-01' as timestamp)"): one row per lead with as_of, fit_score,
        engagement_points, engagement_score, total_score. Use it in an analysis or model:
            select * from ({{ lead_score_as_of("cast('2026-06-01' as timestamp)") }}) as scores

    scoring_as_of()
        "Now" of the scoring: var scoring_as_of, or (null) the latest engagement award of the ledger.
-#}

{% macro score_award_value(award, as_of) -%}
    case
        when {{ award }}.awarded_at > {{ as_of }} then 0
        when {{ award }}.expires_at is not null and {{ as_of }} >= {{ award }}.expires_at then 0
        when {{ award }}.decay_policy = 'half_life'
            then {{ award }}.points * power(
                0.5, {{ score_age_days(award ~ '.awarded_at', as_of) }} / {{ award }}.decay_param
            )
        when {{ award }}.decay_policy = 'linear'
            then {{ award }}.points * greatest(
                0,
                1 - {{ award }}.decay_param / 100.0 * {{ score_age_days(award ~ '.awarded_at', as_of) }}
                / {{ var('scoring_days_per_month') }}
            )
        else {{ award }}.points
    end
{%- endmacro %}

{% macro score_age_days(from_instant, to_instant) -%}
    (cast({{ dbt.datediff(from_instant, to_instant, 'microsecond') }} as {{ type_double() }}) / 86400000000.0)
{%- endmacro %}

{% macro scoring_floors_select() -%}
    select
        max(case when threshold_type = 'score_floor' then lower_bound end) as score_floor,
        max(case when threshold_type = 'engagement_floor' then lower_bound end) as engagement_floor,
        max(case when threshold_type = 'mql_threshold' then lower_bound end) as mql_threshold
    from {{ ref('scoring_thresholds') }}
{%- endmacro %}

{#- Internal helpers of lead_scores_at: the fixed anchor of half-life blocks and block arithmetic. -#}
{% macro scoring_half_lives_per_block() -%}
    128
{%- endmacro %}

{% macro scoring_microseconds_since_anchor(instant) -%}
    cast(
        {{ dbt.datediff("cast('2000-01-01 00:00:00' as " ~ dbt.type_timestamp() ~ ")", instant, 'microsecond') }}
        as {{ type_double() }}
    )
{%- endmacro %}

{% macro scoring_half_life_block(instant, half_life) -%}
    cast(floor(
        {{ scoring_microseconds_since_anchor(instant) }}
        / ({{ scoring_half_lives_per_block() }} * {{ half_life }} * 86400000000.0)
    ) as {{ dbt.type_bigint() }})
{%- endmacro %}

{#- Half-lives from the start of block `block` (of half-life `half_life`) to `instant`. -#}
{% macro scoring_half_lives_into_block(instant, half_life, block) -%}
    (
        (
            {{ scoring_microseconds_since_anchor(instant) }}
            - {{ block }} * {{ scoring_half_lives_per_block() }} * {{ half_life }} * 86400000000.0
        )
        / ({{ half_life }} * 86400000000.0)
    )
{%- endmacro %}

{#- Decay groups summed side by side in one pass over a lead's events (see lead_scores_at). -#}
{% macro scoring_slots_per_pass() -%}
    4
{%- endmacro %}

{#- The value at `instant` of slot k of a pass, from its running sums (see lead_scores_at). -#}
{% macro scoring_slot_value(k, instant, running, slots, leads) -%}
    case
        when {{ slots }}.slot_{{ k }}_kind = 'linear'
            then {{ running }}.slot_{{ k }}_level
            - {{ running }}.slot_{{ k }}_slope * {{ score_age_days(leads ~ '.first_scored_at', instant) }}
        when
            {{ slots }}.slot_{{ k }}_kind = 'half_life'
            and {{ slots }}.slot_{{ k }}_block
            = {{ scoring_half_life_block(instant, slots ~ '.slot_' ~ k ~ '_half_life') }}
            then {{ running }}.slot_{{ k }}_level * power(0.5, {{ scoring_half_lives_into_block(
                instant, slots ~ '.slot_' ~ k ~ '_half_life', slots ~ '.slot_' ~ k ~ '_block'
            ) }})
        else 0
    end
{%- endmacro %}

{#- The value columns of one row of lead_scores_at's events: `values` maps a column to its
    expression, every other column is 0. -#}
{% macro scoring_event_values(columns, values) -%}
    {%- for column in columns %}
            cast({{ values.get(column, '0') }} as {{ type_double() }}) as {{ column }}{{ "," if not loop.last }}
    {%- endfor %}
{%- endmacro %}

{#- Precision of scores (docs/scoring.md): every contribution is summed as an exact decimal with
    scoring_sum_scale() decimals (sums of decimals do not depend on the order rows are added in,
    so two builds give bit-identical scores), and scores are published rounded to
    scoring_score_decimals() decimals, as doubles. -#}
{% macro scoring_sum_scale() -%}
    15
{%- endmacro %}

{% macro scoring_score_decimals() -%}
    9
{%- endmacro %}

{% macro type_score_sum() -%}
    {{ return(adapter.dispatch('type_score_sum', 'lead_funnel')()) }}
{%- endmacro %}

{% macro default__type_score_sum() -%}
    decimal(38, {{ scoring_sum_scale() }})
{%- endmacro %}

{#- `expression` (a double) as an exact summand: rounded to scoring_sum_scale() decimals. -#}
{% macro scoring_exact(expression) -%}
    cast({{ expression }} as {{ type_score_sum() }})
{%- endmacro %}

{#- An exact score as published: rounded to scoring_score_decimals() decimals, a double. -#}
{% macro scoring_rounded(expression) -%}
    cast(round({{ expression }}, {{ scoring_score_decimals() }}) as {{ type_double() }})
{%- endmacro %}

{#- The sum of the slot values of one dimension at an instant (scoring_instant_slots). -#}
{% macro scoring_slot_sum(slots, dimension) -%}
    {%- for k in slots -%}
        (case when slot_{{ k }}_dimension = '{{ dimension }}' then slot_{{ k }}_value else 0 end)
        {{- " + " if not loop.last }}
    {%- endfor -%}
{%- endmacro %}

{% macro lead_scores_at(instants, awards=none) -%}
    {%- set slots = range(scoring_slots_per_pass() | int) -%}
    {%- set days_per_month = var('scoring_days_per_month') -%}
    {%- set linear_slope = "(award.decay_param / 100.0 / " ~ days_per_month ~ ")" -%}
    {%- set linear_zero_at = scoring_add_microseconds(
        "100.0 * " ~ days_per_month ~ " / award.decay_param * 86400000000.0", 'award.awarded_at'
    ) -%}
    {#- One total order per lead and pass (ties broken by award), so every running sum adds the
        same values in the same order in every build: bit-identical results. -#}
    {%- set running = "over (partition by scoring_events.lead_number, scoring_events.pass_number"
        ~ " order by scoring_events.event_at, scoring_events.event_order, scoring_events.event_award_id,"
        ~ " scoring_events.event_block_shift rows between unbounded preceding and current row)" -%}
    {%- set undecayed = "(decay_policy is null or decay_policy not in ('linear', 'half_life'))" -%}
    {%- set value_columns = ['fit_constant', 'engagement_constant', 'fit_active', 'engagement_active'] -%}
    {%- for k in slots -%}
        {%- do value_columns.extend(['slot_' ~ k ~ '_level', 'slot_' ~ k ~ '_slope']) -%}
    {%- endfor -%}
    {#- every award of the model (no `awards`): scanned by each CTE reading it rather than stored
        for the query (at 1M int_leads_fit_graded fell from 15 s to 5.4 s); a filtered CTE
        passed as `awards` is left to the engine (DuckDB stores just its rows) #}
    with

    scoring_awards as {{ cte_not_materialized() if awards is none }} (

        select * from {{ awards if awards is not none else ref('int_score_awards_scheduled') }}

    ),

    scoring_floors as (

        {{ scoring_floors_select() }}

    ),

    scoring_instants as (

        select distinct
            instants.lead_id,
            instants.scored_at

        from {{ instants }} as instants

    ),

    scoring_award_counts as (

        select
            lead_id,
            count(*) as award_count

        from scoring_awards
        group by lead_id

    ),

    -- Per lead: its instants, and how it is scored: by running sums (cost ~ awards + instants)
    -- when the join of every instant to every award (cost ~ awards x instants) would be larger
    -- than var scoring_running_sum_factor times that, else by the join.
    scoring_leads as (

        select
            instant_leads.lead_id,
            instant_leads.lead_number,
            instant_leads.first_scored_at,
            instant_leads.last_scored_at,
            coalesce(
                instant_leads.instant_count * scoring_award_counts.award_count
                > {{ var('scoring_running_sum_factor', 20) }}
                * (instant_leads.instant_count + scoring_award_counts.award_count),
                false
            ) as is_running

        from (
            select
                lead_id,
                row_number() over (order by lead_id) as lead_number,
                count(*) as instant_count,
                min(scored_at) as first_scored_at,
                max(scored_at) as last_scored_at

            from scoring_instants
            where scored_at is not null
            group by lead_id
        ) as instant_leads
        left join scoring_award_counts
            on instant_leads.lead_id = scoring_award_counts.lead_id

    ),

    -- Leads scored by the join: each award valued at each instant at or after it.
    scoring_joined_scores as (

        select
            scoring_instants.lead_id,
            scoring_instants.scored_at,
            {%- for dimension in ['fit', 'engagement'] %}
            sum(
                case
                    when award.dimension = '{{ dimension }}'
                        then {{ scoring_exact(score_award_value('award', 'scoring_instants.scored_at')) }}
                    else 0
                end
            ) as {{ dimension }}_points{{ ',' if not loop.last }}
            {%- endfor %}

        from scoring_instants
        inner join scoring_leads
            on
                scoring_instants.lead_id = scoring_leads.lead_id
                and not scoring_leads.is_running
        inner join scoring_awards as award
            on
                scoring_instants.lead_id = award.lead_id
                and award.awarded_at <= scoring_instants.scored_at
        group by scoring_instants.lead_id, scoring_instants.scored_at

    ),

    -- Leads scored by running sums: their awards made by the last instant, each
    -- with the instant it stops counting (ends_at): its expiry, or for linear decay the instant it
    -- reaches zero when that is earlier.
    scoring_award_spans as (

        select
            award.award_id,
            award.lead_id,
            award.dimension,
            award.decay_policy,
            award.decay_param,
            award.points,
            award.awarded_at as starts_at,
            case
                when
                    award.decay_policy = 'linear'
                    and (award.expires_at is null or award.expires_at > {{ linear_zero_at }})
                    then {{ linear_zero_at }}
                else award.expires_at
            end as ends_at,
            case
                when award.decay_policy = 'linear' then {{ linear_slope }}
                else 0
            end as linear_slope,
            scoring_leads.lead_number,
            scoring_leads.first_scored_at,
            scoring_leads.last_scored_at

        from scoring_awards as award
        inner join scoring_leads
            on
                award.lead_id = scoring_leads.lead_id
                and scoring_leads.is_running
                and award.awarded_at <= scoring_leads.last_scored_at
        where award.expires_at is null or award.expires_at > award.awarded_at

    ),

    scoring_half_life_spans as (

        select
            scoring_award_spans.*,
            {{ scoring_half_life_block('starts_at', 'decay_param') }} as award_block,
            {{ scoring_half_life_block('last_scored_at', 'decay_param') }} as last_block

        from scoring_award_spans
        where decay_policy = 'half_life' and starts_at < last_scored_at

    ),

    -- Decaying awards, one row per award and decay group (dimension, linear | half-life h and its
    -- block b). Linear: decay_level = p x (1 + k x (awarded_at - r)), decay_slope = k x p, with r
    -- the lead's first instant: the value at t, p - k x p x (t - awarded_at), is
    -- level - slope x (t - r). Half-life: decay_level = p x 2 ^ ((awarded_at - start of b) / h), the
    -- value at t = level x 0.5 ^ ((t - start of b) / h); an award is also summed in the next block
    -- when the lead has instants there.
    scoring_decay_terms as (

        select
            award_id,
            0 as block_shift,
            lead_id,
            lead_number,
            dimension,
            'linear' as group_kind,
            cast(0 as {{ type_double() }}) as group_half_life,
            cast(0 as {{ dbt.type_bigint() }}) as group_block,
            starts_at,
            ends_at,
            last_scored_at,
            cast(
                points * (1 + linear_slope * {{ score_age_days('first_scored_at', 'starts_at') }})
                as {{ type_double() }}
            ) as decay_level,
            cast(points * linear_slope as {{ type_double() }}) as decay_slope

        from scoring_award_spans
        where decay_policy = 'linear' and starts_at < last_scored_at

        union all

        select
            scoring_half_life_spans.award_id,
            block_shifts.block_shift,
            scoring_half_life_spans.lead_id,
            scoring_half_life_spans.lead_number,
            scoring_half_life_spans.dimension,
            'half_life' as group_kind,
            scoring_half_life_spans.decay_param as group_half_life,
            cast(scoring_half_life_spans.award_block + block_shifts.block_shift as {{ dbt.type_bigint() }})
                as group_block,
            scoring_half_life_spans.starts_at,
            scoring_half_life_spans.ends_at,
            scoring_half_life_spans.last_scored_at,
            cast(
                scoring_half_life_spans.points * power(2.0, {{ scoring_half_lives_into_block(
                    'scoring_half_life_spans.starts_at',
                    'scoring_half_life_spans.decay_param',
                    '(scoring_half_life_spans.award_block + block_shifts.block_shift)'
                ) }})
                as {{ type_double() }}
            ) as decay_level,
            cast(0 as {{ type_double() }}) as decay_slope

        from scoring_half_life_spans
        cross join (
            select 0 as block_shift
            union all
            select 1 as block_shift
        ) as block_shifts
        where
            block_shifts.block_shift = 0
            or scoring_half_life_spans.last_block > scoring_half_life_spans.award_block

    ),

    -- Each decay group of a lead gets a slot: pass_number (0, 1, ...) and slot_number within it.
    scoring_decay_slots as (

        select
            lead_number,
            dimension,
            group_kind,
            group_half_life,
            group_block,
            cast(floor(group_number / {{ slots | length }}.0) as {{ dbt.type_bigint() }}) as pass_number,
            cast(group_number - {{ slots | length }} * floor(group_number / {{ slots | length }}.0)
                as {{ dbt.type_bigint() }}) as slot_number

        from (
            select
                lead_number,
                dimension,
                group_kind,
                group_half_life,
                group_block,
                dense_rank() over (
                    partition by lead_number
                    order by dimension, group_kind, group_half_life, group_block
                ) - 1 as group_number

            from (
                select distinct
                    lead_number,
                    dimension,
                    group_kind,
                    group_half_life,
                    group_block

                from scoring_decay_terms
            ) as decay_groups
        ) as numbered_groups

    ),

    scoring_pass_slots as (

        select
            lead_number,
            pass_number,
            {%- for k in slots %}
            max(case when slot_number = {{ k }} then dimension end) as slot_{{ k }}_dimension,
            max(case when slot_number = {{ k }} then group_kind end) as slot_{{ k }}_kind,
            max(case when slot_number = {{ k }} then group_half_life end) as slot_{{ k }}_half_life,
            max(case when slot_number = {{ k }} then group_block end) as slot_{{ k }}_block{{ "," if not loop.last }}
            {%- endfor %}

        from scoring_decay_slots
        group by lead_number, pass_number

    ),

    scoring_slotted_terms as (

        select
            scoring_decay_terms.award_id,
            scoring_decay_terms.block_shift,
            scoring_decay_terms.lead_number,
            scoring_decay_slots.pass_number,
            scoring_decay_slots.slot_number,
            scoring_decay_terms.dimension,
            scoring_decay_terms.starts_at,
            scoring_decay_terms.ends_at,
            scoring_decay_terms.last_scored_at,
            scoring_decay_terms.decay_level,
            scoring_decay_terms.decay_slope

        from scoring_decay_terms
        inner join scoring_decay_slots
            on
                scoring_decay_terms.lead_number = scoring_decay_slots.lead_number
                and scoring_decay_terms.dimension = scoring_decay_slots.dimension
                and scoring_decay_terms.group_kind = scoring_decay_slots.group_kind
                and scoring_decay_terms.group_half_life = scoring_decay_slots.group_half_life
                and scoring_decay_terms.group_block = scoring_decay_slots.group_block

    ),

    -- Award starts (+) and ends (-) and the instants scored, per lead and pass, in one total
    -- order: at the same instant ends (0) come before the instant (1), starts (2) after it, so
    -- the running sum at an instant holds the awards made before it and not ended at it.
    -- Constant columns sum undecayed (none, step) points, active columns count decaying awards,
    -- slot columns sum the terms of each slot's decay group.
    scoring_events as (

        {%- for sign, event_at, event_order, condition in [
            ('', 'starts_at', 2, undecayed), ('-', 'ends_at', 0, undecayed ~ ' and ends_at <= last_scored_at')
        ] %}

        select
            lead_number,
            0 as pass_number,
            {{ event_at }} as event_at,
            {{ event_order }} as event_order,
            award_id as event_award_id,
            0 as event_block_shift,
            0 as is_instant,
            {{ scoring_event_values(value_columns, {
                'fit_constant': "case when dimension = 'fit' then " ~ sign ~ "points else 0 end",
                'engagement_constant': "case when dimension = 'engagement' then " ~ sign ~ "points else 0 end",
            }) }}

        from scoring_award_spans
        where {{ condition }}

        union all
        {%- endfor %}

        {%- for sign, event_at, event_order, condition in [
            ('', 'starts_at', 2, '1 = 1'), ('-', 'ends_at', 0, 'ends_at <= last_scored_at')
        ] %}

        select
            lead_number,
            pass_number,
            {{ event_at }} as event_at,
            {{ event_order }} as event_order,
            award_id as event_award_id,
            block_shift as event_block_shift,
            0 as is_instant,
            {%- set slot_values = {
                'fit_active': "case when dimension = 'fit' then " ~ sign ~ "1 else 0 end",
                'engagement_active': "case when dimension = 'engagement' then " ~ sign ~ "1 else 0 end",
            } %}
            {%- for k in slots %}
                {%- do slot_values.update({
                    'slot_' ~ k ~ '_level': "case when slot_number = " ~ k ~ " then " ~ sign ~ "decay_level else 0 end",
                    'slot_' ~ k ~ '_slope': "case when slot_number = " ~ k ~ " then " ~ sign ~ "decay_slope else 0 end",
                }) %}
            {%- endfor %}
            {{ scoring_event_values(value_columns, slot_values) }}

        from scoring_slotted_terms
        where {{ condition }}

        union all
        {%- endfor %}

        select
            scoring_leads.lead_number,
            coalesce(lead_passes.pass_number, 0) as pass_number,
            scoring_instants.scored_at as event_at,
            1 as event_order,
            cast(null as {{ dbt.type_string() }}) as event_award_id,
            0 as event_block_shift,
            1 as is_instant,
            {{ scoring_event_values(value_columns, {}) }}

        from scoring_instants
        inner join scoring_leads
            on
                scoring_instants.lead_id = scoring_leads.lead_id
                and scoring_leads.is_running
        left join (
            select distinct
                lead_number,
                pass_number

            from scoring_decay_slots
        ) as lead_passes
            on scoring_leads.lead_number = lead_passes.lead_number
        where scoring_instants.scored_at is not null

    ),

    -- Running sums: at an instant, the awards made before it and not ended at it.
    scoring_running as (

        select
            scoring_events.lead_number,
            scoring_events.pass_number,
            scoring_events.event_at,
            scoring_events.is_instant,
            {%- for column in value_columns %}
            sum(scoring_events.{{ column }}) {{ running }} as {{ column }}{{ "," if not loop.last }}
            {%- endfor %}

        from scoring_events

    ),

    -- Points awarded at an instant count undecayed at it (summed exactly).
    scoring_fresh_points as (

        select
            lead_number,
            starts_at,
            sum(case when dimension = 'fit' then {{ scoring_exact('points') }} else 0 end) as fit_points,
            sum(case when dimension = 'engagement' then {{ scoring_exact('points') }} else 0 end)
                as engagement_points

        from scoring_award_spans
        group by lead_number, starts_at

    ),

    scoring_instant_slots as (

        select
            scoring_leads.lead_id,
            scoring_running.lead_number,
            scoring_running.event_at as scored_at,
            scoring_running.fit_constant as fit_undecayed,
            scoring_running.engagement_constant as engagement_undecayed,
            scoring_running.fit_active,
            scoring_running.engagement_active,
            {%- for k in slots %}
            scoring_pass_slots.slot_{{ k }}_dimension,
            {{ scoring_slot_value(
                k, 'scoring_running.event_at', 'scoring_running', 'scoring_pass_slots', 'scoring_leads'
            ) }} as slot_{{ k }}_value{{ "," if not loop.last }}
            {%- endfor %}

        from scoring_running
        inner join scoring_leads
            on scoring_running.lead_number = scoring_leads.lead_number
        left join scoring_pass_slots
            on
                scoring_running.lead_number = scoring_pass_slots.lead_number
                and scoring_running.pass_number = scoring_pass_slots.pass_number
        where scoring_running.is_instant = 1

    ),

    -- Per instant, the sum over its passes (each pass's value summed exactly), plus the points
    -- awarded at the instant. The decayed part of a dimension counts only while one of its
    -- decaying awards is active, so an instant with none gets exactly the undecayed points.
    scoring_running_scores as (

        select
            scoring_instant_slots.lead_id,
            scoring_instant_slots.scored_at,
            {%- for dimension in ['fit', 'engagement'] %}
            sum(
                {{ scoring_exact(
                    dimension ~ "_undecayed + case when " ~ dimension ~ "_active > 0 then "
                    ~ scoring_slot_sum(slots, dimension) ~ " else 0 end"
                ) }}
            ) + coalesce(max(scoring_fresh_points.{{ dimension }}_points), 0) as {{ dimension }}_points
            {{- "," if not loop.last }}
            {%- endfor %}

        from scoring_instant_slots
        left join scoring_fresh_points
            on
                scoring_instant_slots.lead_number = scoring_fresh_points.lead_number
                and scoring_instant_slots.scored_at = scoring_fresh_points.starts_at
        group by scoring_instant_slots.lead_id, scoring_instant_slots.scored_at

    ),

    -- Exact (decimal) sums of both ways, then the floors.
    scoring_summed as (

        select
            scoring_instants.lead_id,
            scoring_instants.scored_at,
            coalesce(scoring_joined_scores.fit_points, 0)
            + coalesce(scoring_running_scores.fit_points, 0) as fit_points,
            coalesce(scoring_joined_scores.engagement_points, 0)
            + coalesce(scoring_running_scores.engagement_points, 0) as engagement_points

        from scoring_instants
        left join scoring_joined_scores
            on
                scoring_instants.lead_id = scoring_joined_scores.lead_id
                and scoring_instants.scored_at = scoring_joined_scores.scored_at
        left join scoring_running_scores
            on
                scoring_instants.lead_id = scoring_running_scores.lead_id
                and scoring_instants.scored_at = scoring_running_scores.scored_at

    ),

    scoring_floored as (

        select
            scoring_summed.lead_id,
            scoring_summed.scored_at,
            scoring_summed.fit_points,
            scoring_summed.engagement_points,
            greatest(
                scoring_summed.engagement_points,
                coalesce({{ scoring_exact('scoring_floors.engagement_floor') }}, scoring_summed.engagement_points)
            ) as engagement_score,
            {{ scoring_exact('scoring_floors.score_floor') }} as score_floor

        from scoring_summed
        cross join scoring_floors

    )

    select
        lead_id,
        scored_at,
        {{ scoring_rounded('fit_points') }} as fit_score,
        {{ scoring_rounded('engagement_points') }} as engagement_points,
        {{ scoring_rounded('engagement_score') }} as engagement_score,
        {{ scoring_rounded(
            'greatest(fit_points + engagement_score, coalesce(score_floor, fit_points + engagement_score))'
        ) }} as total_score
    from scoring_floored
{%- endmacro %}

{% macro lead_score_as_of(as_of) -%}
    select
        scores.lead_id,
        scores.scored_at as as_of,
        scores.fit_score,
        scores.engagement_points,
        scores.engagement_score,
        scores.total_score
    from (
        {{ lead_scores_at(
            "(select lead_id, " ~ as_of ~ " as scored_at from " ~ ref('int_leads_profiled')
            ~ " where known_at <= " ~ as_of ~ ")"
        ) }}
    ) as scores
{%- endmacro %}

{% macro scoring_as_of() -%}
    {%- if var('scoring_as_of') -%}
        cast('{{ var("scoring_as_of") }}' as {{ dbt.type_timestamp() }})
    {%- elif kpi_as_of_literal() is not none -%}
        {{ kpi_as_of_literal() }}
    {%- else -%}
        (select max(awarded_at) from {{ ref('int_score_awards_scheduled') }} where dimension = 'engagement')
    {%- endif -%}
{%- endmacro %}

{#- What an incremental scoring model fingerprints per lead (macros/incremental/incremental_fingerprints.sql):
    every column of int_score_awards_scheduled a score reads, the vars the scores depend on, and
    the thresholds seed (floors, bands). -#}
{% macro scoring_award_fingerprint_columns() -%}
    {{ return([
        'award_id', 'dimension', 'awarded_at', 'points', 'decay_policy', 'decay_param', 'expires_at',
        "'" ~ var('scoring_days_per_month') ~ "'",
    ]) }}
{%- endmacro %}

{% macro scoring_threshold_fingerprint_columns() -%}
    {{ return(['threshold_type', 'label', 'band_order', 'lower_bound', 'upper_bound']) }}
{%- endmacro %}
