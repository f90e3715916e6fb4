"""Independent pandas computation of the funnel KPIs from raw files (docs/kpis.md), never the SQL.

Built on the lifecycle reference (stage entries re-derived from the raw files): MQLs by month and
channel, MQL cycles and their conversion to won, and the opportunity KPIs: close time, amount in
USD at the rate of its month (null without one), win rate, deal size, sales cycle, by close
month and account segment (seed account_segments).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from lead_funnel.paths import SEEDS_DIR
from reference.lifecycle_reference import Reference, _latest_loaded, _vars, read_table, with_outcome
from reference.vocabularies import map_values

MICROSECONDS_PER_DAY = 86_400_000_000.0


def month(values: pd.Series) -> pd.Series:
    return values.dt.to_period("M").dt.to_timestamp()


def days_between(start: pd.Series, end: pd.Series) -> pd.Series:
    return (end - start) / pd.Timedelta(microseconds=1) / MICROSECONDS_PER_DAY


def _seed_rows(seeds_dir: Path, name: str) -> list[dict[str, str]]:
    with next(seeds_dir.rglob(f"{name}.csv")).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def usd_rates(seeds_dir: Path = SEEDS_DIR) -> tuple[dict[tuple[str, pd.Timestamp], float], dict[str, float]]:
    """(currency, month) -> units per USD, and currency -> its every-month rate."""
    monthly: dict[tuple[str, pd.Timestamp], float] = {}
    standing: dict[str, float] = {}
    for row in _seed_rows(seeds_dir, "currency_usd_rates"):
        if row["rate_month"]:
            monthly[(row["currency_code"], pd.Timestamp(row["rate_month"]))] = float(row["units_per_usd"])
        else:
            standing[row["currency_code"]] = float(row["units_per_usd"])
    return monthly, standing


def segment_of(employees: pd.Series, seeds_dir: Path = SEEDS_DIR) -> pd.Series:
    """Seed account_segments: min <= employees < max; the row without bounds for the rest."""
    out = pd.Series("unknown", index=employees.index, dtype="object")
    for band in _seed_rows(seeds_dir, "account_segments"):
        if not band["min_employees"]:
            continue  # the row for deals without an account or employee count: the default
        inside = employees >= float(band["min_employees"])
        if band["max_employees"]:
            inside &= employees < float(band["max_employees"])
        out[inside.fillna(False).to_numpy()] = band["segment"]
    return out


def cents(values: pd.Series) -> pd.Series:
    """Amounts rounded to the cent, half away from zero (the money type, DECIMAL(18,2))."""
    return np.sign(values) * np.floor(np.abs(values) * 100 + 0.5) / 100


def opportunities(raw_dir: Path, seeds_dir: Path = SEEDS_DIR) -> pd.DataFrame:
    """One row per opportunity with its outcome, close time, USD amount, cycle and segment."""
    crm = _vars()["crm_source_system"]
    opps = with_outcome(read_table(raw_dir, "opportunities"), crm, seeds_dir)
    changes = _latest_loaded(read_table(raw_dir, "opportunity_stage_changes"), "change_id")
    changes = changes.merge(opps[["opportunity_id", "stage_category"]], on="opportunity_id")
    into_final = (
        map_values(changes["new_stage"], "opportunity_stage", crm, seeds_dir) == changes["stage_category"]
    )
    closing = changes[into_final].groupby("opportunity_id")["changed_at"].min()
    by_history = pd.to_datetime(opps["opportunity_id"].map(dict(closing))).astype("datetime64[us]")
    closed_at = by_history.where(by_history.notna(), opps["close_date"])
    opps["closed_at"] = closed_at.where(pd.Series(opps["is_closed"], index=opps.index)).astype(
        "datetime64[us]"
    )
    priced_at = opps["closed_at"].fillna(opps["created_at"]).fillna(opps["close_date"])
    opps["amount_month"] = month(priced_at)
    opps["currency_code"] = map_values(opps["currency"], "currency", crm, seeds_dir)
    monthly, standing = usd_rates(seeds_dir)
    rate = [
        monthly.get((code, when), standing.get(code)) if isinstance(code, str) else None
        for code, when in zip(opps["currency_code"], opps["amount_month"], strict=True)
    ]
    opps["units_per_usd"] = pd.Series(rate, index=opps.index, dtype="float64")
    # money is staged to the cent and converted to the cent (docs/kpis.md, "Money")
    opps["amount"] = cents(opps["amount"])
    opps["amount_usd"] = cents(opps["amount"] / opps["units_per_usd"])
    opps["is_unconverted"] = opps["amount"].notna() & opps["units_per_usd"].isna()
    opps["cycle_days"] = days_between(opps["created_at"], opps["closed_at"])
    accounts = read_table(raw_dir, "accounts").set_index("account_id")
    opps["segment"] = segment_of(opps["account_id"].map(accounts["employee_count"]), seeds_dir)
    opps["close_month"] = month(opps["closed_at"])
    return opps


@dataclass(frozen=True)
class MonthlyOutcome:
    won: int
    won_usd: float
    unconverted: int


def won_by_month(opps: pd.DataFrame) -> dict[pd.Timestamp, MonthlyOutcome]:
    won = opps[opps["is_won"]]
    out = {}
    for when, group in won.groupby("close_month"):
        out[pd.Timestamp(when)] = MonthlyOutcome(
            len(group), float(group["amount_usd"].sum(min_count=0)), int(group["is_unconverted"].sum())
        )
    return out


@dataclass(frozen=True)
class SegmentMonth:
    closed: int
    won: int
    win_rate: float
    average_won_usd: float | None
    median_cycle_days: float | None


def opportunity_kpis(opps: pd.DataFrame) -> dict[tuple[pd.Timestamp, str], SegmentMonth]:
    """Per close month and segment: closed, won, win rate by count, average won deal size (won
    deals with a USD amount), median sales cycle of the won deals (with a creation time)."""
    out = {}
    for (when, segment), group in opps[opps["is_closed"]].groupby(["close_month", "segment"]):
        won = group[group["is_won"]]
        with_usd = won["amount_usd"].dropna()
        cycles = won["cycle_days"].dropna()
        out[(pd.Timestamp(when), str(segment))] = SegmentMonth(
            len(group),
            len(won),
            len(won) / len(group),
            float(with_usd.sum() / len(with_usd)) if len(with_usd) else None,
            float(np.median(cycles)) if len(cycles) else None,
        )
    return out


def mql_cycles(reference: Reference) -> pd.DataFrame:
    """One row per MQL entry: its channel, month, and the first customer entry of its cycle (the
    entries up to the lead's next MQL entry)."""
    entries = reference.entries.sort_values(["lead_id", "lead_entry_number"])
    rows = []
    for lead_id, group in entries.groupby("lead_id", sort=False):
        stages = list(zip(group["stage"], group["entered_at"], strict=True))
        mql_positions = [i for i, (stage, _) in enumerate(stages) if stage == "mql"]
        for n, start in enumerate(mql_positions):
            end = mql_positions[n + 1] if n + 1 < len(mql_positions) else len(stages)
            won_at = next((at for stage, at in stages[start + 1 : end] if stage == "customer"), pd.NaT)
            rows.append(
                {
                    "lead_id": lead_id,
                    "mql_at": stages[start][1],
                    "entry_number": n + 1,
                    "won_at": won_at,
                    "channel": reference.channel_of.get(lead_id),
                }
            )
    cycles = pd.DataFrame(rows, columns=["lead_id", "mql_at", "entry_number", "won_at", "channel"])
    cycles["mql_at"] = cycles["mql_at"].astype("datetime64[us]")
    cycles["won_at"] = cycles["won_at"].astype("datetime64[us]")
    cycles["month"] = month(cycles["mql_at"])
    cycles["days_to_won"] = days_between(cycles["mql_at"], cycles["won_at"])
    return cycles


def mqls_by_month_and_channel(cycles: pd.DataFrame) -> dict[tuple[pd.Timestamp, str | None], int]:
    counts = cycles.groupby(["month", "channel"], dropna=False).size()
    return {(pd.Timestamp(m), None if pd.isna(c) else c): int(n) for (m, c), n in counts.items()}


def won_within_window(
    cycles: pd.DataFrame, as_of: pd.Timestamp, window_days: int
) -> dict[tuple[pd.Timestamp, str | None], tuple[int, int]]:
    """Per cohort month and channel: (members, members mature for the window that reached won
    within it)."""
    mature = cycles["mql_at"] + pd.Timedelta(days=window_days) <= as_of
    won = mature & (cycles["days_to_won"] <= window_days)
    frame = cycles.assign(won=won)
    out = {}
    for (m, c), group in frame.groupby(["month", "channel"], dropna=False):
        out[(pd.Timestamp(m), None if pd.isna(c) else c)] = (len(group), int(group["won"].sum()))
    return out


def mql_dispositions(
    reference: Reference,
    status_changes: pd.DataFrame,
    now: pd.Timestamp,
    dbt_vars: dict,
    seeds_dir: Path = SEEDS_DIR,
) -> pd.DataFrame:
    """How every MQL entry ends (docs/kpis.md, "MQL disposition"): the stage its lead entered next
    and who closed it (the automatic expiry; a sales user: a CRM status change by anyone but
    'system'; else automation), through seed mql_disposition_rules (a rule for that closer first,
    else the rule for any closer); open without a next entry. The reason of a rejection or
    disqualification is the CRM status; days in MQL run to the close or to the data's now."""
    rules = {
        (r["next_stage"], r["closed_by"]): r["disposition"]
        for r in _seed_rows(seeds_dir, "mql_disposition_rules")
    }
    changed_by = dict(zip(status_changes["change_id"], status_changes["changed_by"], strict=True))
    handoff = set(dbt_vars["mql_handoff_evidence_sources"])
    entries = reference.entries.sort_values(["lead_id", "lead_entry_number"])
    rows = []
    for lead_id, group in entries.groupby("lead_id", sort=False):
        items = group.to_dict("records")
        for i, entry in enumerate(items):
            if entry["stage"] != "mql":
                continue
            after = items[i + 1] if i + 1 < len(items) else None
            if after is None:
                disposition, closed_by, reason, closed_at = "open", "automation", None, pd.NaT
            else:
                by = (
                    changed_by.get(after["evidence_id"]) if after["evidence_source"] == "crm_status" else None
                )
                if after["evidence_source"] == "mql_expired":
                    closed_by = "expiry"
                elif isinstance(by, str) and by.lower() != "system":
                    closed_by = "sales"
                else:
                    closed_by = "automation"
                stage = after["stage"]
                disposition = rules.get((stage, closed_by), rules.get((stage, "any"), "unmapped"))
                reason = after["source_value"] if disposition in ("rejected", "disqualified") else None
                closed_at = after["entered_at"]
            rows.append(
                {
                    "lead_id": lead_id,
                    "mql_number": entry["entry_number"],
                    "is_handed_to_sales": entry["evidence_source"] in handoff,
                    "disposition": disposition,
                    "closed_by": closed_by if after is not None else None,
                    "disposition_reason": reason,
                    "days_in_mql": float(
                        days_between(
                            pd.Series([entry["entered_at"]]),
                            pd.Series([now if pd.isna(closed_at) else closed_at]),
                        ).iloc[0]
                    ),
                }
            )
    return pd.DataFrame(rows)
