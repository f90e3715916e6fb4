"""The report's query layer: one SQL select per figure group, reading the published marts.

Every number on the page is a value a mart computed, read column by column. Where a mart's
grain is finer than a chart's (fct_funnel_monthly is per month x channel x fit grade,
fct_channel_costs per month x channel x campaign, fct_speed_to_lead_attainment per month x
handoff type x owner), the select sums the mart's additive counts in SQL, and a rate over those
sums uses the formula the mart documents for its own rate column (or the semantic layer's ratio
metric, e.g. cost_per_mql = sum(spend) / sum(mqls)). Medians and percentiles are never rolled up:
they are shown at the mart's own grain. Python only picks, sorts and formats (docs/report.md).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import TypeVar

import duckdb

# The relations the report reads (shown on the page as its provenance).
SOURCES: tuple[str, ...] = (
    "marts.dim_as_of",
    "marts.fct_funnel_monthly",
    "marts.fct_mql_cohorts",
    "marts.fct_mql_velocity",
    "marts.fct_channel_costs",
    "marts.fct_speed_to_lead_attainment",
    "marts.fct_scoring_backtest",
    "marts.fct_stale_mqls_daily",
)

Row = TypeVar("Row")


def _select(con: duckdb.DuckDBPyConnection, sql: str, row_type: type[Row]) -> list[Row]:
    """Run one select; its columns must be exactly the fields of row_type, in any order."""
    cursor = con.execute(sql)
    names = [d[0] for d in cursor.description]
    expected = {f.name for f in fields(row_type)}  # type: ignore[arg-type]
    if set(names) != expected:
        raise ValueError(f"{row_type.__name__}: query columns {sorted(names)} != fields {sorted(expected)}")
    return [row_type(**dict(zip(names, values, strict=True))) for values in cursor.fetchall()]


def _one(con: duckdb.DuckDBPyConnection, sql: str, row_type: type[Row]) -> Row:
    rows = _select(con, sql, row_type)
    if len(rows) != 1:
        raise ValueError(f"{row_type.__name__}: expected one row, got {len(rows)}")
    return rows[0]


# ----------------------------------------------------------------------------- data range


@dataclass(frozen=True)
class DataRange:
    as_of_at: datetime
    first_month: date
    last_month: date


DATA_RANGE_SQL = """
select
    (select as_of_at from marts.dim_as_of) as as_of_at,
    (select min(funnel_month) from marts.fct_funnel_monthly) as first_month,
    (select max(funnel_month) from marts.fct_funnel_monthly) as last_month
"""


# ----------------------------------------------------------------------------- funnel


@dataclass(frozen=True)
class FunnelTotals:
    """Period counts over the whole data range (fct_funnel_monthly, summed over every row)."""

    new_leads: int
    first_time_mqls: int
    re_mqls: int
    mqls: int
    sals: int
    sqls: int
    opportunities_created: int
    won: int
    lost: int
    won_amount_usd: float
    lead_to_mql_rate: float | None  # first_time_mqls / new_leads (period_lead_to_mql_rate)
    mql_to_sal_rate: float | None  # sals / mqls
    sal_to_sql_rate: float | None  # sqls / sals
    sql_to_opportunity_rate: float | None  # opportunities_created / sqls (period_sql_to_opportunity_rate)
    win_rate: float | None  # won / (won + lost) (period_win_rate)


FUNNEL_SQL = """
-- an empty funnel (a delivery without leads) counts 0 at every stage
with totals as (
    select
        coalesce(sum(new_leads), 0) as new_leads,
        coalesce(sum(first_time_mqls), 0) as first_time_mqls,
        coalesce(sum(re_mqls), 0) as re_mqls,
        coalesce(sum(mqls), 0) as mqls,
        coalesce(sum(sals), 0) as sals,
        coalesce(sum(sqls), 0) as sqls,
        coalesce(sum(opportunities_created), 0) as opportunities_created,
        coalesce(sum(won), 0) as won,
        coalesce(sum(lost), 0) as lost,
        coalesce(sum(won_amount_usd), 0) as won_amount_usd
    from marts.fct_funnel_monthly
)
select
    cast(new_leads as bigint) as new_leads,
    cast(first_time_mqls as bigint) as first_time_mqls,
    cast(re_mqls as bigint) as re_mqls,
    cast(mqls as bigint) as mqls,
    cast(sals as bigint) as sals,
    cast(sqls as bigint) as sqls,
    cast(opportunities_created as bigint) as opportunities_created,
    cast(won as bigint) as won,
    cast(lost as bigint) as lost,
    won_amount_usd,
    cast(first_time_mqls as double) / nullif(new_leads, 0) as lead_to_mql_rate,
    cast(sals as double) / nullif(mqls, 0) as mql_to_sal_rate,
    cast(sqls as double) / nullif(sals, 0) as sal_to_sql_rate,
    cast(opportunities_created as double) / nullif(sqls, 0) as sql_to_opportunity_rate,
    cast(won as double) / nullif(won + lost, 0) as win_rate
