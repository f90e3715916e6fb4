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
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
import yaml
from reference.scoring_reference import build_reference as build_scoring_reference

from lead_funnel.paths import PROJECT_DIR, SEEDS_DIR

UNKNOWN = "unknown"
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


# --------------------------------------------------------------------------- inputs


def _vars() -> dict:
    project = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text(encoding="utf-8"))
    return project["vars"]


def _utc(series: pd.Series) -> pd.Series:
    """Instants as naive UTC microsecond timestamps (what staging's to_utc_timestamp gives)."""
    values = pd.to_datetime(series, utc=True)
    return values.dt.tz_convert("UTC").dt.tz_localize(None).astype("datetime64[us]")


def _text(series: pd.Series) -> pd.Series:
    """Trimmed text, empty -> missing (staging's nullif(trim(...), ''))."""
    return series.astype("object").map(lambda v: (v.strip() or None) if isinstance(v, str) else None)


def _latest_loaded(frame: pd.DataFrame, key: str) -> pd.DataFrame:
    """Keep the latest loaded copy of each event id (staging's keep_latest_loaded)."""
    ordered = frame.sort_values([key, "loaded_at"], ascending=[True, False], kind="mergesort")
    return ordered.drop_duplicates(key, keep="first")


def _without_quarantined(
    frame: pd.DataFrame, con: duckdb.DuckDBPyConnection, table: str, keys: list[str], staged_keys: list[str]
) -> pd.DataFrame:
    """Drop the raw rows staging set aside (quarantine.<table>, matched on the row's key)."""
    cols = ", ".join(staged_keys)
    quarantined = con.execute(f"select distinct {cols} from quarantine.{table}").df()
    if quarantined.empty:
        return frame
    quarantined.columns = keys
    for key in keys:
        quarantined[key] = quarantined[key].astype(frame[key].dtype)
    merged = frame.merge(quarantined.assign(_q=True), on=keys, how="left")
    return frame[merged["_q"].isna().to_numpy()]


@dataclass
class Raw:
    leads: pd.DataFrame
    status_changes: pd.DataFrame
    opportunities: pd.DataFrame
    opportunity_stage_changes: pd.DataFrame
    identities: pd.DataFrame
    web_events: pd.DataFrame


