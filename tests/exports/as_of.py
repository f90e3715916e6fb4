"""The export a landing folder would have held at an earlier instant T, written from first principles.

Used by tests/test_as_of.py: a build with var kpi_as_of = T on the full data must equal a build
(with the same kpi_as_of) on the data as it stood at T. Two ways to stand at T:

* by event time: every row whose event happened (or whose record came into existence) by T, however
  late it was loaded;
* by load time: event rows loaded by T (the extract at T), records that existed by T.

Either way, what a CRM's current-state export says at T is rewritten to what it said then:

* a lead record updated after T had not been merged or deleted yet (a merge or deletion is a
  record's last update);
* a deal is closed at T when its close is known by T: its first stage change into its final
  category (won / lost) by T, or, without any stage change by T, a close date by T. A deal closed
  since is open: not closed, not won, at the stage of its latest stage change by T (unknown without
  one);
* a campaign member who responded after T had not responded.

Written with pandas from the raw Parquet files, never from the models' SQL.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import pandas as pd
from reference.vocabularies import map_values

from lead_funnel import contract
from lead_funnel.paths import SEEDS_DIR

Cut = Literal["event", "load"]


def _utc(values: pd.Series) -> pd.Series:
    instants = pd.to_datetime(values, utc=True)
    return instants.dt.tz_convert("UTC").dt.tz_localize(None)


def _arrived(frame: pd.DataFrame, columns: tuple[str, ...]) -> pd.Series:
    """The instant a row came into existence: the first non-null of its as-of columns."""
    arrived = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
    for column in columns:
        arrived = arrived.fillna(_utc(frame[column]))
    return arrived


def _existing(frame: pd.DataFrame, table: contract.Table, at: pd.Timestamp, cut: Cut) -> pd.DataFrame:
    """The rows of a table standing at T (a row without any instant is kept: it is undated)."""
    arrived = _arrived(frame, table.as_of_columns)
    known = arrived.isna() | (arrived <= at)
    if table.is_event_table and cut == "load":
        known = _utc(frame["loaded_at"]) <= at
    return frame[known.to_numpy()]


def _known_by(frame: pd.DataFrame, instant: str, at: pd.Timestamp) -> pd.DataFrame:
    """Event rows that happened and were loaded by T: what anybody could know at T."""
    return frame[((_utc(frame[instant]) <= at) & (_utc(frame["loaded_at"]) <= at)).to_numpy()]


def _leads_at(leads: pd.DataFrame, at: pd.Timestamp) -> pd.DataFrame:
    updated_later = (_utc(leads["updated_at"]) > at).to_numpy()
    leads = leads.copy()
    leads.loc[updated_later, "merged_into_lead_id"] = None
    leads.loc[updated_later, "is_deleted"] = False
    return leads


def _opportunities_at(
    opportunities: pd.DataFrame, stage_changes: pd.DataFrame, at: pd.Timestamp, crm: str
) -> pd.DataFrame:
    known = _known_by(stage_changes, "changed_at", at).copy()
    known["category"] = map_values(known["new_stage"], "opportunity_stage", crm, SEEDS_DIR)
    known = known.assign(_at=_utc(known["changed_at"])).sort_values(["_at", "change_id"])
    latest_stage = known.groupby("opportunity_id")["new_stage"].last()
    category = map_values(opportunities["stage_name"], "opportunity_stage", crm, SEEDS_DIR)
    recorded_closed = opportunities["is_closed"].where(opportunities["is_closed"].notna(), None)
    is_closed = [
        bool(flag) if flag is not None and not pd.isna(flag) else c in ("won", "lost")
        for flag, c in zip(recorded_closed, category, strict=True)
    ]
    closing = known.merge(
        pd.DataFrame({"opportunity_id": opportunities["opportunity_id"], "final": category}),
        on="opportunity_id",
    )
    closed_by_change = set(closing.loc[closing["category"] == closing["final"], "opportunity_id"])
    with_history = set(known["opportunity_id"])
    close_date = pd.to_datetime(opportunities["close_date"])
    closed_at_t = [
        closed and (opp in closed_by_change or (opp not in with_history and not pd.isna(day) and day <= at))
        for opp, closed, day in zip(opportunities["opportunity_id"], is_closed, close_date, strict=True)
    ]
    since = [closed and not at_t for closed, at_t in zip(is_closed, closed_at_t, strict=True)]
    out = opportunities.copy()
    out.loc[since, "is_closed"] = False
    out.loc[since, "is_won"] = False
    out.loc[since, "stage_name"] = out.loc[since, "opportunity_id"].map(latest_stage)
    return out


def _campaign_members_at(members: pd.DataFrame, at: pd.Timestamp) -> pd.DataFrame:
    members = members.copy()
    later = (_utc(members["first_responded_at"]) > at).to_numpy()
    members.loc[later, "first_responded_at"] = None
    return members


def write_export_at(full_dir: Path, out_dir: Path, at: pd.Timestamp, cut: Cut, crm: str) -> dict[str, int]:
    """Write the export standing at `at` (naive UTC) of the Parquet folder `full_dir`; rows per table."""
    out_dir.mkdir(parents=True, exist_ok=True)
    frames = {t.name: pd.read_parquet(full_dir / f"{t.name}.parquet") for t in contract.TABLES}
    standing = {t.name: _existing(frames[t.name], t, at, cut) for t in contract.TABLES}
    standing["leads"] = _leads_at(standing["leads"], at)
    standing["opportunities"] = _opportunities_at(
        standing["opportunities"], frames["opportunity_stage_changes"], at, crm
    )
    standing["campaign_members"] = _campaign_members_at(standing["campaign_members"], at)
    for name, frame in standing.items():
        frame.to_parquet(out_dir / f"{name}.parquet", index=False)
    return {name: len(frame) for name, frame in standing.items()}