from totals
"""


# ----------------------------------------------------------------------------- trend


@dataclass(frozen=True)
class TrendRow:
    """MQL and SQL entries per month and channel (fct_funnel_monthly, fit grades summed)."""

    funnel_month: date
    channel: str
    mqls: int
    sqls: int


TREND_SQL = """
select
    funnel_month,
    coalesce(channel, 'not recorded') as channel,
    cast(sum(mqls) as bigint) as mqls,
    cast(sum(sqls) as bigint) as sqls
from marts.fct_funnel_monthly
group by funnel_month, coalesce(channel, 'not recorded')
order by funnel_month, coalesce(channel, 'not recorded')
"""


# ----------------------------------------------------------------------------- cohorts


@dataclass(frozen=True)
class CohortRow:
    """fct_mql_cohorts at its own grain: cohort month x channel x window."""

    cohort_month: date
    channel: str
    window_name: str  # seed kpi_cohort_windows: 7d, 30d, ... or to_date
    window_days: int | None  # None: to date (what each member reached by the as-of)
    members: int
    mature_members: int
    is_mature_cohort: bool
    sqls_within_window: int
    mql_to_sql_rate: float | None


COHORT_SQL = """
select
    cohort_month,
    coalesce(channel, 'not recorded') as channel,
    window_name,
    window_days,
    members,
    mature_members,
    is_mature_cohort,
    sqls_within_window,
    mql_to_sql_rate
from marts.fct_mql_cohorts
order by window_days nulls last, channel, cohort_month
"""


# ----------------------------------------------------------------------------- velocity


@dataclass(frozen=True)
class VelocityRow:
    """fct_mql_velocity at its own grain: cohort month x channel."""

    cohort_month: date
    channel: str
    mqls: int
    mqls_reaching_sql: int
    median_days_mql_to_sql: float | None
    p75_days_mql_to_sql: float | None
    sqls_reaching_opportunity: int
    median_days_sql_to_opportunity: float | None
    p75_days_sql_to_opportunity: float | None
    opportunities_closed: int
    median_days_opportunity_to_close: float | None
    p75_days_opportunity_to_close: float | None


VELOCITY_SQL = """
select
    cohort_month,
    coalesce(channel, 'not recorded') as channel,
    mqls,
    mqls_reaching_sql,
    median_days_mql_to_sql,
    p75_days_mql_to_sql,
    sqls_reaching_opportunity,
    median_days_sql_to_opportunity,
    p75_days_sql_to_opportunity,
    opportunities_closed,
    median_days_opportunity_to_close,
    p75_days_opportunity_to_close
from marts.fct_mql_velocity
order by channel, cohort_month
"""


# ----------------------------------------------------------------------------- costs


@dataclass(frozen=True)
class ChannelCostRow:
    """fct_channel_costs per channel over the whole range (months and campaigns summed).

    Ratios as the mart defines them (cost per X = spend / X, return = won USD / spend), over the
    summed counts: cost_per_mql is the semantic layer's metric cost_per_mql grouped by channel.
    """

    channel: str
    spend: float | None
    leads: int
    mqls: int
    sqls: int
    won_deals: int
    won_amount_usd: float
    cost_per_lead: float | None
    cost_per_mql: float | None
    cost_per_sql: float | None
    cost_per_won_deal: float | None
    return_on_spend: float | None


_COST_COLUMNS = """
    sum(spend) as spend,
    cast(sum(leads) as bigint) as leads,
    cast(sum(mqls) as bigint) as mqls,
    cast(sum(sqls) as bigint) as sqls,
    cast(sum(won_deals) as bigint) as won_deals,
    coalesce(sum(won_amount_usd), 0) as won_amount_usd,
    sum(spend) / nullif(sum(leads), 0) as cost_per_lead,
    sum(spend) / nullif(sum(mqls), 0) as cost_per_mql,
    sum(spend) / nullif(sum(sqls), 0) as cost_per_sql,
    sum(spend) / nullif(sum(won_deals), 0) as cost_per_won_deal,
    sum(won_amount_usd) / nullif(sum(spend), 0) as return_on_spend
"""

CHANNEL_COSTS_SQL = f"""
select
    coalesce(channel, 'not recorded') as channel,
    {_COST_COLUMNS}
from marts.fct_channel_costs
group by coalesce(channel, 'not recorded')
order by sum(spend) desc nulls last, coalesce(channel, 'not recorded')
"""

TOTAL_COSTS_SQL = f"""
select
    'all channels' as channel,
    {_COST_COLUMNS}