def load_raw(raw_dir: Path, con: duckdb.DuckDBPyConnection) -> Raw:
    def read(name: str) -> pd.DataFrame:
        return pd.read_parquet(raw_dir / f"{name}.parquet")

    leads = read("leads")
    leads = leads.assign(
        lead_id=leads["lead_id"].astype(str),
        status=_text(leads["status"]),
        created_at=_utc(leads["created_at"]),
        updated_at=_utc(leads["updated_at"]),
        is_deleted=leads["is_deleted"].fillna(False).astype(bool),
        merged_into_lead_id=_text(leads["merged_into_lead_id"]),
        lead_source=_text(leads["lead_source"]),
    )
    leads = _without_quarantined(leads, con, "quarantine_crm__leads", ["lead_id"], ["lead_id"])

    changes = read("lead_status_changes")
    changes = changes.assign(
        change_id=changes["change_id"].astype(str),
        lead_id=changes["lead_id"].astype(str),
        new_value=_text(changes["new_value"]),
        changed_at=_utc(changes["changed_at"]),
        loaded_at=_utc(changes["loaded_at"]),
    )
    changes = _without_quarantined(
        changes,
        con,
        "quarantine_crm__lead_status_changes",
        ["change_id", "loaded_at"],
        ["status_change_id", "loaded_at"],
    )
    changes = _latest_loaded(changes, "change_id")
    changes = changes.assign(old_value=_text(changes["old_value"]))

    opps = read("opportunities")
    opps = opps.assign(
        opportunity_id=opps["opportunity_id"].astype(str),
        primary_lead_id=_text(opps["primary_lead_id"]),
        created_at=_utc(opps["created_at"]),
        close_date=pd.to_datetime(opps["close_date"]).astype("datetime64[us]"),
        is_won=opps["is_won"].astype(bool),
    )
    opps = _without_quarantined(
        opps, con, "quarantine_crm__opportunities", ["opportunity_id"], ["opportunity_id"]
    )

    opp_changes = read("opportunity_stage_changes")
    opp_changes = opp_changes.assign(
        change_id=opp_changes["change_id"].astype(str),
        new_stage=_text(opp_changes["new_stage"]),
        changed_at=_utc(opp_changes["changed_at"]),
        loaded_at=_utc(opp_changes["loaded_at"]),
    )
    opp_changes = _without_quarantined(
        opp_changes,
        con,
        "quarantine_crm__opportunity_stage_changes",
        ["change_id", "loaded_at"],
        ["stage_change_id", "loaded_at"],
    )
    opp_changes = _latest_loaded(opp_changes, "change_id")

    identities = read("identities")
    identities = identities.assign(
        anonymous_id=identities["anonymous_id"].astype(str),
        lead_id=identities["lead_id"].astype(str),
        identified_at=_utc(identities["identified_at"]),
    )
    identities = _without_quarantined(
        identities, con, "quarantine_marketing__identities", ["anonymous_id"], ["anonymous_id"]
    )

    web = read("web_events")[["event_id", "anonymous_id", "occurred_at", "loaded_at"]]
    web = web.assign(
        event_id=web["event_id"].astype(str),
        anonymous_id=web["anonymous_id"].astype(str),
        occurred_at=_utc(web["occurred_at"]),
        loaded_at=_utc(web["loaded_at"]),
    )
    web = _without_quarantined(
        web, con, "quarantine_marketing__web_events", ["event_id", "loaded_at"], ["web_event_id", "loaded_at"]
    )
    web = _latest_loaded(web, "event_id")
    return Raw(leads, changes, opps, opp_changes, identities, web)


# ------------------------------------------------------------------ the reference


@dataclass
class Reference:
    entries: pd.DataFrame  # one row per stage entry
    live_leads: set[str]
    channel_of: dict[str, str]


def _resolve_merges(leads: pd.DataFrame, max_depth: int) -> pd.DataFrame:
    """lead_id -> surviving_lead_id, and whether the record's history is kept / it is a live lead."""
    pointer = {
        lead: target
        for lead, target in zip(leads["lead_id"], leads["merged_into_lead_id"], strict=True)
        if isinstance(target, str)
    }
    deleted = dict(zip(leads["lead_id"], leads["is_deleted"], strict=True))
    rows = []
    for lead in leads["lead_id"]:
        current, hops = lead, 0
        while current in pointer and hops < max_depth:
            current, hops = pointer[current], hops + 1
        resolved = current not in pointer
        kept = resolved and current in deleted and not deleted[current]
        rows.append((lead, current, kept, kept and lead not in pointer))
    return pd.DataFrame(rows, columns=["source_lead_id", "lead_id", "is_history_kept", "is_live"])


def _score_evidence_while_not_qualified(
    score_evidence: pd.DataFrame,
    evidence: list[pd.DataFrame],
    stage_order: dict[str, int],
    is_detour: dict[str, bool],
) -> pd.DataFrame:
    """Score MQL evidence only counts while the lead does not already stand at MQL or a later
    main-path stage: the latest other evidence (CRM, opportunities; not creation or visits) at or
    before it decides (ties: the furthest stage)."""
    sources = ["crm_status", "crm_snapshot", "opportunity_created", "opportunity_won"]
    standing = pd.concat(evidence, ignore_index=True)
    standing = standing[standing["evidence_source"].isin(sources)]
    qualified = {s for s, order in stage_order.items() if not is_detour[s] and order >= stage_order["mql"]}
    by_lead: dict[str, list[tuple[pd.Timestamp, int, str]]] = {}
    for lead, at, stage in zip(standing["lead_id"], standing["occurred_at"], standing["stage"], strict=True):
        by_lead.setdefault(lead, []).append((at, stage_order.get(stage, -1), stage))
    keep = []
    for lead, at in zip(score_evidence["lead_id"], score_evidence["occurred_at"], strict=True):
        before = [item for item in by_lead.get(lead, []) if item[0] <= at]
        keep.append(not before or max(before)[2] not in qualified)
    kept = score_evidence[keep]
    return kept.assign(stage="mql")[
        ["lead_id", "source_lead_id", "stage", "occurred_at", "evidence_source", "evidence_id"]
    ]


