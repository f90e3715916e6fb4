"""Independent pandas re-derivation of the lead lifecycle (docs/lifecycle.md) from raw files.

Reads a landing folder as the raw-data contract describes it (Parquet or CSV; absent tables and
columns are null, text trimmed, instants in UTC, vocabularies mapped by their seeds,
re-delivered events deduplicated on their latest load) and rebuilds every stage entry, never
from the models' SQL or their output. The only thing read back from the warehouse is which raw
rows staging quarantined (the quarantine rules are tested on their own). Used by
tests/test_lifecycle.py and, for exports shaped like real ones, tests/test_real_exports.py.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd
import yaml

from lead_funnel import contract
from lead_funnel.paths import PROJECT_DIR, SEEDS_DIR, seed_path
from reference.vocabularies import map_values

UNMAPPED = "unmapped"
ENTRY_COLUMNS = (
    "lead_id",
    "lead_entry_number",
    "stage",
    "entry_number",
    "entered_at",
    "exited_at",
    "is_recycle",
    "is_reopen",
    "is_skip",
    "evidence_source",
)


def _vars(overrides: dict | None = None) -> dict:
    """The project's dbt vars (dbt_project.yml), with a build's --vars overrides on top."""
    project = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text(encoding="utf-8"))
    return {**project["vars"], **(overrides or {})}


def _utc(series: pd.Series) -> pd.Series:
    """Instants as naive UTC microsecond timestamps (what staging's to_utc_timestamp gives)."""
    values = pd.to_datetime(series, utc=True, errors="coerce", format="mixed")
    return values.dt.tz_convert("UTC").dt.tz_localize(None).astype("datetime64[us]")


def _text(series: pd.Series) -> pd.Series:
    """Trimmed text, empty -> missing (staging's nullif(trim(...), ''))."""
    return series.astype("object").map(lambda v: (v.strip() or None) if isinstance(v, str) else None)


def _bool(series: pd.Series) -> pd.Series:
    words = {"true": True, "t": True, "1": True, "false": False, "f": False, "0": False}

    def one(value: object) -> object:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in words:
            return words[value.strip().lower()]
        return None

    return series.astype("object").map(one)


def raw_format(raw_dir: Path) -> str:
    """parquet when the folder holds a Parquet file of the contract, else csv (lead_funnel's rule)."""
    has_parquet = any((raw_dir / f"{t.name}.parquet").exists() for t in contract.TABLES)
    return "parquet" if has_parquet else "csv"


def read_table(raw_dir: Path, name: str) -> pd.DataFrame:
    """A raw table as the contract says staging types it: every contract column present (null when
    the file lacks it; no rows when the table was not delivered), text trimmed, instants as naive
    UTC, numbers and booleans parsed, documented defaults applied, a file without loaded_at loaded
    at the file's modification time."""
    table = contract.table(name)
    path = raw_dir / f"{name}.{raw_format(raw_dir)}"
    delivered = path.exists() and path.stat().st_size > 0
    if not delivered:
        frame = pd.DataFrame()
    elif path.suffix == ".parquet":
        frame = pd.read_parquet(path)
    else:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    rows = len(frame)
    out: dict[str, pd.Series] = {}
    for col in table.columns:
        values = frame[col.name] if col.name in frame else pd.Series([None] * rows, dtype="object")
        values = values.reset_index(drop=True)
        if col.type == "string":
            typed = _text(values.astype("object").map(lambda v: v if isinstance(v, str) else None))
            if col.clean in ("lower", "email"):
                typed = typed.map(lambda v: v.lower() if isinstance(v, str) else None)
        elif col.type == "timestamp":
            typed = _utc(values.replace("", None))
        elif col.type == "date":
            typed = pd.to_datetime(values.replace("", None), errors="coerce").astype("datetime64[us]")
        elif col.type == "bool":
            typed = _bool(values)
        else:
            typed = pd.to_numeric(values.replace("", None), errors="coerce")
        if col.name == "loaded_at" and col.name not in frame and delivered:
            loaded = datetime.fromtimestamp(path.stat().st_mtime, UTC).replace(tzinfo=None)
            typed = pd.Series([pd.Timestamp(loaded)] * rows, dtype="datetime64[us]")
        if col.default is not None:
            default = _vars()[col.default[4:]] if col.default.startswith("var:") else col.default == "true"
            typed = typed.map(
                lambda v, d=default: d if v is None or (isinstance(v, float) and pd.isna(v)) else v
            )
        out[col.name] = typed
    return pd.DataFrame(out)


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
    if quarantined.empty or frame.empty:
        return frame
    quarantined.columns = keys
    for key in keys:
        quarantined[key] = quarantined[key].astype(frame[key].dtype)
    merged = frame.merge(quarantined.assign(_q=True), on=keys, how="left")
    return frame[merged["_q"].isna().to_numpy()]


def with_outcome(opportunities: pd.DataFrame, crm: str, seeds_dir: Path = SEEDS_DIR) -> pd.DataFrame:
    """is_closed / is_won as staging derives them: the CRM's flags, else the stage's category in
    seed opportunity_stage_mapping (won, lost: closed); stage_category beside them."""
    category = map_values(opportunities["stage_name"], "opportunity_stage", crm, seeds_dir)
    recorded_closed = opportunities["is_closed"]
    recorded_won = opportunities["is_won"]
    return opportunities.assign(
        stage_category=category,
        is_closed=[
            bool(r) if r is not None and not pd.isna(r) else c in ("won", "lost")
            for r, c in zip(recorded_closed, category, strict=True)
        ],
        is_won=[
            bool(r) if r is not None and not pd.isna(r) else c == "won"
            for r, c in zip(recorded_won, category, strict=True)
        ],
    )


@dataclass
class Raw:
    leads: pd.DataFrame
    status_changes: pd.DataFrame
    opportunities: pd.DataFrame
    opportunity_stage_changes: pd.DataFrame
    identities: pd.DataFrame
    web_events: pd.DataFrame
    now: pd.Timestamp  # the data's as-of: its latest event (data_now)


def _clean(
    raw_dir: Path, con: duckdb.DuckDBPyConnection, name: str, event_key: str | None = None
) -> pd.DataFrame:
    """read_table without the quarantined rows, re-delivered events deduplicated."""
    table = contract.table(name)
    frame = read_table(raw_dir, name)
    keys = list(table.key) + (["loaded_at"] if event_key else [])
    staged = table.staged_key() + (["loaded_at"] if event_key else [])
    frame = _without_quarantined(frame, con, f"quarantine_{table.source}__{name}", keys, staged)
    return _latest_loaded(frame, event_key) if event_key else frame


def load_raw(raw_dir: Path, con: duckdb.DuckDBPyConnection, overrides: dict | None = None) -> Raw:
    leads = _clean(raw_dir, con, "leads")
    changes = _clean(raw_dir, con, "lead_status_changes", "change_id")
    opps = _clean(raw_dir, con, "opportunities")
    opp_changes = _clean(raw_dir, con, "opportunity_stage_changes", "change_id")
    identities = _clean(raw_dir, con, "identities")
    web = _clean(raw_dir, con, "web_events", "event_id")[
        ["event_id", "anonymous_id", "occurred_at", "loaded_at"]
    ]
    return Raw(leads, changes, opps, opp_changes, identities, web, data_now(raw_dir, con, overrides))


# The instants that say how far a delivery reaches (docs/kpis.md, "As-of"): table -> columns.
# A closed deal's close date counts; an open deal's expected close date does not.
NOW_COLUMNS = {
    "leads": ("created_at", "updated_at"),
    "lead_status_changes": ("changed_at",),
    "identities": ("identified_at",),
    "opportunities": ("created_at", "close_date"),
    "opportunity_stage_changes": ("changed_at",),
    "activities": ("occurred_at",),
    "web_events": ("occurred_at",),
    "email_events": ("occurred_at",),
    "form_submissions": ("submitted_at",),
    "campaign_members": ("created_at", "first_responded_at"),
    "ad_spend": ("spend_date",),
}


def data_now(raw_dir: Path, con: duckdb.DuckDBPyConnection, overrides: dict | None = None) -> pd.Timestamp:
    """The data's "now" when var kpi_as_of is unset: the latest instant of the staged rows."""
    latest: list[pd.Timestamp] = []
    for name, columns in NOW_COLUMNS.items():
        table = contract.table(name)
        frame = _clean(raw_dir, con, name, table.key[0] if table.is_event_table else None)
        if name == "opportunities":
            frame = with_outcome(frame, _vars(overrides)["crm_source_system"])
            frame = frame.assign(close_date=frame["close_date"].where(frame["is_closed"]))
        for column in columns:
            values = pd.to_datetime(frame[column]).dropna()
            if not values.empty:
                latest.append(values.max())
    return pd.Timestamp(max(latest)).as_unit("us")


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
    is_terminal: dict[str, bool],
) -> pd.DataFrame:
    """Score MQL evidence only counts while the lead does not already stand at MQL, a later
    main-path stage or a terminal stage (only the CRM re-opens those): the latest other evidence
    (CRM, opportunities; not creation or visits) at or before it decides (ties: the furthest
    stage)."""
    sources = ["crm_status", "crm_snapshot", "opportunity_created", "opportunity_won"]
    standing = pd.concat(evidence, ignore_index=True)
    standing = standing[standing["evidence_source"].isin(sources)]
    qualified = {
        s
        for s, order in stage_order.items()
        if (not is_detour[s] and order >= stage_order["mql"]) or is_terminal[s]
    }
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