from marts.fct_channel_costs
"""


# ----------------------------------------------------------------------------- speed to lead


@dataclass(frozen=True)
class SlaRow:
    """fct_speed_to_lead_attainment rolled up to one grain: sla_attainment_rate = within / observable.

    grain 'month': per handoff_month and handoff_type; 'team': per owner_team and handoff_type;
    'total': per handoff_type over the whole range, and handoff_type 'all' for every handoff.
    """

    grain: str
    handoff_month: date | None
    owner_team: str | None
    handoff_type: str
    handoffs: int
    observable_handoffs: int
    handoffs_within_sla: int
    sla_attainment_rate: float | None


SLA_SQL = """
select
    case
        when grouping(handoff_month) = 0 then 'month'
        when grouping(owner_team) = 0 then 'team'
        else 'total'
    end as grain,
    handoff_month,
    owner_team,
    coalesce(handoff_type, 'all') as handoff_type,
    cast(sum(handoffs) as bigint) as handoffs,
    cast(sum(observable_handoffs) as bigint) as observable_handoffs,
    cast(sum(handoffs_within_sla) as bigint) as handoffs_within_sla,
    cast(sum(handoffs_within_sla) as double) / nullif(sum(observable_handoffs), 0) as sla_attainment_rate
from marts.fct_speed_to_lead_attainment
group by grouping sets ((handoff_month, handoff_type), (owner_team, handoff_type), (handoff_type), ())
order by grain, handoff_month, owner_team, handoff_type
"""


# ----------------------------------------------------------------------------- scoring


@dataclass(frozen=True)
class ScoreBandRow:
    """fct_scoring_backtest, analysis score_band, at its own grain."""

    segment: str
    segment_order: int
    leads: int
    sql_leads: int
    won_leads: int
    min_score: float | None
    max_score: float | None
    sql_rate: float | None
    won_rate: float | None
    sql_lift: float | None
    won_lift: float | None


SCORE_BAND_SQL = """
select
    segment,
    segment_order,
    leads,
    sql_leads,
    won_leads,
    min_score,
    max_score,
    sql_rate,
    won_rate,
    sql_lift,
    won_lift
from marts.fct_scoring_backtest
where analysis = 'score_band'
order by segment_order
"""


@dataclass(frozen=True)
class ThresholdRow:
    """fct_scoring_backtest, analysis threshold, at its own grain."""

    candidate_threshold: float
    leads: int
    sql_leads: int
    flagged_leads: int
    true_positives: int
    precision_rate: float | None
    recall_rate: float | None
    f1_score: float | None
    mqls_per_month: float | None


THRESHOLD_SQL = """
select
    candidate_threshold,
    leads,
    sql_leads,
    flagged_leads,
    true_positives,
    precision_rate,
    recall_rate,
    f1_score,
    mqls_per_month
from marts.fct_scoring_backtest
where analysis = 'threshold'
order by candidate_threshold
"""


# ----------------------------------------------------------------------------- stale MQLs


@dataclass(frozen=True)
class StaleRow:
    """fct_stale_mqls_daily at its own grain: one row per day."""

    activity_date: date
    open_mqls: int
    stale_mqls: int
    stale_share: float | None


STALE_SQL = """
select
    activity_date,
    open_mqls,
    stale_mqls,
    stale_share
from marts.fct_stale_mqls_daily
order by activity_date
"""


# ----------------------------------------------------------------------------- everything


@dataclass(frozen=True)
class ReportData:
    data_range: DataRange
    funnel: FunnelTotals
    trend: list[TrendRow]
    cohorts: list[CohortRow]
    velocity: list[VelocityRow]
    channel_costs: list[ChannelCostRow]
    total_costs: ChannelCostRow
    sla: list[SlaRow]
    score_bands: list[ScoreBandRow]
    thresholds: list[ThresholdRow]
    stale: list[StaleRow]

    def sla_rows(self, grain: str) -> list[SlaRow]:
        """The SLA rows of one grain: 'month', 'team' or 'total'."""
        return [r for r in self.sla if r.grain == grain]

    def sla_total(self, handoff_type: str) -> SlaRow | None:
        """The whole-range attainment of one handoff type ('all' for every handoff)."""
        return next((r for r in self.sla_rows("total") if r.handoff_type == handoff_type), None)


def load_report_data(con: duckdb.DuckDBPyConnection) -> ReportData:
    """Every figure of the report, read from the marts of one warehouse."""
    return ReportData(
        data_range=_one(con, DATA_RANGE_SQL, DataRange),
        funnel=_one(con, FUNNEL_SQL, FunnelTotals),
        trend=_select(con, TREND_SQL, TrendRow),
        cohorts=_select(con, COHORT_SQL, CohortRow),
        velocity=_select(con, VELOCITY_SQL, VelocityRow),
        channel_costs=_select(con, CHANNEL_COSTS_SQL, ChannelCostRow),
        total_costs=_one(con, TOTAL_COSTS_SQL, ChannelCostRow),
        sla=_select(con, SLA_SQL, SlaRow),
        score_bands=_select(con, SCORE_BAND_SQL, ScoreBandRow),
        thresholds=_select(con, THRESHOLD_SQL, ThresholdRow),
        stale=_select(con, STALE_SQL, StaleRow),
    )


def open_warehouse(path: str) -> duckdb.DuckDBPyConnection:
    """The warehouse, read-only (a report never writes, and can run beside a BI tool)."""
    return duckdb.connect(path, read_only=True)


__all__ = ["SOURCES", "ReportData", "load_report_data", "open_warehouse"]
