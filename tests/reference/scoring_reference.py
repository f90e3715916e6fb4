"""An independent Python implementation of the lead-scoring rules (docs/scoring.md).

Written from the documented rules, reading the raw Parquet files and the seeds with pandas, never
the scoring models' SQL or output. It walks each lead's awards in plain Python: fit awards from
the lead's profile, engagement awards from its events with caps counted in time order, step
expiry from the lead's activity gaps, and decay evaluated at any instant. The only thing read
from the warehouse is which raw rows staging quarantined (a data-quality rule, tested elsewhere).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd
import yaml

from lead_funnel.paths import PROJECT_DIR, SEEDS_DIR
from reference.vocabularies import column_vocabulary, map_values

SCORING_SEEDS = SEEDS_DIR / "scoring"
MICROSECONDS_PER_DAY = 86_400_000_000
PUNCTUATION = re.compile(r"[,.&/()\-]")
PROFILE_ATTRIBUTES = (
    "title_seniority",
    "industry",
    "employee_band",
    "country_code",
    "is_target_account",
    "email_domain_type",
)


def dbt_vars() -> dict:
    project = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text(encoding="utf-8"))
    return project["vars"]


# --------------------------------------------------------------------------- raw inputs


def _utc(series: pd.Series) -> pd.Series:
    values = pd.to_datetime(series, utc=True)
    return values.dt.tz_convert("UTC").dt.tz_localize(None).astype("datetime64[us]")


def _text(value: object) -> str | None:
    return (value.strip() or None) if isinstance(value, str) else None


def _categorical(series: pd.Series, table: str, column: str) -> pd.Series:
    """The staged value of a vocabulary column (tests/reference/vocabularies.py)."""
    return map_values(series, column_vocabulary(table, column))


def _drop_quarantined(
    frame: pd.DataFrame,
    con: duckdb.DuckDBPyConnection,
    table: str,
    raw_keys: list[str],
    staged_keys: list[str],
) -> pd.DataFrame:
    quarantined = con.execute(f"select distinct {', '.join(staged_keys)} from quarantine.{table}").df()
    if quarantined.empty:
        return frame
    quarantined.columns = raw_keys
    for key in raw_keys:
        quarantined[key] = quarantined[key].astype(frame[key].dtype)
    merged = frame.merge(quarantined.assign(_q=True), on=raw_keys, how="left")
    return frame[merged["_q"].isna().to_numpy()]


def _latest(frame: pd.DataFrame, key: str) -> pd.DataFrame:
    ordered = frame.sort_values([key, "loaded_at"], ascending=[True, False], kind="mergesort")
    return ordered.drop_duplicates(key, keep="first")


def _event_table(
    raw_dir: Path, con: duckdb.DuckDBPyConnection, name: str, key: str, staged_key: str, times: list[str]
) -> pd.DataFrame:
    frame = pd.read_parquet(raw_dir / f"{name}.parquet")
    frame[key] = frame[key].astype(str)
    for column in [*times, "loaded_at"]:
        frame[column] = _utc(frame[column])
    frame = _drop_quarantined(
        frame, con, f"quarantine_marketing__{name}", [key, "loaded_at"], [staged_key, "loaded_at"]
    )
    return _latest(frame, key)


# --------------------------------------------------------------------------- the model


@dataclass
class Award:
    lead_id: str
    rule_id: str
    rule_version: int
    dimension: str
    points: float
    awarded_at: pd.Timestamp
    decay_policy: str
    decay_param: float | None
    ends_at: pd.Timestamp | None = None  # fit: end of the rule version; step: expiry

    def value_at(self, instant: pd.Timestamp, days_per_month: float) -> float:
        if self.awarded_at > instant:
            return 0.0
        if self.ends_at is not None and instant >= self.ends_at:
            return 0.0
        age = ((instant - self.awarded_at) // pd.Timedelta(microseconds=1)) / MICROSECONDS_PER_DAY
        if self.decay_policy == "half_life":
            assert self.decay_param is not None
            return self.points * 0.5 ** (age / self.decay_param)
        if self.decay_policy == "linear":
            assert self.decay_param is not None
            return self.points * max(0.0, 1.0 - self.decay_param / 100.0 * age / days_per_month)
        return self.points


@dataclass
class Scores:
    fit: float
    engagement: float
    total: float


@dataclass
class ScoringReference:
    awards: dict[str, list[Award]]
    known_at: dict[str, pd.Timestamp]
    hand_raises: pd.DataFrame  # lead_id, source_lead_id, occurred_at, evidence_id, form_type
    floors: dict[str, float]
    mql_threshold: float
    days_per_month: float
    profiles: pd.DataFrame = field(default_factory=pd.DataFrame)
    _timeline: dict[str, list[tuple[pd.Timestamp, float]]] = field(default_factory=dict, repr=False)

    def score(self, lead_id: str, instant: pd.Timestamp) -> Scores:
        fit = engagement = 0.0
        for award in self.awards.get(lead_id, []):
            value = award.value_at(instant, self.days_per_month)
            if award.dimension == "fit":
                fit += value
            else:
                engagement += value
        engagement = max(engagement, self.floors["engagement_floor"])
        return Scores(fit, engagement, max(fit + engagement, self.floors["score_floor"]))

    def totals_over_time(self, lead_id: str) -> list[tuple[pd.Timestamp, float]]:
        """The total right after every award and every end of an award, in time order (cached)."""
        if lead_id not in self._timeline:
            instants: set[pd.Timestamp] = set()
            for award in self.awards.get(lead_id, []):
                instants.add(award.awarded_at)
                if award.ends_at is not None:
                    instants.add(award.ends_at)
            self._timeline[lead_id] = [(at, self.score(lead_id, at).total) for at in sorted(instants)]
        return self._timeline[lead_id]

    def crossing(self, lead_id: str, threshold: float | None = None) -> pd.Timestamp | None:
        """First instant the total reaches the threshold (default: the MQL threshold)."""
        level = self.mql_threshold if threshold is None else threshold
        for instant, total in self.totals_over_time(lead_id):
            if total >= level:
                return instant
        return None

    def crossings(self) -> dict[str, pd.Timestamp]:
        found = {lead: self.crossing(lead) for lead in self.known_at}
        return {lead: at for lead, at in found.items() if at is not None}


def _resolve(leads: pd.DataFrame, max_depth: int) -> dict[str, str]:
    """Kept CRM record -> its live surviving lead."""
    pointer = {
        r: t
        for r, t in zip(leads["lead_id"], leads["merged_into_lead_id"], strict=True)
        if isinstance(t, str)
    }
    deleted = dict(zip(leads["lead_id"], leads["is_deleted"], strict=True))
    kept = {}
    for record in leads["lead_id"]:
        current, hops = record, 0
        while current in pointer and hops < max_depth:
            current, hops = pointer[current], hops + 1
        if current not in pointer and current in deleted and not deleted[current]:
            kept[record] = current
    return kept


def _seniority(title: str | None, patterns: list[tuple[int, str, str]]) -> str:
    if title is None:
        return "unknown"
    words = " " + PUNCTUATION.sub(" ", title.lower()) + " "
    for _, pattern, seniority in patterns:
        if f" {pattern} " in words:
            return seniority
    return "other"


def _band(value: object, bands: pd.DataFrame) -> str:
    if value is None or pd.isna(value):
        return "unknown"
    for band, low, high in zip(bands["band"], bands["lower_bound"], bands["upper_bound"], strict=True):
        if (pd.isna(low) or value >= low) and (pd.isna(high) or value < high):
            return str(band)
    return "unknown"


def _period(instant: pd.Timestamp, period: str) -> object:
    if period == "day":
        return instant.normalize()
    if period == "week":
        return (instant - pd.Timedelta(days=instant.weekday())).normalize()
    if period == "month":
        return (instant.year, instant.month)
    return "lifetime"


def _matches(rule_value: str, value: object) -> bool:
    if rule_value == "*":
        return value is not None and not (isinstance(value, float) and pd.isna(value))
    return value == rule_value


def load_rules() -> pd.DataFrame:
    rules = pd.read_csv(SCORING_SEEDS / "scoring_rules.csv", dtype=str, keep_default_na=False)
    rules["rule_version"] = rules["rule_version"].astype(int)
    rules["points"] = rules["points"].astype(float)
    rules["valid_from"] = pd.to_datetime(rules["valid_from"]).astype("datetime64[us]")
    rules["valid_to"] = pd.to_datetime(rules["valid_to"].replace("", None)).astype("datetime64[us]")
    for column in ("cap_value", "decay_param"):
        rules[column] = pd.to_numeric(rules[column].replace("", None))
    return rules


def build_reference(raw_dir: Path, con: duckdb.DuckDBPyConnection) -> ScoringReference:
    variables = dbt_vars()
    rules = load_rules()
    thresholds = pd.read_csv(SCORING_SEEDS / "scoring_thresholds.csv", keep_default_na=False)
    scalar = {
        t: float(v)
        for t, v in zip(thresholds["threshold_type"], thresholds["lower_bound"], strict=True)
        if t in ("mql_threshold", "score_floor", "engagement_floor")
    }
    patterns_frame = pd.read_csv(SCORING_SEEDS / "title_seniority_patterns.csv", keep_default_na=False)
    patterns = sorted(
        zip(
            patterns_frame["match_priority"].astype(int),
            patterns_frame["pattern"],
            patterns_frame["seniority"],
            strict=True,
        )
    )
    bands = pd.read_csv(SCORING_SEEDS / "scoring_attribute_bands.csv")
    bands = bands[bands["attribute_name"] == "employee_count"]
    domains = pd.read_csv(SCORING_SEEDS / "scoring_email_domains.csv", keep_default_na=False)
    domain_type = dict(zip(domains["email_domain"], domains["domain_type"], strict=True))

    # Leads and accounts.
    leads = pd.read_parquet(raw_dir / "leads.parquet")
    leads["lead_id"] = leads["lead_id"].astype(str)
    leads = _drop_quarantined(leads, con, "quarantine_crm__leads", ["lead_id"], ["lead_id"])
    leads = leads.assign(
        created_at=_utc(leads["created_at"]),
        is_deleted=leads["is_deleted"].fillna(False).astype(bool),
        merged_into_lead_id=leads["merged_into_lead_id"].map(_text),
        title=leads["title"].map(_text),
        email=leads["email"].map(lambda v: (v.strip().lower() or None) if isinstance(v, str) else None),
        account_id=leads["account_id"].map(_text),
    )
    accounts = pd.read_parquet(raw_dir / "accounts.parquet")
    accounts["account_id"] = accounts["account_id"].astype(str)
    accounts = _drop_quarantined(accounts, con, "quarantine_crm__accounts", ["account_id"], ["account_id"])
    accounts = accounts.assign(
        industry=_categorical(accounts["industry"], "accounts", "industry"),
        country_code=_categorical(accounts["country"], "accounts", "country"),
    ).set_index("account_id")

    kept = _resolve(leads, int(variables["lead_merge_max_depth"]))
    created = dict(zip(leads["lead_id"], leads["created_at"], strict=True))
    known_at: dict[str, pd.Timestamp] = {}
    for record, lead in kept.items():
        known_at[lead] = min(known_at.get(lead, created[record]), created[record])

    # Profiles and fit awards.
    awards: dict[str, list[Award]] = defaultdict(list)
    fit_rules = rules[rules["dimension"] == "fit"]
    profile_rows = []
    for row in leads[leads["lead_id"].isin(set(kept.values()))].itertuples():
        title = row.title if isinstance(row.title, str) else None
        address = row.email if isinstance(row.email, str) else None
        account_id = row.account_id if isinstance(row.account_id, str) else None
        account = accounts.loc[account_id] if account_id in accounts.index else None
        domain = address.split("@")[1] if address and "@" in address else None
        target = None if account is None else ("true" if bool(account["is_target_account"]) else "false")
        profile = {
            "lead_id": row.lead_id,
            "title_seniority": _seniority(title, patterns),
            "industry": None if account is None else account["industry"],
            "employee_band": "unknown" if account is None else _band(account["employee_count"], bands),
            "country_code": None if account is None else account["country_code"],
            "is_target_account": target,
            "email_domain_type": "unknown" if domain is None else domain_type.get(domain, "other"),
        }
        profile_rows.append(profile)
        known = known_at[row.lead_id]
        for rule in fit_rules.itertuples():
            if not _matches(rule.attribute_value, profile[rule.attribute_name]):
                continue
            ends = None if pd.isna(rule.valid_to) else rule.valid_to
            if ends is not None and ends <= known:
                continue
            awards[row.lead_id].append(
                Award(
                    row.lead_id,
                    rule.rule_id,
                    rule.rule_version,
                    "fit",
                    rule.points,
                    max(known, rule.valid_from),
                    "none",
                    None,
                    ends,
                )
            )

    # Engagement signals: (lead, signal_type, attribute, value, signal id, occurred, awarded).
    signals: list[tuple] = []
    identities = pd.read_parquet(raw_dir / "identities.parquet")
    identities = identities.assign(
        anonymous_id=identities["anonymous_id"].astype(str),
        lead_id=identities["lead_id"].astype(str),
        identified_at=_utc(identities["identified_at"]),
    )
    identities = _drop_quarantined(
        identities, con, "quarantine_marketing__identities", ["anonymous_id"], ["anonymous_id"]
    )
    cookie_owner = {
        a: (kept[r], t)
        for a, r, t in zip(
            identities["anonymous_id"], identities["lead_id"], identities["identified_at"], strict=True
        )
        if r in kept
    }
    web = _event_table(raw_dir, con, "web_events", "event_id", "web_event_id", ["occurred_at"])
    web = web.assign(page_category=_categorical(web["page_category"], "web_events", "page_category"))
    for event_id, cookie, occurred, category in zip(
        web["event_id"],
        web["anonymous_id"].astype(str),
        web["occurred_at"],
        web["page_category"],
        strict=True,
    ):
        if cookie in cookie_owner:
            lead, identified = cookie_owner[cookie]
            signals.append(
                (lead, "page_view", "page_category", category, event_id, occurred, max(occurred, identified))
            )
    email = _event_table(raw_dir, con, "email_events", "event_id", "email_event_id", ["occurred_at"])
    email = email.assign(event_type=_categorical(email["event_type"], "email_events", "event_type"))
    for event_id, record, occurred, kind in zip(
        email["event_id"],
        email["lead_id"].astype(str),
        email["occurred_at"],
        email["event_type"],
        strict=True,
    ):
        if record in kept:
            signals.append((kept[record], "email_event", "event_type", kind, event_id, occurred, occurred))
    forms = _event_table(
        raw_dir, con, "form_submissions", "submission_id", "form_submission_id", ["submitted_at"]
    )
    forms = forms.assign(
        form_type=_categorical(forms["form_type"], "form_submissions", "form_type"),
        asset_funnel_stage=_categorical(
            forms["asset_funnel_stage"], "form_submissions", "asset_funnel_stage"
        ),
        record=forms["lead_id"].map(_text),
    )
    forms = forms[forms["record"].isin(set(kept))]
    for row in forms.itertuples():
        for attribute in ("form_type", "asset_funnel_stage"):
            signals.append(
                (
                    kept[row.record],
                    "form_submission",
                    attribute,
                    getattr(row, attribute),
                    row.submission_id,
                    row.submitted_at,
                    row.submitted_at,
                )
            )

    # Match each signal to the rule version valid when it is awarded; count caps in time order,
    # per calendar period of the behaviour (the event time).
    engagement_rules = list(rules[rules["dimension"] == "engagement"].itertuples())
    signals.sort(key=lambda s: (s[0], s[6], s[5], s[4]))
    counters: dict[tuple, int] = defaultdict(int)
    for lead, kind, attribute, value, _signal_id, occurred, awarded in signals:
        for rule in engagement_rules:
            if rule.signal_type != kind or rule.attribute_name != attribute:
                continue
            if not _matches(rule.attribute_value, value):
                continue
            if awarded < rule.valid_from or (not pd.isna(rule.valid_to) and awarded >= rule.valid_to):
                continue
            points = rule.points
            if rule.cap_type != "none":
                key = (lead, rule.rule_id, rule.rule_version, _period(occurred, rule.cap_period))
                counters[key] += 1
                n = counters[key]
                if rule.cap_type == "max_occurrences":
                    points = points if n <= rule.cap_value else 0.0
                else:  # max_points: absolute points so far may not exceed the cap
                    already = (n - 1) * abs(rule.points)
                    points = (1 if rule.points >= 0 else -1) * max(
                        0.0, min(abs(rule.points), rule.cap_value - already)
                    )
            if points == 0:
                continue
            decay_param = None if pd.isna(rule.decay_param) else float(rule.decay_param)
            awards[lead].append(
                Award(
                    lead,
                    rule.rule_id,
                    rule.rule_version,
                    "engagement",
                    points,
                    awarded,
                    rule.decay_policy,
                    decay_param,
                )
            )

    # Step expiry: the first activity at/after the award followed by a gap >= N days (or by none).
    for lead_awards in awards.values():
        activity = sorted({a.awarded_at for a in lead_awards if a.dimension == "engagement"})
        for award in lead_awards:
            if award.decay_policy != "step":
                continue
            assert award.decay_param is not None
            gap = pd.Timedelta(days=award.decay_param)
            later = [t for t in activity if t >= award.awarded_at]
            for i, instant in enumerate(later):
                if i + 1 == len(later) or later[i + 1] - instant >= gap:
                    award.ends_at = instant + gap
                    break

    hand_raise_types = set(variables["scoring_hand_raise_form_types"])
    raises = forms[forms["form_type"].isin(hand_raise_types)]
    hand_raises = pd.DataFrame(
        {
            "lead_id": raises["record"].map(kept),
            "source_lead_id": raises["record"],
            "occurred_at": raises["submitted_at"],
            "evidence_id": raises["submission_id"],
            "form_type": raises["form_type"],
        }
    )
    return ScoringReference(
        awards=dict(awards),
        known_at=known_at,
        hand_raises=hand_raises.reset_index(drop=True),
        floors={"score_floor": scalar["score_floor"], "engagement_floor": scalar["engagement_floor"]},
        mql_threshold=scalar["mql_threshold"],
        days_per_month=float(variables["scoring_days_per_month"]),
        profiles=pd.DataFrame(profile_rows),
    )


def score_mql_evidence(raw_dir: Path, marts: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """MQL-by-score evidence from the independent scoring reference (never the scoring SQL)."""
    scoring = build_reference(raw_dir, marts)
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