def _until_first_won(evidence: pd.DataFrame, is_detour: dict[str, bool]) -> pd.DataFrame:
    """A won deal is absorbing: nothing after the lead's first won deal; at the won instant itself,
    main-path evidence keeps its place (ordered before customer), detours are dropped."""
    won = evidence[evidence["evidence_source"] == "opportunity_won"]
    first_won = evidence["lead_id"].map(won.groupby("lead_id")["occurred_at"].min())
    detour = evidence["stage"].map(is_detour).fillna(False).astype(bool)
    at = evidence["occurred_at"]
    keep = first_won.isna() | (at < first_won) | ((at == first_won) & ~detour)
    return evidence[keep.to_numpy()]


def _mql_expiries(ordered: pd.DataFrame, days: int, now: pd.Timestamp) -> pd.DataFrame:
    """An MQL nobody worked is recycled automatically: MQL evidence followed by no other evidence
    within `days` (the next evidence of the lead in order, of any stage, later than mql_at + days,
    or none) gets `recycled` evidence at mql_at + days (source mql_expired), when that instant
    has come by the data's now."""
    rows = []
    for lead_id, group in ordered.groupby("lead_id", sort=False):
        stages, times = list(group["stage"]), list(group["occurred_at"])
        sources, ids = list(group["source_lead_id"]), list(group["evidence_id"])
        for i, stage in enumerate(stages):
            if stage != "mql":
                continue
            expires_at = times[i] + pd.Timedelta(days=days)
            next_at = times[i + 1] if i + 1 < len(times) else None
            if (next_at is None or next_at > expires_at) and expires_at <= now:
                rows.append((lead_id, sources[i], "recycled", expires_at, "mql_expired", f"{ids[i]}:expired"))
    frame = pd.DataFrame(
        rows, columns=["lead_id", "source_lead_id", "stage", "occurred_at", "evidence_source", "evidence_id"]
    )
    frame["occurred_at"] = frame["occurred_at"].astype("datetime64[us]")
    return frame


