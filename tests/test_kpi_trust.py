"""KPIs a RevOps analyst can trust (docs/kpis.md): dispositions, one count of every deal, attribution.

Checked on the session build against the independent references (tests/reference/): the lifecycle
re-derived from the raw files, the opportunities with their USD amounts, and a pandas disposition of
every MQL entry (seed mql_disposition_rules, var mql_acceptance_days through the lifecycle's
expiries). The attribution marts are checked for what no model may lose: every opportunity once,
credits adding to 1 per opportunity and model, credited amounts adding to the amount, each model's
credit where its definition puts it, no touch after the opportunity's creation.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from reference.kpi_reference import mql_dispositions, opportunities
from reference.lifecycle_reference import Raw, Reference, _vars, build_reference, load_raw

MODELS = ("first_touch", "last_touch", "linear", "u_shape")


@pytest.fixture(scope="module")
def marts(warehouse: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        yield connection


@pytest.fixture(scope="module")
def raw(raw_dir: Path, marts: duckdb.DuckDBPyConnection) -> Raw:
    return load_raw(raw_dir, marts)


@pytest.fixture(scope="module")
def reference(raw: Raw) -> Reference:
    assert _vars()["mql_evidence_source"] == "crm", "the session build uses the default MQL evidence"
    return build_reference(raw)


@pytest.fixture(scope="module")
def opps(raw_dir: Path, reference: Reference, raw: Raw) -> pd.DataFrame:
    """The reference opportunities with the live lead each belongs to (merges resolved)."""
    frame = opportunities(raw_dir)
    pointer = dict(zip(raw.leads["lead_id"], raw.leads["merged_into_lead_id"], strict=True))

    def live_lead(lead: object) -> object:
        hops = 0
        while isinstance(lead, str) and isinstance(pointer.get(lead), str) and hops < 10:
            lead, hops = pointer[lead], hops + 1
        return lead if lead in reference.live_leads else None

    return frame.assign(live_lead_id=frame["primary_lead_id"].map(live_lead))


def _df(con: duckdb.DuckDBPyConnection, sql: str) -> pd.DataFrame:
    return con.execute(sql).df()


def _scalar(con: duckdb.DuckDBPyConnection, sql: str) -> float:
    row = con.execute(sql).fetchone()
    return float(row[0]) if row and row[0] is not None else 0.0


# ------------------------------------------------------------------------------ dispositions


def test_every_mql_has_the_reference_disposition(
    reference: Reference, raw: Raw, marts: duckdb.DuckDBPyConnection
) -> None:
    expected = mql_dispositions(reference, raw.status_changes, raw.now, _vars())
    actual = _df(
        marts,
        "select lead_id, mql_number, is_handed_to_sales, disposition, closed_by, disposition_reason,"
        " days_in_mql from marts.fct_mql_dispositions",
    )
    keys = ["lead_id", "mql_number"]
    merged = expected.merge(actual, on=keys, how="outer", suffixes=("_ref", "_mart"), indicator=True)
    assert (merged["_merge"] == "both").all(), merged[merged["_merge"] != "both"].head()
    for column in ("is_handed_to_sales", "disposition", "closed_by", "disposition_reason"):
        ref = merged[f"{column}_ref"].astype("object").where(merged[f"{column}_ref"].notna(), None)
        mart = merged[f"{column}_mart"].astype("object").where(merged[f"{column}_mart"].notna(), None)
        differing = merged[ref.to_numpy() != mart.to_numpy()]
        assert differing.empty, (column, differing[[*keys, f"{column}_ref", f"{column}_mart"]].head())
    assert merged["days_in_mql_mart"].to_numpy() == pytest.approx(
        merged["days_in_mql_ref"].to_numpy(), rel=1e-9
    )
    # the fixture exercises every way an MQL ends
    assert {"accepted", "expired", "disqualified", "open"} <= set(expected["disposition"])
    assert {"rejected", "recycled"} & set(expected["disposition"])
    assert (merged["days_in_mql_mart"] >= 0).all()


def test_handed_and_unhanded_mqls_are_reported_apart(marts: duckdb.DuckDBPyConnection) -> None:
    """Speed to lead and stale MQLs count handoffs only; the rest have their own columns."""
    handed = _scalar(marts, "select count(*) from marts.fct_mql_dispositions where is_handed_to_sales")
    in_speed = _scalar(
        marts,
        "select count(*) from marts.fct_speed_to_lead where handoff_type = 'mql' and is_handed_to_sales",
    )
    assert handed == in_speed > 0


# --------------------------------------------------------------------- one count of every deal


def test_won_deals_and_amount_reconcile_with_the_reference_in_every_mart(
    opps: pd.DataFrame, marts: duckdb.DuckDBPyConnection
) -> None:
    won = opps[opps["is_won"]]
    count, usd = len(won), float(won["amount_usd"].sum())
    assert count > 10  # deals without a live lead: unit test attribution_credits_by_model_and_no_lead
    per_mart = {
        "fct_opportunities": "select count(*), sum(won_amount_usd) from marts.fct_opportunities where is_won",
        "fct_funnel_monthly": "select sum(won), sum(won_amount_usd) from marts.fct_funnel_monthly",
        "fct_opportunity_kpis_monthly": "select sum(opportunities_won), sum(won_amount_usd)"
        " from marts.fct_opportunity_kpis_monthly",
        "fct_channel_costs": "select sum(won_deals), sum(won_amount_usd) from marts.fct_channel_costs",
        "fct_opportunity_attribution": "select sum(linear_credit), sum(linear_amount_usd)"
        " from marts.fct_opportunity_attribution where is_won",
    }
    for mart, sql in per_mart.items():
        row = marts.execute(sql).fetchone()
        assert row is not None
        assert float(row[0]) == pytest.approx(count, abs=1e-6), mart
        assert float(row[1]) == pytest.approx(usd, rel=1e-9), mart
    # dim_leads and the lifecycle: the deals of live leads; every such lead is a customer, for good
    of_live = won[won["live_lead_id"].notna()]
    row = marts.execute("select sum(won_deals), sum(won_amount_usd) from marts.dim_leads").fetchone()
    assert row is not None and int(row[0]) == len(of_live)
    assert float(row[1]) == pytest.approx(float(of_live["amount_usd"].sum()), rel=1e-9)
    customers = set(of_live["live_lead_id"])
    current = dict(
        marts.execute(
            "select lead_id, current_stage from marts.dim_leads where won_deals > 0 or "
            "current_stage = 'customer'"
        ).fetchall()
    )
    assert set(current) == customers
    assert set(current.values()) == {"customer"}
    entries = _scalar(marts, "select count(*) from marts.fct_lead_stage_transitions where stage = 'customer'")
    assert entries == len(customers)
    no_lead = _scalar(
        marts, "select count(*) from marts.fct_opportunities where is_won and channel = 'no_lead'"
    )
    assert no_lead == len(won) - len(of_live)


# ---------------------------------------------------------------------------------- attribution


def _attribution(marts: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return _df(marts, "select * from marts.fct_opportunity_attribution")


def test_every_opportunity_is_credited_once_in_full(
    opps: pd.DataFrame, marts: duckdb.DuckDBPyConnection
) -> None:
    credits = _attribution(marts)
    assert set(credits["opportunity_id"]) == set(opps["opportunity_id"])
    per_opportunity = credits.groupby("opportunity_id")
    for model in MODELS:
        sums = per_opportunity[f"{model}_credit"].sum()
        assert sums.to_numpy() == pytest.approx(1.0, abs=1e-12), model
        amounts = per_opportunity[f"{model}_amount_usd"].sum(min_count=1)
        expected = opps.set_index("opportunity_id")["amount_usd"].reindex(amounts.index)
        both = expected.notna()
        assert amounts[both].to_numpy() == pytest.approx(expected[both].to_numpy(), rel=1e-12), model
        assert amounts[~both].isna().all(), f"{model}: a deal without a USD amount is credited no USD"


def test_each_model_credits_what_its_definition_says(marts: duckdb.DuckDBPyConnection) -> None:
    """Recomputed from the touch order (time, then type and id): first touch 1 on the earliest,
    last touch 1 on the latest, linear 1/n, u_shape 40/20/40 (one touch 1, two 1/2 each)."""
    credits = _attribution(marts)
    touched = credits[credits["touch_type"] != "no_touch"]
    assert touched["touches_before_opportunity"].max() >= 3, "the fixture has deals with 3+ touches"
    assert (touched["touched_at"] <= touched["created_at"].fillna(touched["closed_at"])).all()
    for _, group in touched.groupby("opportunity_id"):
        ordered = group.sort_values(["touched_at", "touch_type", "touch_id"])
        n = len(ordered)
        positions = list(range(1, n + 1))
        assert list(ordered["touch_position"]) == positions
        first = [1.0 if p == 1 else 0.0 for p in positions]
        last = [1.0 if p == n else 0.0 for p in positions]
        if n == 1:
            u_shape = [1.0]
        elif n == 2:
            u_shape = [0.5, 0.5]
        else:
            u_shape = [0.4 if p in (1, n) else 0.2 / (n - 2) for p in positions]
        assert list(ordered["first_touch_credit"]) == first
        assert list(ordered["last_touch_credit"]) == last
        assert ordered["linear_credit"].to_numpy() == pytest.approx([1 / n] * n, rel=1e-12)
        assert ordered["u_shape_credit"].to_numpy() == pytest.approx(u_shape, rel=1e-12)


def test_untouched_deals_are_credited_to_their_leads_channel(
    opps: pd.DataFrame, reference: Reference, marts: duckdb.DuckDBPyConnection
) -> None:
    credits = _attribution(marts)
    untouched = credits[credits["touch_type"] == "no_touch"].set_index("opportunity_id")
    lead_of = opps.set_index("opportunity_id")["live_lead_id"]
    for opportunity, row in untouched.iterrows():
        lead = lead_of[opportunity]
        expected = "no_lead" if lead is None or pd.isna(lead) else reference.channel_of.get(lead)
        assert row["channel"] == expected, opportunity
    assert len(untouched) > 0


def test_channel_costs_credit_sits_in_the_touch_month(marts: duckdb.DuckDBPyConnection) -> None:
    """fct_channel_costs' won deals per month x channel x campaign = the attribution's credit of
    the configured model in the touch's month (default linear)."""
    model = _vars()["kpi_attribution_model"]
    expected = _df(
        marts,
        f"select credit_month as cost_month, channel, campaign_id, sum({model}_credit) as won_deals"
        " from marts.fct_opportunity_attribution where is_won group by all",
    )
    actual = _df(
        marts,
        "select cost_month, channel, campaign_id, won_deals from marts.fct_channel_costs where won_deals > 0",
    )
    keys = ["cost_month", "channel", "campaign_id"]
    merged = expected.merge(actual, on=keys, how="outer", suffixes=("_ref", "_mart")).fillna(
        {"won_deals_ref": 0}
    )
    assert merged["won_deals_mart"].fillna(0).to_numpy() == pytest.approx(merged["won_deals_ref"].to_numpy())


def test_re_mql_credit_counts_only_touches_after_the_previous_mql(marts: duckdb.DuckDBPyConnection) -> None:
    touches_in_two_cycles = _scalar(
        marts,
        "select count(*) from (select touch_type, touch_id from marts.fct_mql_touch_attribution"
        " group by all having count(distinct mql_entry_id) > 1)",
    )
    re_mqls = _scalar(marts, "select count(distinct mql_entry_id) from marts.fct_mql_touch_attribution")
    assert re_mqls > 0
    assert touches_in_two_cycles == 0
