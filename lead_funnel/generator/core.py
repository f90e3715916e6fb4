"""Orchestration: build the global world, generate lead chunks, write every raw table."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from lead_funnel import contract
from lead_funnel.generator import lifecycle, marketing, web
from lead_funnel.generator.arrays import DAY, NEVER, hex_ids, rng_for
from lead_funnel.generator.leads import build_lead_chunk, lead_columns
from lead_funnel.generator.lifecycle import Calibration, calibrate, draw_hand_raise
from lead_funnel.generator.loading import add_loading
from lead_funnel.generator.params import GeneratorParams
from lead_funnel.generator.spend import ad_spend_columns
from lead_funnel.generator.world import (
    GLOBAL,
    S_CREATED,
    Accounts,
    Calendar,
    Campaigns,
    Users,
    accounts_columns,
    build_accounts,
    build_calendar,
    build_campaigns,
    build_users,
)
from lead_funnel.generator.writer import TableWriters, write_manifest

Progress = Callable[[str, int, int], None]
Columns = dict[str, pa.Array | np.ndarray]
GENERATOR_VERSION = "1"

# per-chunk random streams
S_LEADS, S_LIFE, S_FORMS, S_EMAIL, S_WEB, S_VISITORS, S_MEMBERS, S_LOAD, S_BROWSERS, S_DELETE = range(10)
_ID_SPACES = ("anon", "session", "web_event", "email_event", "message", "submission")
_COUNTERS = (
    "anon", "session", "web_event", "email_event", "message", "submission", "status_change",
    "opportunity", "opp_change", "activity", "campaign_member",
)  # fmt: skip
# event tables and the column their loaded_at follows
_LOADED = {
    "lead_status_changes": "changed_at",
    "opportunity_stage_changes": "changed_at",
    "activities": "occurred_at",
    "web_events": "occurred_at",
    "email_events": "occurred_at",
    "form_submissions": "submitted_at",
}
_TABLE_NO = {t.name: i for i, t in enumerate(contract.TABLES)}


@dataclass
class World:
    p: GeneratorParams
    cal: Calendar
    accounts: Accounts
    users: Users
    campaigns: Campaigns
    calib: Calibration
    keys: dict[str, int]
    created: np.ndarray  # creation time of every lead record, sorted


@dataclass
class RunState:
    counters: dict[str, int]
    account_people: np.ndarray  # people created per account so far (distinct names)
    account_first_lead: np.ndarray
    lead_counts: np.ndarray  # leads per (campaign, window day), for ad spend
    row_counts: dict[str, int] = field(default_factory=dict)


def _id_key(seed: int, space: int) -> int:
    a, b = np.random.SeedSequence([seed, 2 * GLOBAL, space]).generate_state(2, dtype=np.uint32)
    return (int(a) << 32) | int(b)


def build_world(p: GeneratorParams) -> World:
    cal = build_calendar(p)
    accounts = build_accounts(p, cal)
    created = np.sort(cal.sample_times(rng_for(p.seed, GLOBAL, S_CREATED), p.n_leads))
    return World(
        p=p,
        cal=cal,
        accounts=accounts,
        users=build_users(p, cal),
        campaigns=build_campaigns(p, cal),
        calib=calibrate(p, cal, accounts),
        keys={name: _id_key(p.seed, i) for i, name in enumerate(_ID_SPACES)},
        created=created,
    )


def _chunk(w: World, state: RunState, ci: int, lo: int, hi: int) -> Iterator[tuple[str, Columns]]:
    """Generate the lead records lo..hi and yield each of their tables as soon as it is complete."""
    p, cal, calib, counters = w.p, w.cal, w.calib, state.counters

    def rng(stream: int) -> np.random.Generator:
        return rng_for(p.seed, ci, stream)

    def loaded(name: str, cols: Columns) -> list[tuple[str, Columns]]:
        load_rng = rng_for(p.seed, ci, S_LOAD, _TABLE_NO[name])
        return [(name, part) for part in add_loading(load_rng, p, cols, _LOADED[name], cal.load_us)]

    lc = build_lead_chunk(
        rng(S_LEADS), p, cal, w.accounts, w.users, w.campaigns, w.created[lo:hi], lo, state.account_people
    )
    n = lc.n
    has_acc = lc.account >= 0
    np.minimum.at(state.account_first_lead, lc.account[has_acc], lc.created[has_acc])
    paid = (lc.campaign >= 0) & w.campaigns.is_paid[np.maximum(lc.campaign, 0)]
    np.add.at(state.lead_counts, (lc.campaign[paid], cal.day_index(lc.created[paid])), 1)

    # lifecycle: status history, opportunities, activities, and the leads table itself
    life_rng = rng(S_LIFE)
    hand_raise_t = draw_hand_raise(life_rng, p, cal, lc, calib.hand_raise_weight_mean)
    life = lifecycle.simulate(life_rng, p, cal, calib, lc, w.accounts, w.users.ids, hand_raise_t, counters)
    counters["status_change"] += life.n_status
    counters["opportunity"] += life.n_opps
    counters["opp_change"] += life.n_opp_changes
    counters["activity"] += life.n_activities
    last = life.lead_last_change
    updated = np.where(lc.is_dup, np.maximum(last, lc.merge_t), last)
    delete_t = updated + (rng(S_DELETE).random(n) * (cal.load_us - updated)).astype(np.int64)
    updated = np.minimum(np.where(lc.is_deleted, delete_t, updated), cal.load_us - 1)
    yield "leads", lead_columns(lc, life.lead_status, updated, w.users, w.accounts)
    yield from loaded("lead_status_changes", life.status)
    yield "opportunities", life.opportunities
    yield from loaded("opportunity_stage_changes", life.opportunity_stage_changes)
    yield from loaded("activities", life.activities)
    del life

    # browsers: a primary per lead record, a second one for some people, then anonymous visitors
    b_rng = rng(S_BROWSERS)
    base = counters["anon"]
    primary = base + np.arange(n)
    has_second = ~lc.is_dup & (b_rng.random(n) < p.secondary_browser_share)
    n_second = int(has_second.sum())
    secondary = np.full(n, -1, dtype=np.int64)
    secondary[has_second] = base + n + np.arange(n_second)
    n_visitors = round(n * p.anonymous_visitors_per_lead)
    visitors_base = base + n + n_second
    counters["anon"] = visitors_base + n_visitors

    # marketing: forms, nurture emails, campaign memberships
    content_w = (0.3 + lc.intent) / (0.3 + calib.intent_mean)
    forms = marketing.build_forms(
        rng(S_FORMS),
        p,
        cal,
        w.campaigns,
        lc,
        hand_raise_t,
        content_w,
        primary,
        w.keys,
        counters["submission"],
    )
    counters["submission"] += forms.n
    yield from loaded("form_submissions", forms.columns)
    form_sessions = forms.sessions
    del forms
    em = marketing.build_email(
        rng(S_EMAIL), p, cal, w.campaigns, lc, calib.intent_mean, w.keys, counters["message"],
        counters["email_event"],
    )  # fmt: skip
    counters["message"] += em.n_messages
    counters["email_event"] += len(em.events["occurred_at"])
    members = marketing.campaign_members(
        rng(S_MEMBERS), p, cal, lc, w.campaigns, em, counters["campaign_member"]
    )
    counters["campaign_member"] += len(members["created_at"])
    yield from loaded("email_events", em.events)
    yield "campaign_members", members
    del members

    # web: sessions of leads (browsing, form fills, email clicks) and of anonymous visitors
    web_rng = rng(S_WEB)
    real = np.flatnonzero(~lc.is_dup)
    intent_w = (0.2 + lc.intent) / (0.2 + calib.intent_mean)
    sessions = web.Sessions.concat(
        [
            web.lead_browsing(
                web_rng, p, cal, w.campaigns, lc.created[real], lc.intent[real], lc.channel[real],
                intent_w[real], primary[real], secondary[real],
            ),
            form_sessions,
            marketing.email_click_sessions(web_rng, p, lc, em, primary, secondary),
            web.visitor_sessions(rng(S_VISITORS), p, cal, w.campaigns, n_visitors, visitors_base),
        ]
    )  # fmt: skip
    del em
    pv = web.pageviews(
        web_rng, p, cal, w.campaigns, sessions, w.keys, counters["session"], counters["web_event"]
    )
    del sessions
    counters["session"] += pv.n_sessions
    counters["web_event"] += len(pv.t)
    identities = _identities(w, lc, pv, primary, secondary, base + n, n_second)
    yield "identities", identities
    yield from loaded("web_events", pv.columns)


def _identities(
    w: World,
    lc: Any,
    pv: web.PageViews,
    primary: np.ndarray,
    secondary: np.ndarray,
    sec_base: int,
    n_sec: int,
) -> Columns:
    """Primary browsers identified at lead creation; second browsers at their first page view."""
    real = np.flatnonzero(~lc.is_dup)
    first_seen = np.full(n_sec, NEVER, dtype=np.int64)
    local = pv.anon - sec_base
    on_second = (local >= 0) & (local < n_sec)
    np.minimum.at(first_seen, local[on_second], pv.t[on_second])
    sec_lead = np.flatnonzero(secondary >= 0)
    seen = first_seen[secondary[sec_lead] - sec_base] < NEVER
    sec_lead = sec_lead[seen]
    anon = np.r_[primary[real], secondary[sec_lead]]
    lead = np.r_[real, sec_lead]
    t = np.r_[lc.created[real], first_seen[secondary[sec_lead] - sec_base]]
    order = np.lexsort((anon, lead))
    return {
        "anonymous_id": hex_ids(anon[order].astype(np.uint64), w.keys["anon"]),
        "lead_id": lc.ids.take(pa.array(lead[order])),
        "identified_at": t[order],
    }


def generate(params: GeneratorParams, out_dir: Path, progress: Progress | None = None) -> dict[str, int]:
    """Generate every raw table of the contract into ``out_dir``; returns row counts per table.

    ``progress(step, done, total)`` is called after setup (``"setup"``), after each lead chunk
    (``"leads"``) and after the final global tables (``"finalize"``).
    """
    out_dir = Path(out_dir)
    p = params
    w = build_world(p)
    n_chunks = -(-p.n_leads // p.chunk_size)
    state = RunState(
        counters=dict.fromkeys(_COUNTERS, 0),
        account_people=np.zeros(w.accounts.n, dtype=np.int64),
        account_first_lead=np.full(w.accounts.n, NEVER, dtype=np.int64),
        lead_counts=np.zeros((w.campaigns.n, w.cal.n_days), dtype=np.int64),
    )
    if progress:
        progress("setup", 1, 1)
    with TableWriters(out_dir) as writers:
        writers.write("users", w.users.columns)
        writers.write("campaigns", w.campaigns.columns)
        for ci in range(n_chunks):
            lo, hi = ci * p.chunk_size, min(p.n_leads, (ci + 1) * p.chunk_size)
            for name, cols in _chunk(w, state, ci, lo, hi):
                writers.write(name, cols)
            if progress:
                progress("leads", ci + 1, n_chunks)
        first_lead = np.where(
            state.account_first_lead < NEVER, state.account_first_lead, w.accounts.created_base_us + DAY
        )
        writers.write("accounts", accounts_columns(p, w.cal, w.accounts, first_lead))
        writers.write("ad_spend", ad_spend_columns(p, w.cal, w.campaigns, state.lead_counts))
        counts = dict(writers.row_counts)
    write_manifest(out_dir, _manifest(w, counts))
    if progress:
        progress("finalize", 1, 1)
    return {t.name: counts[t.name] for t in contract.TABLES}


def _manifest(w: World, counts: dict[str, int]) -> dict[str, Any]:
    p = w.p
    return {
        "generator": "lead_funnel.generator",
        "generator_version": GENERATOR_VERSION,
        "seed": p.seed,
        "crm_vocabulary": p.crm_vocabulary,
        "window_start": p.window_start.isoformat(),
        "load_time": p.load_time.isoformat(),
        "params": p.to_dict(),
        "row_counts": {t.name: counts[t.name] for t in contract.TABLES},
        "total_rows": sum(counts.values()),
        "files": {t.name: f"{t.name}.parquet" for t in contract.TABLES},
        "calibration": w.calib.to_dict(),
        "documented_expectations": {
            "mql_rate_range": list(p.mql_rate_range),
            "touched_within_24h_share": p.touched_within_24h_share,
            "cost_per_lead": dict(p.cost_per_lead),
        },
    }