def build_reference(
    raw: Raw,
    score_evidence: pd.DataFrame | None = None,
    seeds_dir: Path = SEEDS_DIR,
    overrides: dict | None = None,
) -> Reference:
    """score_evidence: MQL evidence of the scoring (lead_id, source_lead_id, occurred_at,
    evidence_source score_threshold / hand_raise, evidence_id), from the independent scoring
    reference (tests/reference/scoring_reference.py); used per var mql_evidence_source.
    overrides: the build's --vars (kpi_as_of unset: point-in-time builds are tested by
    comparing builds, tests/test_as_of.py)."""
    dbt_vars = _vars(overrides)
    if dbt_vars.get("kpi_as_of") is not None:
        raise ValueError("the lifecycle reference derives full-data builds only (kpi_as_of unset)")
    stages = pd.read_csv(seed_path("canonical_stages"), keep_default_na=False)
    priorities = pd.read_csv(seed_path("lifecycle_evidence_sources"), keep_default_na=False)

    stage_order = dict(zip(stages["stage"], stages["stage_order"].astype(int), strict=True))
    is_detour = {
        s: str(v).lower() == "true" for s, v in zip(stages["stage"], stages["is_detour"], strict=True)
    }
    is_terminal = {
        s: str(v).lower() == "true" for s, v in zip(stages["stage"], stages["is_terminal"], strict=True)
    }
    reopenable = set(stages.loc[stages["reopen_policy"] == "crm", "stage"])
    main_path = sorted((s for s in stage_order if not is_detour[s]), key=stage_order.__getitem__)
    main_rank = {stage: rank for rank, stage in enumerate(main_path, start=1)}
    priority = dict(
        zip(priorities["evidence_source"], priorities["evidence_priority"].astype(int), strict=True)
    )
    crm_system = dbt_vars["crm_source_system"]

    def canonical(values: pd.Series) -> pd.Series:
        """Statuses mapped through seed stage_mapping (tests/reference/vocabularies.py)."""
        return map_values(values, "lead_stage", crm_system, seeds_dir)

    def same_status(old: object, new: object) -> bool:
        return isinstance(old, str) and isinstance(new, str) and old.strip().lower() == new.strip().lower()

    if raw.leads.empty:  # a delivery without leads: no lifecycle at all
        entries = pd.DataFrame(columns=[*ENTRY_COLUMNS, "evidence_id", "source_value"]).astype(
            {"entered_at": "datetime64[us]", "exited_at": "datetime64[us]"}
        )
        return Reference(entries=entries, live_leads=set(), channel_of={})
    records = _resolve_merges(raw.leads, int(dbt_vars["lead_merge_max_depth"]))
    kept = records[records["is_history_kept"].astype(bool)][["source_lead_id", "lead_id"]]
    columns = ["lead_id", "source_lead_id", "stage", "occurred_at", "evidence_source", "evidence_id"]
    evidence: list[pd.DataFrame] = []

    # CRM status history; a merged record's entries into `lead` are dropped, re-saves
    # (old value = new value) are no change.
    crm = raw.status_changes.rename(columns={"lead_id": "source_lead_id"}).merge(kept, on="source_lead_id")
    leads_with_history = set(crm["lead_id"])
    resaved = [same_status(o, n) for o, n in zip(crm["old_value"], crm["new_value"], strict=True)]
    crm = crm[[not r for r in resaved]]
    crm = crm.assign(
        stage=canonical(crm["new_value"]),
        occurred_at=crm["changed_at"],
        evidence_source="crm_status",
        evidence_id=crm["change_id"],
    )
    crm = crm[~((crm["stage"] == "lead") & (crm["source_lead_id"] != crm["lead_id"]))]

    # Snapshot versions (a fresh warehouse: one version per record, at updated_at) of the
    # surviving record, only for leads none of whose records has status history.
    snap = raw.leads.rename(columns={"lead_id": "source_lead_id"}).merge(kept, on="source_lead_id")
    snap = snap[
        (snap["source_lead_id"] == snap["lead_id"])
        & ~snap["lead_id"].isin(leads_with_history)
        & snap["status"].notna()
    ]
    snap = snap.assign(
        stage=canonical(snap["status"]),
        occurred_at=snap["updated_at"].where(snap["updated_at"].notna(), snap["created_at"]),
        evidence_source="crm_snapshot",
        evidence_id=snap["lead_id"].astype(str).map(lambda lead: f"snapshot:{lead}"),
    )
    crm_all = pd.concat([crm[columns], snap[columns]])
    crm_words = dict(
        zip(zip(crm["evidence_source"], crm["evidence_id"], strict=True), crm["new_value"], strict=True)
    )
    crm_words.update(
        zip(zip(snap["evidence_source"], snap["evidence_id"], strict=True), snap["status"], strict=True)
    )
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
    opps = with_outcome(raw.opportunities, crm_system, seeds_dir)
    opps = opps.rename(columns={"primary_lead_id": "source_lead_id"}).merge(kept, on="source_lead_id")
    created_opps = opps[opps["created_at"].notna()]
    evidence.append(
        created_opps.assign(
            stage="opportunity",
            occurred_at=created_opps["created_at"],
            evidence_source="opportunity_created",
            evidence_id=created_opps["opportunity_id"],
        )[columns]
    )
    won_changes = raw.opportunity_stage_changes[
        map_values(raw.opportunity_stage_changes["new_stage"], "opportunity_stage", crm_system, seeds_dir)
        == "won"
    ]
    first_won = won_changes.groupby("opportunity_id")["changed_at"].min()
    won = opps[opps["is_won"]].copy()
    by_close = won["close_date"].where(
        won["created_at"].isna() | (won["close_date"] >= won["created_at"]), won["created_at"]
    )
    won_at = pd.to_datetime(won["opportunity_id"].map(dict(first_won))).astype("datetime64[us]")
    won["occurred_at"] = won_at.where(won_at.notna(), by_close.where(by_close.notna(), won["created_at"]))
    evidence.append(
        won.assign(stage="customer", evidence_source="opportunity_won", evidence_id=won["opportunity_id"])[
            columns
        ]
    )

    if mql_source in ("score", "earliest") and score_evidence is not None and not score_evidence.empty:
        evidence.append(
            _score_evidence_while_not_qualified(score_evidence, evidence, stage_order, is_detour, is_terminal)
        )

    all_evidence = pd.concat(evidence, ignore_index=True)
    all_evidence["occurred_at"] = all_evidence["occurred_at"].astype("datetime64[us]")
    all_evidence = _until_first_won(all_evidence, is_detour)
    order_by = ["lead_id", "occurred_at", "_unknown_last", "_order", "_priority", "evidence_id"]

    def ordered(frame: pd.DataFrame) -> pd.DataFrame:
        return frame.assign(
            _unknown_last=(frame["stage"] == UNMAPPED).astype(int),
            _order=frame["stage"].map(stage_order).fillna(-1),
            _priority=frame["evidence_source"].map(priority),
        ).sort_values(order_by, kind="mergesort")

    all_evidence = ordered(all_evidence)
    expiries = _mql_expiries(all_evidence, int(dbt_vars["mql_acceptance_days"]), raw.now)
    all_evidence = ordered(pd.concat([all_evidence[columns], expiries], ignore_index=True))

    rows = []
    for lead_id, group in all_evidence.groupby("lead_id", sort=False):
        entries: list[tuple[str, pd.Timestamp, str, str]] = []
        for stage, occurred_at, source, evidence_id in zip(
            group["stage"], group["occurred_at"], group["evidence_source"], group["evidence_id"], strict=True
        ):
            if not entries or entries[-1][0] != stage:
                entries.append((stage, occurred_at, source, evidence_id))
        furthest: int | None = None
        per_stage: Counter[str] = Counter()
        for number, (stage, entered_at, source, evidence_id) in enumerate(entries, start=1):
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
                    "is_reopen": number > 1 and entries[number - 2][0] in reopenable,
                    "is_skip": rank is not None and furthest is not None and rank > furthest + 1,
                    "evidence_source": source,
                    "evidence_id": evidence_id,
                    # the CRM's own word (status) for CRM evidence; null for the other sources
                    "source_value": crm_words.get((source, evidence_id)),
                }
            )
            if rank is not None:
                furthest = rank if furthest is None else max(furthest, rank)

    entries_frame = pd.DataFrame(rows)
    entries_frame["entered_at"] = entries_frame["entered_at"].astype("datetime64[us]")
    entries_frame["exited_at"] = entries_frame["exited_at"].astype("datetime64[us]")

    live = records[records["is_live"]]["source_lead_id"]
    channels = map_values(raw.leads["lead_source"], "lead_source_channel", seeds_dir=seeds_dir)
    source_channel = dict(zip(raw.leads["lead_id"], channels, strict=True))
    channel_of = {lead: source_channel[lead] for lead in live}
    return Reference(entries=entries_frame, live_leads=set(live), channel_of=channel_of)