def build_reference(raw: Raw, score_evidence: pd.DataFrame | None = None) -> Reference:
    """score_evidence: MQL evidence of the scoring (lead_id, source_lead_id, occurred_at,
    evidence_source score_threshold / hand_raise, evidence_id), from the independent scoring
    reference (tests/reference/scoring_reference.py); used per var mql_evidence_source."""
    dbt_vars = _vars()
    mapping = pd.read_csv(SEEDS_DIR / "stage_mapping.csv", dtype=str, keep_default_na=False)
    stages = pd.read_csv(SEEDS_DIR / "canonical_stages.csv", keep_default_na=False)
    priorities = pd.read_csv(SEEDS_DIR / "lifecycle_evidence_sources.csv", keep_default_na=False)
    channels = pd.read_csv(SEEDS_DIR / "lead_source_channels.csv", dtype=str, keep_default_na=False)

    stage_order = dict(zip(stages["stage"], stages["stage_order"].astype(int), strict=True))
    is_detour = {
        s: str(v).lower() == "true" for s, v in zip(stages["stage"], stages["is_detour"], strict=True)
    }
    main_path = sorted((s for s in stage_order if not is_detour[s]), key=stage_order.__getitem__)
    main_rank = {stage: rank for rank, stage in enumerate(main_path, start=1)}
    priority = dict(
        zip(priorities["evidence_source"], priorities["evidence_priority"].astype(int), strict=True)
    )
    system_rows = mapping[mapping["source_system"] == dbt_vars["crm_source_system"]]
    to_stage = {
        value: stage
        for value, stage in zip(system_rows["source_value"], system_rows["canonical_stage"], strict=True)
        if stage in stage_order
    }

    def canonical(value: object) -> str:
        return to_stage.get(value, UNKNOWN) if isinstance(value, str) else UNKNOWN

    records = _resolve_merges(raw.leads, int(dbt_vars["lead_merge_max_depth"]))
    kept = records[records["is_history_kept"]][["source_lead_id", "lead_id"]]
    columns = ["lead_id", "source_lead_id", "stage", "occurred_at", "evidence_source", "evidence_id"]
    evidence: list[pd.DataFrame] = []

    # CRM status history; a merged record's entries into `lead` are dropped, re-saves
    # (old value = new value) are no change.
    crm = raw.status_changes.rename(columns={"lead_id": "source_lead_id"}).merge(kept, on="source_lead_id")
    leads_with_history = set(crm["lead_id"])
    crm = crm[crm["old_value"].map(lambda v: not isinstance(v, str)) | (crm["old_value"] != crm["new_value"])]
    crm = crm.assign(
        stage=crm["new_value"].map(canonical),
        occurred_at=crm["changed_at"],
        evidence_source="crm_status",
        evidence_id=crm["change_id"],
    )
    crm = crm[~((crm["stage"] == "lead") & (crm["source_lead_id"] != crm["lead_id"]))]

    # Snapshot versions (a fresh warehouse: one version per record, at updated_at) of the
    # surviving record, only for leads none of whose records has status history.
    snap = raw.leads.rename(columns={"lead_id": "source_lead_id"}).merge(kept, on="source_lead_id")
    snap = snap[(snap["source_lead_id"] == snap["lead_id"]) & ~snap["lead_id"].isin(leads_with_history)]
    snap = snap.assign(
        stage=snap["status"].map(canonical),
        occurred_at=snap["updated_at"],
        evidence_source="crm_snapshot",
        evidence_id=snap["lead_id"].astype(str).map(lambda lead: f"snapshot:{lead}"),
    )
    crm_all = pd.concat([crm[columns], snap[columns]])
    mql_source = dbt_vars["mql_evidence_source"]
    if mql_source == "score":  # CRM MQLs are not used; the scoring's are
        crm_all = crm_all[crm_all["stage"] != "mql"]
    evidence.append(crm_all)

    # The moment the person became known: earliest record creation or browser identification.
    created = raw.leads.rename(columns={"lead_id": "source_lead_id"}).merge(kept, on="source_lead_id")
    created = created.assign(
        occurred_at=created["created_at"],
        evidence_source="lead_created",
        evidence_id=created["source_lead_id"],
    )
    identified = raw.identities.rename(columns={"lead_id": "source_lead_id"}).merge(kept, on="source_lead_id")
    identified = identified.assign(
        occurred_at=identified["identified_at"],
        evidence_source="identified",
        evidence_id=identified["anonymous_id"],
    )
    known = pd.concat([created[columns[:2] + columns[3:]], identified[columns[:2] + columns[3:]]])
    known = known.assign(stage="lead", _p=known["evidence_source"].map(priority))
    known = known.sort_values(["lead_id", "occurred_at", "_p", "evidence_id"]).drop_duplicates("lead_id")
    evidence.append(known[columns])
    first_known = dict(zip(known["lead_id"], known["occurred_at"], strict=True))

    # Visitor: earliest page view of any of the lead's browsers, if before it became known.
    views = raw.web_events.merge(identified[["anonymous_id", "lead_id", "source_lead_id"]], on="anonymous_id")
    views = views.sort_values(["lead_id", "occurred_at", "event_id"]).drop_duplicates("lead_id")
    views = views[views["occurred_at"] < views["lead_id"].map(first_known).astype("datetime64[us]")]
    evidence.append(
        views.assign(stage="visitor", evidence_source="web_visit", evidence_id=views["event_id"])[columns]
    )

    # Opportunities and won deals.
    opps = raw.opportunities.rename(columns={"primary_lead_id": "source_lead_id"}).merge(
        kept, on="source_lead_id"
    )
    evidence.append(
        opps.assign(
            stage="opportunity",
            occurred_at=opps["created_at"],
            evidence_source="opportunity_created",
            evidence_id=opps["opportunity_id"],
        )[columns]
    )
    won_changes = raw.opportunity_stage_changes[
        raw.opportunity_stage_changes["new_stage"] == dbt_vars["opportunity_won_stage_name"]
    ]
    first_won = won_changes.groupby("opportunity_id")["changed_at"].min()
    won = opps[opps["is_won"]].copy()
    by_close = won["close_date"].where(won["close_date"] >= won["created_at"], won["created_at"])
    won_at = won["opportunity_id"].map(first_won)
    won["occurred_at"] = won_at.where(won_at.notna(), by_close.where(by_close.notna(), won["created_at"]))
    evidence.append(
        won.assign(stage="customer", evidence_source="opportunity_won", evidence_id=won["opportunity_id"])[
            columns
        ]
    )

    if mql_source in ("score", "earliest") and score_evidence is not None and not score_evidence.empty:
        evidence.append(_score_evidence_while_not_qualified(score_evidence, evidence, stage_order, is_detour))

    all_evidence = pd.concat(evidence, ignore_index=True)
    all_evidence["occurred_at"] = all_evidence["occurred_at"].astype("datetime64[us]")
    all_evidence = all_evidence.assign(
        _unknown_last=(all_evidence["stage"] == UNKNOWN).astype(int),
        _order=all_evidence["stage"].map(stage_order).fillna(-1),
        _priority=all_evidence["evidence_source"].map(priority),
    ).sort_values(
        ["lead_id", "occurred_at", "_unknown_last", "_order", "_priority", "evidence_id"], kind="mergesort"
    )

    rows = []
    for lead_id, group in all_evidence.groupby("lead_id", sort=False):
        entries: list[tuple[str, pd.Timestamp, str]] = []
        for stage, occurred_at, source in zip(
            group["stage"], group["occurred_at"], group["evidence_source"], strict=True
        ):
            if not entries or entries[-1][0] != stage:
                entries.append((stage, occurred_at, source))
        furthest: int | None = None
        per_stage: Counter[str] = Counter()
        for number, (stage, entered_at, source) in enumerate(entries, start=1):
            rank = main_rank.get(stage)
            per_stage[stage] += 1
            exited_at = entries[number][1] if number < len(entries) else pd.NaT
            rows.append(
                {
                    "lead_id": lead_id,
                    "lead_entry_number": number,
                    "stage": stage,
                    "entry_number": per_stage[stage],
                    "entered_at": entered_at,
                    "exited_at": exited_at,
                    "is_recycle": rank is not None and furthest is not None and rank <= furthest,
                    "is_skip": rank is not None and furthest is not None and rank > furthest + 1,
                    "evidence_source": source,
                }
            )
            if rank is not None:
                furthest = rank if furthest is None else max(furthest, rank)

    entries_frame = pd.DataFrame(rows)
    entries_frame["entered_at"] = entries_frame["entered_at"].astype("datetime64[us]")
    entries_frame["exited_at"] = entries_frame["exited_at"].astype("datetime64[us]")

    live = records[records["is_live"]]["source_lead_id"]
    source_channel = dict(zip(channels["lead_source"], channels["channel"], strict=True))
    lead_source = dict(zip(raw.leads["lead_id"], raw.leads["lead_source"], strict=True))
    channel_of = {lead: source_channel.get(lead_source[lead], UNKNOWN) for lead in live}
    return Reference(entries=entries_frame, live_leads=set(live), channel_of=channel_of)


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


