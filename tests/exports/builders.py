"""Landing folders shaped like real exports, mapped onto the raw contract by hand as a new user would.

Each builder writes CSV files (text, the way CRMs export) with only the tables and columns such an
export has, in the CRM's own words, and returns nothing else: the tests compute every expected
figure from these files with an independent pandas reference.

* crm_only: leads, lead status history and opportunities of a Salesforce org; no marketing tables,
  no accounts or users, no loaded_at, no emails (a CRM report export).
* opportunities_only: a sales-pipeline export (accounts, sales agents, opportunities): no leads, 20%
  of the opportunities without an account, stages in the pipeline's own words (Prospecting,
  Engaging, Won, Lost), no creation date while prospecting, no currency, no won / closed flags.
* own_lead_sources: a CRM-only export whose lead sources are the company's own wording, plus an
  explicit 'unknown' and empty / missing sources.
* unrated_currency: a CRM-only export with deals in USD, EUR and CHF (no CHF rate in the seeds).
* old_dates: a CRM-only export of 2015-2018.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np

SALESFORCE_STAGES = {
    "lead": "Open - Not Contacted",
    "mql": "Marketing Qualified",
    "sal": "Working - Contacted",
    "sql": "Sales Qualified",
    "opportunity": "Closed - Converted",
    "recycled": "Nurture",
    "disqualified": "Closed - Not Converted",
}
SEED_LEAD_SOURCES = ("Google Ads", "LinkedIn Ads", "Webinar", "Referral", "Trade Show", "Organic Search")
OWN_LEAD_SOURCES = ("Website Form", "trade-show booth", "Partner Referral", "unknown", "", None)


def write_csv(path: Path, columns: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """A CSV as CRMs export it: a header, ISO instants, empty cells for nulls."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for row in rows:
            writer.writerow(["" if v is None else _text(v) for v in row])


def _text(value: object) -> str:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


@dataclass
class CrmExport:
    """The rows of a synthetic CRM: leads, status history, opportunities."""

    leads: list[list[object]] = field(default_factory=list)
    changes: list[list[object]] = field(default_factory=list)
    opportunities: list[list[object]] = field(default_factory=list)


def _crm(
    rng: np.random.Generator,
    n_leads: int,
    start: datetime,
    days: int,
    lead_source: Callable[[np.random.Generator], object],
    currency: Callable[[np.random.Generator], object],
) -> CrmExport:
    """A Salesforce-like history: lead -> (MQL -> (working -> SQL -> converted | nurture -> re-MQL))."""
    out = CrmExport()
    n_changes = 0
    for i in range(1, n_leads + 1):
        lead_id = f"00Q{i:06d}"
        created = start + timedelta(minutes=int(rng.integers(0, days * 24 * 60)))
        status = "lead"
        at = created
        history = [("lead", created)]
        if rng.random() < 0.55:
            at += timedelta(hours=float(rng.uniform(2, 24 * 20)))
            history.append(("mql", at))
            if rng.random() < 0.35:  # recycled to nurture, then qualifies again
                at += timedelta(days=float(rng.uniform(3, 40)))
                history.append(("recycled", at))
                if rng.random() < 0.6:
                    at += timedelta(days=float(rng.uniform(5, 60)))
                    history.append(("mql", at))
            if history[-1][0] == "mql" and rng.random() < 0.6:
                at += timedelta(hours=float(rng.uniform(1, 72)))
                history.append(("sal", at))
                if rng.random() < 0.6:
                    at += timedelta(days=float(rng.uniform(1, 20)))
                    history.append(("sql", at))
                    if rng.random() < 0.7:
                        at += timedelta(days=float(rng.uniform(1, 15)))
                        history.append(("opportunity", at))
                        out.opportunities.append(
                            _opportunity(rng, len(out.opportunities) + 1, lead_id, at, currency)
                        )
                elif rng.random() < 0.5:
                    at += timedelta(days=float(rng.uniform(1, 10)))
                    history.append(("disqualified", at))
        previous = None
        for stage, changed_at in history:
            n_changes += 1
            value = SALESFORCE_STAGES[stage]
            out.changes.append([f"017{n_changes:07d}", lead_id, previous, value, changed_at, "005000001"])
            previous = value
            status = stage
        updated = history[-1][1]
        out.leads.append(
            [lead_id, f"First{i}", f"Last{i}", lead_source(rng), SALESFORCE_STAGES[status], created, updated]
        )
    return out


def _opportunity(
    rng: np.random.Generator,
    number: int,
    lead_id: str,
    created: datetime,
    currency: Callable[[np.random.Generator], object],
) -> list[object]:
    closed = rng.random() < 0.8
    won = closed and rng.random() < 0.45
    close = (created + timedelta(days=float(rng.uniform(5, 120)))).date()
    stage = "Closed Won" if won else ("Closed Lost" if closed else "Negotiation")
    amount = round(float(rng.lognormal(9.5, 0.6)), -1)
    return [
        f"006{number:06d}",
        lead_id,
        f"001{number % 40:05d}",
        amount,
        currency(rng),
        stage,
        created,
        close,
        closed,
        won,
    ]


