"""Print the KPI audit figures of a built warehouse (docs/kpis.md, "Audit"): what the defaults mean.

    .venv/bin/python scripts/audit_kpis.py warehouse/lead_funnel.duckdb [--on 2026-09-01]

Every figure is a query on the marts (and, where a mart cannot say it, the intermediate models of
the build file). Figures a warehouse cannot answer (a column a mart does not have yet) print as
"n/a". Used to write the before/after table of docs/kpis.md.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

import duckdb

Query = Callable[[duckdb.DuckDBPyConnection], object]


def _one(sql: str) -> Query:
    def run(con: duckdb.DuckDBPyConnection) -> object:
        row = con.execute(sql).fetchone()
        return row[0] if row and len(row) == 1 else row

    return run


def _attainment_by_evidence(con: duckdb.DuckDBPyConnection) -> object:
    rows = con.execute(
        "select t.evidence_source, sum(case when s.is_within_sla then 1 else 0 end)::double "
        "/ nullif(sum(case when s.is_sla_observable then 1 else 0 end), 0) "
        "from marts.fct_speed_to_lead as s join marts.fct_lead_stage_transitions as t "
        "on s.handoff_id = t.stage_entry_id where s.handoff_type = 'mql' group by 1 order by 1"
    ).fetchall()
    return ", ".join(f"{source} {rate:.3f}" for source, rate in rows if rate is not None)


def figures(on: str) -> dict[str, Query]:
    day = f"date '{on}'"
    return {
        "MQL SLA attainment by MQL evidence": _attainment_by_evidence,
        "MQL SLA attainment overall": _one(
            "select sum(case when is_within_sla then 1 else 0 end)::double "
            "/ sum(case when is_sla_observable then 1 else 0 end) from marts.fct_speed_to_lead "
            "where handoff_type = 'mql'"
        ),
        f"open MQLs on {on}": _one(
            f"select open_mqls from marts.fct_stale_mqls_daily where activity_date = {day}"
        ),
        f"stale share of open MQLs on {on}": _one(
            "select stale_mqls::double / open_mqls from marts.fct_stale_mqls_daily where "
            f"activity_date = {day}"
        ),
        f"open MQLs on {on} opened by score evidence": _one(
            "select count(*) from marts.fct_lead_stage_intervals as i join "
            "marts.fct_lead_stage_transitions as t "
            "on i.lead_id = t.lead_id and i.valid_from = t.entered_at and t.stage = 'mql' "
            f"where i.stage = 'mql' and i.valid_from < {day} + 1 and (i.valid_to is null or "
            f"i.valid_to >= {day} + 1) "
            "and t.evidence_source in ('score_threshold', 'hand_raise')"
        ),
        "MQL entries / MQL entries opened by the CRM": _one(
            "select count(*)::double / nullif(sum(case when evidence_source like 'crm%' then "
            "1 else 0 end), 0) "
            "from marts.fct_lead_stage_transitions where stage = 'mql'"
        ),
        "transitions disqualified -> mql (CRM re-opens excluded where known)": _one(
            "select count(*) from marts.fct_lead_stage_transitions where previous_stage = 'disqualified' "
            "and stage = 'mql' and evidence_source not like 'crm%'"
        ),
        "won deals: fct_opportunities / funnel_monthly / kpis_monthly / channel_costs": _one(
            "select (select count(*) from marts.fct_opportunities where is_won), "
            "(select sum(won) from marts.fct_funnel_monthly), "
            "(select sum(opportunities_won) from marts.fct_opportunity_kpis_monthly), "
            "(select sum(won_deals) from marts.fct_channel_costs)"
        ),
        "won USD: fct_opportunities / funnel_monthly / kpis_monthly / channel_costs": _one(
            "select round((select sum(won_amount_usd) from marts.fct_opportunities)), "
            "round((select sum(won_amount_usd) from marts.fct_funnel_monthly)), "
            "round((select sum(won_amount_usd) from marts.fct_opportunity_kpis_monthly)), "
            "round((select sum(won_amount_usd) from marts.fct_channel_costs))"
        ),
        "customer entries in the lifecycle / leads with a won deal": _one(
            "select (select count(*) from marts.fct_lead_stage_transitions where stage = 'customer'), "
            "(select count(distinct lead_id) from marts.fct_opportunities where is_won and "
            "lead_id is not null)"
        ),
        "leads with a won deal whose current stage is not customer": _one(
            "select count(*) from marts.dim_leads where lead_id in "
            "(select lead_id from marts.fct_opportunities where is_won) and current_stage <> 'customer'"
        ),
        "campaign x month rows with MQLs but no spend": _one(
            "select count(*) from marts.fct_channel_costs where mqls > 0 and spend is null "
            "and campaign_id is not null"
        ),
        "paid channels: campaign x month rows with MQLs but no spend": _one(
            "select count(*) from marts.fct_channel_costs where mqls > 0 and spend is null "
            "and campaign_id is not null "
            "and channel in (select channel from marts.fct_channel_costs where spend > 0)"
        ),
        "paid channels: won deals credited to campaign x month rows without spend": _one(
            "select round(coalesce(sum(won_deals), 0), 1) from marts.fct_channel_costs "
            "where won_deals > 0 and spend is null and campaign_id is not null "
            "and channel in (select channel from marts.fct_channel_costs where spend > 0)"
        ),
        "display rows with spend and return on spend 0": _one(
            "select count(*) from marts.fct_channel_costs where channel = 'display' and spend > 0 "
            "and return_on_spend = 0"
        ),
        "touches credited to more than one MQL": _one(
            "select count(*) from (select touch_type, touch_id from marts.fct_mql_touch_attribution "
            "group by all having count(distinct mql_entry_id) > 1)"
        ),
        "MQL cycles won more than 180 days after the MQL": _one(
            "select count(*) from intermediate.int_mql_cycles_measured where days_mql_to_won > 180"
        ),
        "won MQL cycles in no cohort figure (won after the longest window)": _one(
            "with widest as (select case when count(*) filter (where window_days is null) > 0 then null "
            "else max(window_days) end as days from marts.fct_mql_cohorts) "
            "select (select count(*) from intermediate.int_mql_cycles_measured where "
            "days_mql_to_won is not null)"
            " - (select sum(c.won_within_window) from marts.fct_mql_cohorts as c, widest"
            " where c.window_days is not distinct from widest.days)"
        ),
        "median days MQL -> won (fct_mql_velocity, all cohorts)": _one(
            "select median(days_mql_to_won) from intermediate.int_mql_cycles_measured "
            "where days_mql_to_won is not null and exists (select median_days_mql_to_won "
            "from marts.fct_mql_velocity limit 1)"
        ),
        "fct_funnel_monthly rows with a period_* rate above 1": _one(
            "select count(*) from marts.fct_funnel_monthly where period_lead_to_mql_rate > 1 "
            "or period_mql_to_sql_rate > 1 or period_sql_to_opportunity_rate > 1 or period_win_rate > 1"
        ),
    }


def as_of_figures(as_of: str) -> dict[str, Query]:
    """For a build with var kpi_as_of: what of the marts lies after it."""
    at = f"timestamp '{as_of}'"
    return {
        "durations entered after the as-of": _one(
            f"select count(*) from marts.fct_lead_stage_durations where latest_entered_at > {at}"
        ),
        "negative cumulative durations": _one(
            "select count(*) from marts.fct_lead_stage_durations where cumulative_days_in_stage < 0"
        ),
        "cohorts after the as-of month": _one(
            f"select count(*) from marts.fct_mql_cohorts where cohort_month > date_trunc('month', {at})"
        ),
        "stage entries after the as-of": _one(
            f"select count(*) from marts.fct_lead_stage_transitions where entered_at > {at}"
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("warehouse", type=Path)
    parser.add_argument("--on", default="2026-09-01", help="day of the open / stale MQL figures")
    parser.add_argument("--as-of", default=None, help="the build's var kpi_as_of (as-of figures)")
    args = parser.parse_args()
    queries = as_of_figures(args.as_of) if args.as_of else figures(args.on)
    with duckdb.connect(str(args.warehouse), read_only=True) as con:
        for label, query in queries.items():
            try:
                value = query(con)
            except duckdb.Error:
                value = "n/a"
            if isinstance(value, float):
                value = f"{value:.3f}"
            print(f"| {label} | {value} |")


if __name__ == "__main__":
    main()