def score_mql_evidence(raw_dir: Path, marts: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """MQL-by-score evidence from the independent scoring reference (never the scoring SQL)."""
    scoring = build_scoring_reference(raw_dir, marts)
    crossings = scoring.crossings()
    threshold = pd.DataFrame(
        {
            "lead_id": list(crossings),
            "source_lead_id": list(crossings),
            "occurred_at": list(crossings.values()),
            "evidence_source": "score_threshold",
            "evidence_id": [f"score:{lead}" for lead in crossings],
        }
    )
    raises = scoring.hand_raises.assign(evidence_source="hand_raise")
    frame = pd.concat([threshold, raises[threshold.columns]], ignore_index=True)
    frame["occurred_at"] = frame["occurred_at"].astype("datetime64[us]")
    return frame


@pytest.fixture(scope="module")
def as_of_instants(reference: Reference) -> list[pd.Timestamp]:
    """Three midnights spread over the data (a quarter, half and 85% of the way)."""
    first, last = reference.entries["entered_at"].min(), reference.entries["entered_at"].max()
    return [(first + (last - first) * share).normalize() for share in (0.25, 0.5, 0.85)]


def _mart_entries(marts: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return marts.execute(
        "select lead_id, lead_entry_number, stage, entry_number, entered_at, exited_at, is_recycle, is_skip,"
        " evidence_source from marts.fct_lead_stage_transitions"
    ).df()


# --------------------------------------------------------------------------- tests


def test_reference_covers_the_lifecycle(reference: Reference) -> None:
    """Guard against a vacuous comparison: the fixture data exercises the main rules."""
    entries = reference.entries
    counts = Counter(entries["stage"])
    for stage in CANONICAL_STAGES:
        assert counts[stage] > 0, f"no {stage} entry in the fixture data"
    assert entries["is_recycle"].sum() > 0
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
    (dim_total,) = marts.execute("select sum(recycle_count) from marts.dim_leads").fetchall()[0]
    assert dim_total == expected


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
    columns = list(expected.columns)
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
                "select i.stage, l.first_touch_channel, count(*) from marts.fct_lead_stage_intervals as i"
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
        assert n_recycles == int(of_stage["is_recycle"].sum()), stage
