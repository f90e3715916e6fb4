"""Lead lifecycle: an independent pandas re-derivation must match the marts exactly.

The reference below is written from the definitions in docs/lifecycle.md, reading the raw
Parquet files of the session's generated data set and the seeds, never the models' SQL or
their output: the staging clean-up (UTC, trim, latest loaded copy of an event id), merge
resolution, the evidence sources, the ordering and collapsing of evidence into stage entries,
the recycle/skip flags, as-of queries and the daily inventory are all recomputed here.
The only thing read back from the warehouse besides the marts under test is which raw rows
the staging layer quarantined (the quarantine rules belong to the data-quality issue and are
tested there).
"""

from __future__ import annotations

import statistics
from collections import Counter
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from reference.lifecycle_reference import ENTRY_COLUMNS, Reference, build_reference, load_raw
from reference.scoring_reference import score_mql_evidence

MICROSECONDS_PER_HOUR = 3_600_000_000.0
CANONICAL_STAGES = (
    "visitor",
    "lead",
    "mql",
    "sal",
    "sql",
    "opportunity",
    "customer",
    "recycled",
    "disqualified",
)


def as_of_counts(entries: pd.DataFrame, instant: pd.Timestamp) -> Counter[str]:
    """Leads per stage at an instant: valid_from <= t and (valid_to > t or open)."""
    in_force = (entries["entered_at"] <= instant) & (
        entries["exited_at"].isna() | (entries["exited_at"] > instant)
    )
    return Counter(entries.loc[in_force, "stage"])