LEAD_COLUMNS = ("lead_id", "first_name", "last_name", "lead_source", "status", "created_at", "updated_at")
CHANGE_COLUMNS = ("change_id", "lead_id", "old_value", "new_value", "changed_at", "changed_by")
OPPORTUNITY_COLUMNS = (
    "opportunity_id",
    "primary_lead_id",
    "account_id",
    "amount",
    "currency",
    "stage_name",
    "created_at",
    "close_date",
    "is_closed",
    "is_won",
)


def _write_crm(out: Path, export: CrmExport) -> Path:
    write_csv(out / "leads.csv", LEAD_COLUMNS, export.leads)
    write_csv(out / "lead_status_changes.csv", CHANGE_COLUMNS, export.changes)
    write_csv(out / "opportunities.csv", OPPORTUNITY_COLUMNS, export.opportunities)
    return out


def crm_only(out: Path, seed: int = 11) -> Path:
    rng = np.random.default_rng(seed)
    export = _crm(
        rng,
        160,
        datetime(2025, 1, 1),
        300,
        lambda r: SEED_LEAD_SOURCES[int(r.integers(0, len(SEED_LEAD_SOURCES)))],
        lambda r: "USD",
    )
    return _write_crm(out, export)


def own_lead_sources(out: Path, seed: int = 12) -> Path:
    rng = np.random.default_rng(seed)
    export = _crm(
        rng,
        160,
        datetime(2025, 3, 1),
        250,
        lambda r: OWN_LEAD_SOURCES[int(r.integers(0, len(OWN_LEAD_SOURCES)))],
        lambda r: "USD",
    )
    return _write_crm(out, export)


def unrated_currency(out: Path, seed: int = 13) -> Path:
    rng = np.random.default_rng(seed)
    currencies = ("USD", "eur", "CHF", "EUR", "Swiss Franc")
    export = _crm(
        rng,
        200,
        datetime(2025, 2, 1),
        280,
        lambda r: SEED_LEAD_SOURCES[int(r.integers(0, len(SEED_LEAD_SOURCES)))],
        lambda r: currencies[int(r.integers(0, len(currencies)))],
    )
    return _write_crm(out, export)


def old_dates(out: Path, seed: int = 14) -> Path:
    rng = np.random.default_rng(seed)
    export = _crm(
        rng,
        160,
        datetime(2015, 1, 1),
        3 * 365,
        lambda r: SEED_LEAD_SOURCES[int(r.integers(0, len(SEED_LEAD_SOURCES)))],
        lambda r: "USD",
    )
    return _write_crm(out, export)


PIPELINE_STAGES = ("Prospecting", "Engaging", "Won", "Lost")
SECTORS = ("technolgy", "medical", "retail", "software", "finance", "marketing", "entertainment")
OFFICES = ("Central", "East", "West")


def opportunities_only(out: Path, seed: int = 15) -> Path:
    """A sales-pipeline export: accounts (sector, employees, office location), sales agents and
    opportunities (deal_stage, engage_date, close_date, close_value) renamed onto the contract."""
    rng = np.random.default_rng(seed)
    accounts = [
        [
            f"ACC{i:03d}",
            f"Company {i}",
            SECTORS[i % len(SECTORS)],
            int(rng.integers(5, 5000)),
            "United States",
        ]
        for i in range(1, 41)
    ]
    users = [[f"AG{i:02d}", f"Agent {i}", OFFICES[i % 3].lower()] for i in range(1, 11)]
    opportunities = []
    for i in range(1, 301):
        stage = PIPELINE_STAGES[int(rng.choice(4, p=[0.15, 0.25, 0.35, 0.25]))]
        engaged = datetime(2024, 10, 1) + timedelta(minutes=int(rng.integers(0, 330 * 24 * 60)))
        closed = stage in ("Won", "Lost")
        close = (engaged + timedelta(days=float(rng.uniform(3, 130)))).date() if closed else None
        value = round(float(rng.lognormal(7.5, 1.0))) if stage == "Won" else (0 if stage == "Lost" else None)
        account = None if rng.random() < 0.2 else accounts[int(rng.integers(0, len(accounts)))][0]
        opportunities.append(
            [
                f"OPP{i:05d}",
                f"AG{int(rng.integers(1, 11)):02d}",
                account,
                stage,
                None if stage == "Prospecting" else engaged,
                close,
                value,
            ]
        )
    write_csv(
        out / "accounts.csv",
        ("account_id", "account_name", "industry", "employee_count", "country"),
        accounts,
    )
    write_csv(out / "users.csv", ("user_id", "full_name", "team"), users)
    write_csv(
        out / "opportunities.csv",
        ("opportunity_id", "owner_id", "account_id", "stage_name", "created_at", "close_date", "amount"),
        opportunities,
    )
    return out


BUILDERS: dict[str, Callable[[Path], Path]] = {
    "crm_only": crm_only,
    "opportunities_only": opportunities_only,
    "own_lead_sources": own_lead_sources,
    "unrated_currency": unrated_currency,
    "old_dates": old_dates,
}
