{#-
    Every piece of evidence that a lead was in a canonical stage at an instant, keyed to the
    surviving lead (merged records' evidence follows the survivor; records of deleted leads
    are excluded). One row per piece of evidence; key (evidence_source, evidence_id). A won deal
    is absorbing (nothing after the first won deal); score evidence never moves a lead out of a
    qualified or terminal stage. Definitions: docs/lifecycle.md. The automatic recycling of
    MQLs nobody accepted is int_mql_expiries_scheduled.
-#}
{#- var mql_evidence_source is checked with every var before the run (macro check_vars). -#}
{%- set mql_source = var('mql_evidence_source') -%}

with

{{ import_refs({
    'lead_records': 'int_leads_merges_resolved',
    'status_changes': 'stg_crm__lead_status_changes',
    'lead_snapshot': 'snp_crm__leads',
    'identities': 'stg_marketing__identities',
    'web_events': 'stg_marketing__web_events',
    'opportunities': 'stg_crm__opportunities',
    'opportunity_stage_changes': 'stg_crm__opportunity_stage_changes',
    'canonical_stages': 'canonical_stages',
    'evidence_sources': 'lifecycle_evidence_sources',
    'scored_mql_evidence': 'int_leads_mql_evidence_scored',
}) }},

-- Lead records whose history is kept (live leads and records merged into a live lead).
kept_records as (

    {{ kept_lead_records(extra_columns=['created_at']) }}

),

-- The configured CRM's vocabulary (seed stage_mapping, the same lookup staging maps the status
-- history with): for the snapshot versions, which keep the raw status.
crm_stage_mapping as (

    {{ vocabulary_lookup('lead_stage') }}

),

crm_status_history as (

    select
        kept_records.lead_id,
        kept_records.source_lead_id,
        status_changes.new_stage as stage,
        status_changes.new_source_status as source_value,
        status_changes.changed_at as occurred_at,
        'crm_status' as evidence_source,
        status_changes.status_change_id as evidence_id

    from status_changes
    inner join kept_records
        on status_changes.lead_id = kept_records.source_lead_id
    -- A history row whose old value equals the new one (case and spaces aside) is a re-save, not
    -- a change of stage.
    where
        status_changes.old_source_status is null
        or lower(status_changes.old_source_status) <> lower(status_changes.new_source_status)

),

-- A merged (duplicate) record is born as a new lead: its entries into `lead` say nothing about
-- a person already known (its creation still counts in first_known_evidence) and are dropped;
-- the rest of its history follows the survivor.
crm_status_evidence as (

    select * from crm_status_history
    where not (stage = 'lead' and source_lead_id <> lead_id)

),

leads_with_status_history as (

    select distinct kept_records.lead_id

    from status_changes
    inner join kept_records
        on status_changes.lead_id = kept_records.source_lead_id

),

-- Current-state CRMs: for a lead none of whose records has any status history, each version
-- of the surviving record captured by the snapshot is evidence, at dbt_valid_from.
crm_snapshot_evidence as (

    select
        kept_records.lead_id,
        kept_records.source_lead_id,
        case
            when lead_snapshot.source_status is null then null
            else coalesce(crm_stage_mapping.mapped_value, 'unmapped')
        end as stage,
        lead_snapshot.source_status as source_value,
        lead_snapshot.dbt_valid_from as occurred_at,
        'crm_snapshot' as evidence_source,
        lead_snapshot.dbt_scd_id as evidence_id

    from lead_snapshot
    inner join kept_records
        on
            lead_snapshot.lead_id = kept_records.source_lead_id
            and kept_records.source_lead_id = kept_records.lead_id
    left join leads_with_status_history
        on kept_records.lead_id = leads_with_status_history.lead_id
    left join crm_stage_mapping
        on lower(trim(lead_snapshot.source_status)) = crm_stage_mapping.match_value
    where
        leads_with_status_history.lead_id is null
        and lead_snapshot.source_status is not null
        -- a version a re-export corrected at the instant it started never held
        and (lead_snapshot.dbt_valid_to is null or lead_snapshot.dbt_valid_to > lead_snapshot.dbt_valid_from)

),

crm_evidence as (

    select * from crm_status_evidence
    union all
    select * from crm_snapshot_evidence

),

crm_mql_evidence as (

    select * from crm_evidence
    where stage = 'mql'

),

-- MQL evidence of the scoring models (docs/scoring.md): the lead's total score reaching the
-- MQL threshold (evidence_source score_threshold) and hand-raise forms (hand_raise), keyed to
-- the surviving lead like the CRM evidence.
score_mql_evidence as (

    select
        {{ stage_evidence_columns() }}

    from scored_mql_evidence

),

-- The moment the person became known: the earliest creation of any of its CRM records or
-- identification of any of its browsers. One row per lead (ties: evidence priority, id).
known_candidates as (

    select
        lead_id,
        source_lead_id,
        'lead' as stage,
        cast(null as {{ dbt.type_string() }}) as source_value,
        created_at as occurred_at,
        'lead_created' as evidence_source,
        source_lead_id as evidence_id

    from kept_records

    union all

    select
        kept_records.lead_id,
        kept_records.source_lead_id,
        'lead' as stage,
        cast(null as {{ dbt.type_string() }}) as source_value,
        identities.identified_at as occurred_at,
        'identified' as evidence_source,
        identities.anonymous_id as evidence_id

    from identities
    inner join kept_records
        on identities.lead_id = kept_records.source_lead_id

),

known_ranked as (

    select
        {{ stage_evidence_columns('known_candidates') }},
        row_number() over (
            partition by known_candidates.lead_id
            order by
                known_candidates.occurred_at,
                evidence_sources.evidence_priority,
                known_candidates.evidence_id
        ) as known_rank

    from known_candidates
    inner join evidence_sources
        on known_candidates.evidence_source = evidence_sources.evidence_source

),

first_known_evidence as (

    select
        {{ stage_evidence_columns() }}

    from known_ranked
    where known_rank = 1

),

-- Anonymous browsing: the earliest page view of any browser later identified as the lead,
-- kept only when it precedes the moment the lead became known. Found without ranking every page
-- view of every lead (at 1M: 36M rows joined and sorted, 26.5 s alone): each browser's first view
-- instant (a group by), the lead's earliest over its browsers, then only the page views of its
-- browsers at that instant, ranked (ties: the smallest event id, as before).
browser_first_views as (

    select
        anonymous_id,
        min(occurred_at) as first_viewed_at

    from web_events
    group by anonymous_id

),

lead_browser_first_views as (

    select
        kept_records.lead_id,
        kept_records.source_lead_id,
        browser_first_views.anonymous_id,
        browser_first_views.first_viewed_at,
        min(browser_first_views.first_viewed_at) over (
            partition by kept_records.lead_id
        ) as lead_first_viewed_at

    from browser_first_views
    inner join identities
        on browser_first_views.anonymous_id = identities.anonymous_id
    inner join kept_records
        on identities.lead_id = kept_records.source_lead_id

),

lead_page_views as (

    select
        lead_browser_first_views.lead_id,
        lead_browser_first_views.source_lead_id,
        web_events.page_category as source_value,
        web_events.occurred_at,
        web_events.web_event_id,
        row_number() over (
            partition by lead_browser_first_views.lead_id
            order by web_events.occurred_at, web_events.web_event_id
        ) as view_rank

    from web_events
    inner join lead_browser_first_views
        on
            web_events.anonymous_id = lead_browser_first_views.anonymous_id
            and web_events.occurred_at = lead_browser_first_views.first_viewed_at
    where lead_browser_first_views.first_viewed_at = lead_browser_first_views.lead_first_viewed_at

),

visitor_evidence as (

    select
        lead_page_views.lead_id,
        lead_page_views.source_lead_id,
        'visitor' as stage,
        lead_page_views.source_value,
        lead_page_views.occurred_at,
        'web_visit' as evidence_source,
        lead_page_views.web_event_id as evidence_id

    from lead_page_views
    inner join first_known_evidence
        on lead_page_views.lead_id = first_known_evidence.lead_id
    where
        lead_page_views.view_rank = 1
        and lead_page_views.occurred_at < first_known_evidence.occurred_at

),

opportunity_evidence as (

    select
        kept_records.lead_id,
        kept_records.source_lead_id,
        'opportunity' as stage,
        opportunities.stage_name as source_value,
        opportunities.created_at as occurred_at,
        'opportunity_created' as evidence_source,
        opportunities.opportunity_id as evidence_id

    from opportunities
    inner join kept_records
        on opportunities.primary_lead_id = kept_records.source_lead_id
    -- an export without the creation time: the deal still counts when won (customer evidence)
    where opportunities.created_at is not null

),

first_won_changes as (

    select
        opportunity_id,
        min(changed_at) as won_at

    from opportunity_stage_changes
    where new_stage_category = 'won'
    group by opportunity_id

),

-- Won deals: dated by the first change to the won stage; without stage history, by the
-- close date (never earlier than the opportunity's creation).
customer_evidence as (

    select
        kept_records.lead_id,
        kept_records.source_lead_id,
        'customer' as stage,
        opportunities.stage_name as source_value,
        coalesce(
            first_won_changes.won_at,
            case
                when cast(opportunities.close_date as {{ dbt.type_timestamp() }}) < opportunities.created_at
                    then opportunities.created_at
                else cast(opportunities.close_date as {{ dbt.type_timestamp() }})
            end,
            opportunities.created_at
        ) as occurred_at,
        'opportunity_won' as evidence_source,
        opportunities.opportunity_id as evidence_id

    from opportunities
    inner join kept_records
        on opportunities.primary_lead_id = kept_records.source_lead_id
    left join first_won_changes
        on opportunities.opportunity_id = first_won_changes.opportunity_id
    where opportunities.is_won

),

-- Score evidence only starts an MQL entry while the lead is not already qualified: a score
-- evidence is dropped when the latest CRM / opportunity evidence at or before it (CRM MQLs
-- only when they are used) is mql or a later main-path stage (docs/scoring.md). Without this,
-- a threshold crossing or hand-raise of a lead already at SAL would read as a re-MQL.
standing_evidence as (

    select
        lead_id,
        occurred_at,
        stage

    from crm_evidence
    where {{ "stage <> 'mql'" if mql_source == 'score' else 'true' }}

    union all

    select
        lead_id,
        occurred_at,
        stage

    from opportunity_evidence

    union all

    select
        lead_id,
        occurred_at,
        stage

    from customer_evidence

),

-- Stages score evidence cannot leave: MQL and the later main-path stages (the lead is already
-- qualified), and the terminal stages (disqualified, customer): only the CRM re-opens a lead.
qualified_stages as (

    select canonical_stages.stage

    from canonical_stages
    inner join canonical_stages as mql_stage
        on mql_stage.stage = 'mql'
    where
        (not canonical_stages.is_detour and canonical_stages.stage_order >= mql_stage.stage_order)
        or canonical_stages.is_terminal

),

score_evidence_standing as (

    select
        score_mql_evidence.evidence_source,
        score_mql_evidence.evidence_id,
        standing_evidence.stage as standing_stage,
        row_number() over (
            partition by score_mql_evidence.evidence_source, score_mql_evidence.evidence_id
            order by standing_evidence.occurred_at desc, canonical_stages.stage_order desc
        ) as standing_rank

    from score_mql_evidence
    inner join standing_evidence
        on
            score_mql_evidence.lead_id = standing_evidence.lead_id
            and score_mql_evidence.occurred_at >= standing_evidence.occurred_at
    left join canonical_stages
        on standing_evidence.stage = canonical_stages.stage

),

score_evidence_while_qualified as (

    select
        score_evidence_standing.evidence_source,
        score_evidence_standing.evidence_id

    from score_evidence_standing
    inner join qualified_stages
        on score_evidence_standing.standing_stage = qualified_stages.stage
    where score_evidence_standing.standing_rank = 1

),

score_mql_evidence_kept as (

    select score_mql_evidence.*

    from score_mql_evidence
    left join score_evidence_while_qualified
        on
            score_mql_evidence.evidence_source = score_evidence_while_qualified.evidence_source
            and score_mql_evidence.evidence_id = score_evidence_while_qualified.evidence_id
    where score_evidence_while_qualified.evidence_id is null

),

-- var('mql_evidence_source'): crm | score | earliest (both sources).
mql_evidence as (

    select * from crm_mql_evidence
    where {{ 'true' if mql_source in ['crm', 'earliest'] else 'false' }}

    union all

    select * from score_mql_evidence_kept
    where {{ 'true' if mql_source in ['score', 'earliest'] else 'false' }}

),

all_evidence as (

    select * from crm_evidence
    where stage <> 'mql'
    union all
    select * from mql_evidence
    union all
    select * from first_known_evidence
    union all
    select * from visitor_evidence
    union all
    select * from opportunity_evidence
    union all
    select * from customer_evidence

),

-- A won deal makes its lead a customer for good: evidence after the first won deal (a CRM status
-- lagging behind the deal, a later score) is not a move out of customer. Evidence at the won
-- instant itself keeps its place before the customer entry, except detours.
first_won as (

    select
        lead_id,
        min(occurred_at) as first_won_at

    from customer_evidence
    group by lead_id

),

unioned as (

    select all_evidence.*

    from all_evidence
    left join first_won
        on all_evidence.lead_id = first_won.lead_id
    left join canonical_stages
        on all_evidence.stage = canonical_stages.stage
    where
        (
            first_won.first_won_at is null
            or all_evidence.occurred_at < first_won.first_won_at
            or (
                all_evidence.occurred_at = first_won.first_won_at
                and not coalesce(canonical_stages.is_detour, false)
            )
        )
        -- a point-in-time build (var kpi_as_of): nothing after it
        and {{ within_as_of('all_evidence.occurred_at') }}

),

-- Position of each main-path (non-detour) stage along the funnel: 1, 2, 3... by stage_order.
main_path_stages as (

    select
        stage,
        row_number() over (order by stage_order) as main_path_rank

    from canonical_stages
    where not is_detour

),

final as (

    select
        {{ stage_evidence_columns('unioned') }},
        canonical_stages.stage_order,
        main_path_stages.main_path_rank,
        coalesce(canonical_stages.is_detour, false) as is_detour,
        canonical_stages.stage is null as is_unmapped_stage,
        evidence_sources.evidence_priority

    from unioned
    {{- left_join_on_key('unioned', ['canonical_stages', 'main_path_stages'], 'stage') }}
    left join evidence_sources
        on unioned.evidence_source = evidence_sources.evidence_source

)

select * from final