def hours_first_mql_to_sql(entries: pd.DataFrame) -> list[float]:
    hours = []
    for _, group in entries.groupby("lead_id"):
        mql = group[group["stage"] == "mql"]
        if mql.empty:
            continue
        first_mql = mql.sort_values("lead_entry_number").iloc[0]
        later_sql = group[
            (group["stage"] == "sql") & (group["lead_entry_number"] > first_mql["lead_entry_number"])
        ]
        if later_sql.empty:
            continue
        delta = later_sql["entered_at"].min() - first_mql["entered_at"]
        hours.append((delta // pd.Timedelta(microseconds=1)) / MICROSECONDS_PER_HOUR)
    return hours


# ------------------------------------------------------------------------ fixtures


@pytest.fixture(scope="module")
def marts(warehouse: Path):
    connection = duckdb.connect(str(warehouse), read_only=True)
    try:
        yield connection
    finally:
        connection.close()


@pytest.fixture(scope="module")
def reference(raw_dir: Path, marts: duckdb.DuckDBPyConnection) -> Reference:
    return build_reference(load_raw(raw_dir, marts), score_mql_evidence(raw_dir, marts))


@pytest.fixture(scope="module")
def as_of_instants(reference: Reference) -> list[pd.Timestamp]:
    """Three midnights spread over the data (a quarter, half and 85% of the way)."""
    first, last = reference.entries["entered_at"].min(), reference.entries["entered_at"].max()
    return [(first + (last - first) * share).normalize() for share in (0.25, 0.5, 0.85)]


def _mart_entries(marts: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return marts.execute(
        "select lead_id, lead_entry_number, stage, entry_number, entered_at, exited_at, "
        "is_recycle, is_reopen,"
        " is_skip, evidence_source from marts.fct_lead_stage_transitions"
    ).df()


# --------------------------------------------------------------------------- tests


def test_reference_covers_the_lifecycle(reference: Reference) -> None:
    """Guard against a vacuous comparison: the fixture data exercises the main rules."""
    entries = reference.entries
    counts = Counter(entries["stage"])
    for stage in CANONICAL_STAGES:
        assert counts[stage] > 0, f"no {stage} entry in the fixture data"
    assert entries["is_recycle"].sum() > 0
    assert (entries["evidence_source"] == "mql_expired").sum() > 0, "no MQL expired"
    assert len(reference.live_leads) > 1_000


def test_entries_per_stage_match(reference: Reference, marts: duckdb.DuckDBPyConnection) -> None:
    expected = Counter(reference.entries["stage"])
    actual = dict(
        marts.execute(
            "select stage, count(*) from marts.fct_lead_stage_transitions group by stage"
        ).fetchall()
    )
    assert actual == dict(expected)


def test_recycle_count_matches(reference: Reference, marts: duckdb.DuckDBPyConnection) -> None:
    expected = int(reference.entries["is_recycle"].sum())
    (actual,) = marts.execute(
        "select count(*) from marts.fct_lead_stage_transitions where is_recycle"
    ).fetchall()[0]
    assert actual == expected
    # dim_leads counts re-opens of a terminal stage (the CRM re-opening a disqualified lead) with
    # the recycles, and on their own.
    recycles_or_reopens = int((reference.entries["is_recycle"] | reference.entries["is_reopen"]).sum())
    dim_total, dim_reopens = marts.execute(
        "select sum(recycle_count), sum(reopen_count) from marts.dim_leads"
    ).fetchall()[0]
    assert dim_total == recycles_or_reopens
    assert dim_reopens == int(reference.entries["is_reopen"].sum())


def test_stage_entries_match_row_by_row(reference: Reference, marts: duckdb.DuckDBPyConnection) -> None:
    """Every entry (lead, position, stage, times, flags) agrees; gives a precise diff on failure."""
    keys = ["lead_id", "lead_entry_number"]
    expected = reference.entries.sort_values(keys).reset_index(drop=True)
    actual = _mart_entries(marts).sort_values(keys).reset_index(drop=True)
    for frame in (expected, actual):
        frame["entered_at"] = frame["entered_at"].astype("datetime64[us]")
        frame["exited_at"] = frame["exited_at"].astype("datetime64[us]")
        frame["lead_entry_number"] = frame["lead_entry_number"].astype(np.int64)
        frame["entry_number"] = frame["entry_number"].astype(np.int64)
        frame["is_recycle"] = frame["is_recycle"].astype(bool)
        frame["is_skip"] = frame["is_skip"].astype(bool)
        frame["is_reopen"] = frame["is_reopen"].astype(bool)
    columns = list(ENTRY_COLUMNS)
    pd.testing.assert_frame_equal(actual[columns], expected[columns], check_dtype=False)


def test_leads_per_stage_as_of_three_dates(
    reference: Reference, marts: duckdb.DuckDBPyConnection, as_of_instants: list[pd.Timestamp]
) -> None:
    for instant in as_of_instants:
        actual = dict(
            marts.execute(
                "select stage, count(*) from marts.fct_lead_stage_intervals"
                " where valid_from <= ? and (valid_to > ? or valid_to is null) group by stage",
                [instant.to_pydatetime(), instant.to_pydatetime()],
            ).fetchall()
        )
        expected = dict(as_of_counts(reference.entries, instant))
        assert sum(expected.values()) > 0
        assert actual == expected, f"as of {instant}"


def test_median_hours_mql_to_sql(reference: Reference, marts: duckdb.DuckDBPyConnection) -> None:
    expected = hours_first_mql_to_sql(reference.entries)
    actual = [
        row[0]
        for row in marts.execute(
            "select hours_first_mql_to_sql from marts.dim_leads where hours_first_mql_to_sql is not null"
        ).fetchall()
    ]
    assert len(expected) > 10
    assert len(actual) == len(expected)
    assert statistics.median(actual) == statistics.median(expected)


def test_dim_leads_has_each_live_lead_once(reference: Reference, marts: duckdb.DuckDBPyConnection) -> None:
    ids = [row[0] for row in marts.execute("select lead_id from marts.dim_leads").fetchall()]
    assert len(ids) == len(set(ids))
    assert set(ids) == reference.live_leads


def test_inventory_matches_as_of_counts(
    reference: Reference, marts: duckdb.DuckDBPyConnection, as_of_instants: list[pd.Timestamp]
) -> None:
    """End-of-day inventory = the intervals' as-of count at the day's last instant (both from the
    marts' own intervals and from the reference), per stage and channel."""
    entries = reference.entries.assign(channel=reference.entries["lead_id"].map(reference.channel_of))
    (last_day,) = marts.execute(
        "select max(inventory_date) from marts.fct_funnel_daily_inventory"
    ).fetchall()[0]
    days = [instant.date() for instant in as_of_instants] + [pd.Timestamp(last_day).date()]
    for day in days:
        day_end = pd.Timestamp(day) + pd.Timedelta(days=1) - pd.Timedelta(microseconds=1)
        inventory = {
            (stage, channel): n
            for stage, channel, n in marts.execute(
                "select stage, channel, leads_in_stage_end_of_day from marts.fct_funnel_daily_inventory"
                " where inventory_date = ? and leads_in_stage_end_of_day > 0",
                [day],
            ).fetchall()
        }
        from_intervals = {
            (stage, channel): n
            for stage, channel, n in marts.execute(
                "select i.stage, l.kpi_channel, count(*) from marts.fct_lead_stage_intervals as i"
                " inner join marts.dim_leads as l on i.lead_id = l.lead_id"
                " where i.valid_from <= ? and (i.valid_to > ? or i.valid_to is null) group by all",
                [day_end.to_pydatetime(), day_end.to_pydatetime()],
            ).fetchall()
        }
        in_force = (entries["entered_at"] <= day_end) & (
            entries["exited_at"].isna() | (entries["exited_at"] > day_end)
        )
        expected = dict(
            Counter(zip(entries.loc[in_force, "stage"], entries.loc[in_force, "channel"], strict=True))
        )
        assert inventory == from_intervals, f"inventory vs intervals on {day}"
        assert inventory == expected, f"inventory vs reference on {day}"


def test_inventory_flows_match_reference(reference: Reference, marts: duckdb.DuckDBPyConnection) -> None:
    """Daily entries, exits and recycles summed over the whole range equal the reference's totals."""
    totals = marts.execute(
        "select stage, sum(entries), sum(exits), sum(recycles)"
        " from marts.fct_funnel_daily_inventory group by stage"
    ).fetchall()
    entries = reference.entries
    for stage, n_entries, n_exits, n_recycles in totals:
        of_stage = entries[entries["stage"] == stage]
        assert n_entries == len(of_stage), stage
        assert n_exits == int(of_stage["exited_at"].notna().sum()), stage
        assert n_recycles == int((of_stage["is_recycle"] | of_stage["is_reopen"]).sum()), stage
