"""The lead lifecycle: MQL, SAL, SQL, opportunity, customer, recycling and disqualification.

Simulated per chunk with arrays: every stage is a vector of leads that reached it and the
time they did; censoring at load_time stops a lead wherever its next step would fall after
the load. Per-lead probabilities are ``rate * weight / mean(weight)`` (clipped to 0.98), with the
weight means taken over a fixed calibration cohort, so the documented rates are population
averages.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from lead_funnel.generator import vocab
from lead_funnel.generator.arrays import (
    DAY,
    HOUR,
    MINUTE,
    NEVER,
    categorical,
    decimal_ids,
    expand,
    lognormal_median,
    modulated,
    rng_for,
    sigmoid,
    take,
)
from lead_funnel.generator.leads import LeadChunk, LeadCore, draw_core
from lead_funnel.generator.params import GeneratorParams
from lead_funnel.generator.world import GLOBAL, S_CALIBRATION, Accounts, Calendar

SYSTEM = -1  # changed_by 'system'
ACTIVITY_TYPES = vocab.ACTIVITY_TYPES
CALIBRATION_SIZE = 60_000


# ------------------------------------------------------------------ weights
def w_hand_raise(fit: np.ndarray, intent: np.ndarray) -> np.ndarray:
    return intent * (0.3 + fit)


def w_sql(fit: np.ndarray, intent: np.ndarray) -> np.ndarray:
    return (0.15 + intent) * (0.25 + fit)


def w_win(fit: np.ndarray) -> np.ndarray:
    return 0.3 + fit


def w_remql(intent: np.ndarray) -> np.ndarray:
    return 0.5 + intent


@dataclass(frozen=True)
class Calibration:
    """Population constants that make the documented rates hold (see module docstring)."""

    mql_intercept: float
    hand_raise_weight_mean: float
    sql_weight_mean: float
    win_weight_mean: float
    remql_weight_mean: float
    intent_mean: float
    expected_mql_share: float

    def to_dict(self) -> dict[str, float]:
        return {k: round(float(v), 10) for k, v in self.__dict__.items()}


def mql_linear(p: GeneratorParams, core: LeadCore) -> np.ndarray:
    return p.mql_fit_coef * (core.fit - 0.5) + p.mql_intent_coef * (core.intent - 0.3)


def draw_hand_raise(
    rng: np.random.Generator, p: GeneratorParams, cal: Calendar, core: LeadCore, mean_w: float
) -> np.ndarray:
    """Time of the first hand-raise form per lead (NEVER if none before the load)."""
    n = len(core.created)
    prob = modulated(p.hand_raise_rate, w_hand_raise(core.fit, core.intent), mean_w)
    has = rng.random(n) < prob
    t = core.created + (rng.exponential(p.hand_raise_delay_mean_days, n) * DAY).astype(np.int64) + 10 * MINUTE
    return np.where(has & (t < cal.load_us), t, NEVER)


def draw_score_mql(
    rng: np.random.Generator, p: GeneratorParams, core: LeadCore
) -> tuple[np.ndarray, np.ndarray]:
    """(uniform draw, MQL time if the score qualifies) per lead; qualify when u < P(score MQL)."""
    n = len(core.created)
    u = rng.random(n)
    delay = lognormal_median(rng, p.mql_delay_median_hours, p.mql_delay_sigma, n) * HOUR
    return u, core.created + delay.astype(np.int64)


def calibrate(p: GeneratorParams, cal: Calendar, acc: Accounts) -> Calibration:
    """Solve the MQL intercept for the target share and the weight means, on a fixed cohort."""
    rng = rng_for(p.seed, GLOBAL, S_CALIBRATION)
    created = cal.sample_times(rng, CALIBRATION_SIZE)
    core = draw_core(rng, p, acc, created)
    hr_mean = float(w_hand_raise(core.fit, core.intent).mean())
    hr_t = draw_hand_raise(rng, p, cal, core, hr_mean)
    _, score_t = draw_score_mql(rng, p, core)
    in_window = score_t < cal.load_us
    by_hand = hr_t < NEVER
    lin = mql_linear(p, core)
    target = p.mql_rate_target

    def share(a: float) -> np.ndarray:
        p_score = sigmoid(a + lin) * in_window
        return 1.0 - (1.0 - p_score) * (1.0 - by_hand)

    lo, hi = -30.0, 30.0
    if share(hi).mean() < target or share(lo).mean() > target:
        raise ValueError(
            f"mql_rate_range {p.mql_rate_range} is not reachable with these parameters "
            f"(feasible {share(lo).mean():.3f}..{share(hi).mean():.3f})"
        )
    for _ in range(80):
        mid = (lo + hi) / 2
        if share(mid).mean() < target:
            lo = mid
        else:
            hi = mid
    a = (lo + hi) / 2
    p_mql = share(a)
    wsql = w_sql(core.fit, core.intent)
    sql_mean = float((p_mql * wsql).sum() / p_mql.sum())
    p_sql = modulated(p.sql_rate_given_sal, wsql, sql_mean) * (core.account >= 0)
    q = p_mql * p_sql
    win_mean = float((q * w_win(core.fit)).sum() / max(q.sum(), 1e-12))
    remql_mean = float((p_mql * w_remql(core.intent)).sum() / p_mql.sum())
    return Calibration(
        mql_intercept=a,
        hand_raise_weight_mean=hr_mean,
        sql_weight_mean=sql_mean,
        win_weight_mean=win_mean,
        remql_weight_mean=remql_mean,
        intent_mean=float(core.intent.mean()),
        expected_mql_share=float(p_mql.mean()),
    )


# -------------------------------------------------------------- accumulators
@dataclass
class _Events:
    """Column lists appended stage by stage and concatenated at the end."""

    cols: dict[str, list[np.ndarray]] = field(default_factory=dict)

    def add(self, **columns: np.ndarray | int) -> None:
        n = max(len(v) for v in columns.values() if isinstance(v, np.ndarray))
        for k, v in columns.items():
            arr = v if isinstance(v, np.ndarray) else np.full(n, v, dtype=np.int64)
            self.cols.setdefault(k, []).append(arr)

    def get(self, name: str, dtype: type = np.int64) -> np.ndarray:
        parts = self.cols.get(name, [])
        return np.concatenate(parts).astype(dtype) if parts else np.zeros(0, dtype=dtype)


@dataclass
class LifecycleResult:
    status: dict[str, pa.Array | np.ndarray]
    lead_status: pa.Array  # current status per lead of the chunk
    lead_last_change: np.ndarray
    opportunities: dict[str, pa.Array | np.ndarray]
    opportunity_stage_changes: dict[str, pa.Array | np.ndarray]
    activities: dict[str, pa.Array | np.ndarray]
    n_status: int
    n_opps: int
    n_opp_changes: int
    n_activities: int


@dataclass
class _Ctx:
    rng: np.random.Generator
    p: GeneratorParams
    cal: Calendar
    calib: Calibration
    lc: LeadChunk
    status: _Events = field(default_factory=_Events)
    acts: _Events = field(default_factory=_Events)
    opps: _Events = field(default_factory=_Events)


def _add_status(
    ctx: _Ctx, lead: np.ndarray, stage: int, t: np.ndarray, by: np.ndarray | int, seq: np.ndarray | int
) -> None:
    """Append status changes; seq orders the changes of a lead (cycle * 10 + step)."""
    if len(lead):
        ctx.status.add(lead=lead, stage=stage, t=t, by=by, seq=seq)


def _add_activities(ctx: _Ctx, lead: np.ndarray, user: np.ndarray, kind: np.ndarray, t: np.ndarray) -> None:
    if len(lead):
        ctx.acts.add(lead=lead, user=user, kind=kind, t=t)


def _first_touch(ctx: _Ctx, n: int, mql_t: np.ndarray) -> np.ndarray:
    """First response time per MQL from the documented mixture (NEVER for untouched)."""
    rng, p = ctx.rng, ctx.p
    shares = [s for s, _, _ in p.response_time_mixture] + [p.never_touched_share]
    comp = categorical(rng, shares, n)
    k = len(p.response_time_mixture)
    lo = np.log(np.array([b[1] for b in p.response_time_mixture] + [1.0]))
    hi = np.log(np.array([b[2] for b in p.response_time_mixture] + [2.0]))
    minutes = np.exp(lo[comp] + rng.random(n) * (hi[comp] - lo[comp]))
    t = mql_t + (minutes * MINUTE).astype(np.int64)
    return np.where(comp < k, t, NEVER)


def _delay(
    rng: np.random.Generator, median_days: float, sigma: float, n: int, tie_share: float = 0.0
) -> np.ndarray:
    d = (lognormal_median(rng, median_days, sigma, n) * DAY).astype(np.int64) + MINUTE
    if tie_share > 0:
        d = np.where(rng.random(n) < tie_share, 0, d)
    return d


def _run_cycle(ctx: _Ctx, lead: np.ndarray, mql_t: np.ndarray, cycle: int) -> None:
    """One MQL cycle for the given leads (all with mql_t < load); recurses into re-MQL cycles."""
    rng, p, lc, load = ctx.rng, ctx.p, ctx.lc, ctx.cal.load_us
    n = len(lead)
    if n == 0:
        return
    seq = cycle * 10
    owner = lc.owner[lead]
    _add_status(ctx, lead, vocab.MQL, mql_t, SYSTEM, seq + 1)

    touch_t = _first_touch(ctx, n, mql_t)
    touched = touch_t < load
    first_type = categorical(rng, [dict(p.first_touch_type_mix)[a] for a in ACTIVITY_TYPES], n)
    _add_activities(ctx, lead[touched], owner[touched], first_type[touched], touch_t[touched])

    accept_draw = rng.random(n) < p.sal_rate_given_touched
    sal_t = touch_t + (rng.random(n) * p.sal_delay_max_hours * HOUR).astype(np.int64)
    accepted = touched & accept_draw & (sal_t < load)
    _add_status(ctx, lead[accepted], vocab.SAL, sal_t[accepted], owner[accepted], seq + 2)

    # not accepted: untouched MQLs go back to nurture by automation; rejected ones are recycled or
    # disqualified by the SDR
    recycle_draw = rng.random(n) < p.not_accepted_recycle_rate
    lo_d, hi_d = p.not_accepted_delay_days
    untouched_t = mql_t + ((lo_d + rng.random(n) * (hi_d - lo_d)) * DAY).astype(np.int64)
    untouched_rec = ~touched & recycle_draw & (untouched_t < load)
    reject_t = touch_t + (rng.random(n) * p.rejected_exit_max_days * DAY).astype(np.int64)
    rejected = touched & ~accept_draw & (reject_t < load)
    exit_t = np.full(n, NEVER, dtype=np.int64)
    exit_t[rejected] = reject_t[rejected]

    # SAL -> SQL / recycle / disqualify / stay
    p_sql = modulated(p.sql_rate_given_sal, w_sql(lc.fit[lead], lc.intent[lead]), ctx.calib.sql_weight_mean)
    p_sql = np.where(lc.account[lead] >= 0, p_sql, p_sql * 0.3)
    sal_out = np.where(rng.random(n) < p_sql, 0, 1 + categorical(rng, p.sal_exit_mix, n))
    t2 = sal_t + _delay(rng, p.sal_exit_median_days, p.stage_delay_sigma, n, p.same_timestamp_share)
    t2_ok = accepted & (t2 < load)
    sql = t2_ok & (sal_out == 0)
    _add_status(ctx, lead[sql], vocab.SQL, t2[sql], owner[sql], seq + 3)

    # SQL -> opportunity / recycle / disqualify / stay (no opportunity without an account)
    p_opp = np.where(lc.account[lead] >= 0, p.opportunity_rate_given_sql, 0.0)
    sql_out = np.where(rng.random(n) < p_opp, 0, 1 + categorical(rng, p.sql_exit_mix, n))
    t3 = t2 + _delay(rng, p.sql_exit_median_days, p.stage_delay_sigma, n, p.same_timestamp_share)
    t3_ok = sql & (t3 < load)
    opp = t3_ok & (sql_out == 0)
    _add_status(ctx, lead[opp], vocab.OPPORTUNITY, t3[opp], owner[opp], seq + 4)
    if opp.any():
        ctx.opps.add(lead=lead[opp], t=t3[opp], cycle=np.full(int(opp.sum()), cycle))

    sal_rec = t2_ok & (sal_out == 1)
    sal_dq = t2_ok & (sal_out == 2)
    sql_rec = t3_ok & (sql_out == 1)
    sql_dq = t3_ok & (sql_out == 2)
    rec_t = np.full(n, NEVER, dtype=np.int64)
    rec_t[untouched_rec] = untouched_t[untouched_rec]
    rec_t[rejected & recycle_draw] = reject_t[rejected & recycle_draw]
    rec_t[sal_rec] = t2[sal_rec]
    rec_t[sql_rec] = t3[sql_rec]
    recycled = rec_t < NEVER
    by_rec = np.where(untouched_rec, SYSTEM, owner)
    _add_status(ctx, lead[recycled], vocab.RECYCLED, rec_t[recycled], by_rec[recycled], seq + 5)
    dq = (rejected & ~recycle_draw) | sal_dq | sql_dq
    dq_t = np.where(sal_dq, t2, np.where(sql_dq, t3, reject_t))
    _add_status(ctx, lead[dq], vocab.DISQUALIFIED, dq_t[dq], owner[dq], seq + 5)
    exit_t[sal_rec | sal_dq] = t2[sal_rec | sal_dq]
    exit_t[sql_rec | sql_dq | opp] = t3[sql_rec | sql_dq | opp]

    _follow_ups(ctx, lead[touched], owner[touched], touch_t[touched], exit_t[touched])

    # recycled -> re-MQL
    if cycle + 1 < p.max_mql_cycles and recycled.any():
        r_lead = lead[recycled]
        p_re = modulated(p.remql_rate, w_remql(lc.intent[r_lead]), ctx.calib.remql_weight_mean)
        re_t = rec_t[recycled] + (
            lognormal_median(rng, p.remql_delay_median_days, p.remql_delay_sigma, len(r_lead)) * DAY
        ).astype(np.int64)
        again = (rng.random(len(r_lead)) < p_re) & (re_t < load)
        _run_cycle(ctx, r_lead[again], re_t[again], cycle + 1)


def _follow_ups(
    ctx: _Ctx, lead: np.ndarray, owner: np.ndarray, start: np.ndarray, exit_t: np.ndarray
) -> None:
    rng, p, load = ctx.rng, ctx.p, ctx.cal.load_us
    end = np.minimum(np.minimum(exit_t, start + int(p.follow_up_horizon_days * DAY)), load - 1)
    count = rng.poisson(p.follow_up_mean, len(lead))
    parent, _ = expand(count)
    span = np.maximum(end[parent] - start[parent], 0)
    t = start[parent] + (rng.random(len(parent)) * span).astype(np.int64)
    kind = categorical(rng, [dict(p.follow_up_type_mix)[a] for a in ACTIVITY_TYPES], len(parent))
    _add_activities(ctx, lead[parent], owner[parent], kind, t)


# ------------------------------------------------------------- opportunities
def _opportunities(
    ctx: _Ctx, acc: Accounts, users_ids: pa.Array, opp_counter: int, change_counter: int
) -> tuple[dict[str, pa.Array | np.ndarray], dict[str, pa.Array | np.ndarray]]:
    rng, p, lc, load = ctx.rng, ctx.p, ctx.lc, ctx.cal.load_us
    lead = ctx.opps.get("lead")
    created = ctx.opps.get("t")
    cycle = ctx.opps.get("cycle")
    order = np.lexsort((lead, created))
    lead, created, cycle = lead[order], created[order], cycle[order]
    n = len(lead)
    account = lc.account[lead]
    won = rng.random(n) < modulated(p.win_rate, w_win(lc.fit[lead]), ctx.calib.win_weight_mean)
    lost_stage = categorical(rng, p.lost_stage_mix, n)
    last_open = np.where(won, 3, lost_stage)
    length = (lognormal_median(rng, p.sales_cycle_median_days, p.sales_cycle_sigma, n) * DAY).astype(np.int64)
    fractions = np.sort(rng.random((n, 3)), axis=1) * 0.9
    times = np.empty((n, 5), dtype=np.int64)
    times[:, 0] = created
    times[:, 1:4] = created[:, None] + (fractions * length[:, None]).astype(np.int64)
    times[:, 4] = created + length + HOUR
    reached = np.arange(4)[None, :] <= last_open[:, None]
    happened = times < load
    closed = happened[:, 4]

    # stage history rows
    ev_opp, ev_old, ev_new, ev_t = [], [], [], []
    for j in range(4):
        m = reached[:, j] & happened[:, j]
        ev_opp.append(np.flatnonzero(m))
        ev_old.append(np.full(int(m.sum()), j - 1))
        ev_new.append(np.full(int(m.sum()), j))
        ev_t.append(times[m, j])
    ev_opp.append(np.flatnonzero(closed))
    ev_old.append(last_open[closed])
    ev_new.append(np.where(won[closed], 4, 5))
    ev_t.append(times[closed, 4])
    e_opp = np.concatenate(ev_opp)
    e_old = np.concatenate(ev_old)
    e_new = np.concatenate(ev_new)
    e_t = np.concatenate(ev_t)
    e_order = np.lexsort((e_new, e_opp))
    e_opp, e_old, e_new, e_t = e_opp[e_order], e_old[e_order], e_new[e_order], e_t[e_order]

    open_stage = np.where(happened[:, :4] & reached, np.arange(4)[None, :], 0).max(axis=1)
    stage = np.where(closed, np.where(won, 4, 5), open_stage)
    last_t = np.where(closed, times[:, 4], np.take_along_axis(times, open_stage[:, None], axis=1)[:, 0])
    is_won = won & closed

    # customer lifecycle status at close-won (vocabularies that have one)
    cust = np.flatnonzero(is_won)
    _add_status(ctx, lead[cust], vocab.CUSTOMER, times[cust, 4], SYSTEM, cycle[cust] * 10 + 6)

    # AE meetings while the deal is open
    count = rng.poisson(p.ae_meetings_mean, n)
    parent, _ = expand(count)
    end = np.minimum(times[:, 4], load - 1)
    t = created[parent] + (rng.random(len(parent)) * np.maximum(end[parent] - created[parent], 0)).astype(
        np.int64
    )
    _add_activities(ctx, lead[parent], lc.ae[lead][parent], np.full(len(parent), 2), t)

    # amount and currency
    employees = acc.employees[account]
    amount = p.amount_median_usd * (employees / 200.0) ** p.amount_size_elasticity
    amount = amount * np.exp(p.amount_sigma * rng.standard_normal(n))
    country = np.array(vocab.COUNTRIES)[acc.country[account]]
    local = rng.random(n) < p.local_currency_share
    currency = np.where(
        local & (country == "GB"), "GBP", np.where(local & np.isin(country, ["DE", "FR", "NL"]), "EUR", "USD")
    )
    fx_rates = dict(p.fx_per_usd)
    fx = np.select([currency == c for c in fx_rates], list(fx_rates.values()), 1.0)
    amount = np.round(amount * fx, -2)
    amount_missing = rng.random(n) < p.amount_missing_share
    close_day = (times[:, 4] // DAY).astype(np.int64)
    close_missing = ~closed & (stage == 0) & (rng.random(n) < p.open_close_date_missing_share)

    ids = decimal_ids(np.arange(opp_counter, opp_counter + n) + 1, "006", 12)
    stage_names = vocab.OPPORTUNITY_STAGE_VALUES[p.crm_vocabulary]
    opps = {
        "opportunity_id": ids,
        "account_id": take(acc.ids, account),
        "primary_lead_id": take(lc.ids, lead),
        "owner_id": take(users_ids, lc.ae[lead]),
        "amount": pa.array(amount, mask=amount_missing, type=pa.float64()),
        "currency": pa.array(currency.tolist(), type=pa.string()),
        "stage_name": take(stage_names, stage),
        "created_at": created,
        "close_date": pa.array(close_day.astype(np.int32), mask=close_missing, type=pa.int32()).view(
            pa.date32()
        ),
        "is_closed": closed,
        "is_won": is_won,
        "updated_at": last_t,
    }
    changes = {
        "change_id": decimal_ids(np.arange(change_counter, change_counter + len(e_opp)) + 1, "008", 12),
        "opportunity_id": take(ids, e_opp),
        "old_stage": take(stage_names, e_old),
        "new_stage": take(stage_names, e_new),
        "changed_at": e_t,
    }
    return opps, changes


# -------------------------------------------------------------- status rows
def _finalize_status(
    ctx: _Ctx, users_ids: pa.Array, change_counter: int
) -> tuple[dict[str, pa.Array | np.ndarray], pa.Array, np.ndarray]:
    rng, p, lc, load = ctx.rng, ctx.p, ctx.lc, ctx.cal.load_us
    lead = ctx.status.get("lead")
    stage = ctx.status.get("stage")
    t = ctx.status.get("t")
    by = ctx.status.get("by")
    seq = ctx.status.get("seq") * 2
    values = vocab.CRM_STATUS_VALUES[p.crm_vocabulary]
    keep = np.array([values[s] is not None for s in range(len(values))])[stage]
    lead, stage, t, by, seq = lead[keep], stage[keep], t[keep], by[keep], seq[keep]
    order = np.lexsort((seq, lead))
    lead, stage, t, by, seq = lead[order], stage[order], t[order], by[order], seq[order]

    # repeated identical values: an extra row re-saving the current status before the next change
    n = len(lead)
    same_next = np.r_[lead[1:] == lead[:-1], False]
    t_next = np.where(same_next, np.r_[t[1:], 0], load - 1)
    rep = np.flatnonzero(rng.random(n) < p.repeated_status_share)
    rep_t = t[rep] + (rng.random(len(rep)) * np.maximum(t_next[rep] - t[rep], 0)).astype(np.int64)
    rep_by = np.where(rng.random(len(rep)) < 0.5, SYSTEM, lc.owner[lead[rep]])
    lead = np.r_[lead, lead[rep]]
    stage = np.r_[stage, stage[rep]]
    t = np.r_[t, rep_t]
    by = np.r_[by, rep_by]
    seq = np.r_[seq, seq[rep] + 1]
    order = np.lexsort((seq, lead))
    lead, stage, t, by = lead[order], stage[order], t[order], by[order]

    n = len(lead)
    first = np.r_[True, lead[1:] != lead[:-1]]
    last = np.r_[lead[1:] != lead[:-1], True]
    old = np.where(first, -1, np.r_[-1, stage[:-1]])
    status_values = pa.array([v or "" for v in values], type=pa.string())
    current = np.full(lc.n, vocab.LEAD)
    current[lead[last]] = stage[last]
    last_change = lc.created.copy()
    last_change[lead[last]] = t[last]
    change_ids = decimal_ids(np.arange(change_counter, change_counter + n) + 1, "017", 12)
    changed_by = pc.if_else(pa.array(by < 0), "system", take(users_ids, np.maximum(by, 0)))
    shuffle = rng.permutation(n)  # history rows do not arrive in time order
    cols = {
        "change_id": change_ids.take(pa.array(shuffle)),
        "lead_id": take(lc.ids, lead[shuffle]),
        "old_value": take(status_values, old[shuffle]),
        "new_value": take(status_values, stage[shuffle]),
        "changed_at": t[shuffle],
        "changed_by": changed_by.take(pa.array(shuffle)),
    }
    return cols, take(status_values, current), last_change


def simulate(
    rng: np.random.Generator,
    p: GeneratorParams,
    cal: Calendar,
    calib: Calibration,
    lc: LeadChunk,
    acc: Accounts,
    users_ids: pa.Array,
    hand_raise_t: np.ndarray,
    counters: dict[str, int],
) -> LifecycleResult:
    """Status history, opportunities and sales activities of one chunk."""
    ctx = _Ctx(rng=rng, p=p, cal=cal, calib=calib, lc=lc)
    all_leads = np.arange(lc.n)
    _add_status(ctx, all_leads, vocab.LEAD, lc.created, SYSTEM, 0)
    u, score_t = draw_score_mql(rng, p, lc)
    p_score = sigmoid(calib.mql_intercept + mql_linear(p, lc))
    score_t = np.where(u < p_score, score_t, NEVER)
    hr = np.where(lc.is_dup, NEVER, hand_raise_t)
    mql_t = np.where(lc.is_dup, NEVER, np.minimum(score_t, hr))
    mql = mql_t < cal.load_us
    _run_cycle(ctx, all_leads[mql], mql_t[mql], 0)

    opps, opp_changes = _opportunities(ctx, acc, users_ids, counters["opportunity"], counters["opp_change"])
    status_cols, lead_status, last_change = _finalize_status(ctx, users_ids, counters["status_change"])

    lead = ctx.acts.get("lead")
    user = ctx.acts.get("user")
    kind = ctx.acts.get("kind")
    t = ctx.acts.get("t")
    order = np.lexsort((kind, t, lead))
    lead, user, kind, t = lead[order], user[order], kind[order], t[order]
    activities = {
        "activity_id": decimal_ids(
            np.arange(counters["activity"], counters["activity"] + len(lead)) + 1, "00T", 12
        ),
        "lead_id": take(lc.ids, lead),
        "user_id": take(users_ids, user),
        "activity_type": take(ACTIVITY_TYPES, kind),
        "occurred_at": t,
    }
    return LifecycleResult(
        status=status_cols,
        lead_status=lead_status,
        lead_last_change=last_change,
        opportunities=opps,
        opportunity_stage_changes=opp_changes,
        activities=activities,
        n_status=len(status_cols["changed_at"]),
        n_opps=len(opps["created_at"]),
        n_opp_changes=len(opp_changes["changed_at"]),
        n_activities=len(lead),
    )
