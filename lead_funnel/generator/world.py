"""Global, small entities built once per run: calendar, accounts, users and campaigns."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import numpy as np
import pyarrow as pa

from lead_funnel.generator import vocab
from lead_funnel.generator.arrays import (
    DAY,
    HOUR,
    MINUTE,
    categorical,
    concat,
    decimal_ids,
    mean_one_noise,
    rng_for,
    take,
    to_cdf,
)
from lead_funnel.generator.params import GeneratorParams

EPOCH = date(1970, 1, 1)
# Stream ids of the global (not per-chunk) random streams; per-chunk streams use the chunk index.
GLOBAL = 1_000_000
S_CREATED, S_ACCOUNTS, S_USERS, S_CAMPAIGNS, S_CALIBRATION, S_SPEND = range(6)


def epoch_day(d: date) -> int:
    return (d - EPOCH).days


def to_us(d: datetime) -> int:
    return round(d.timestamp() * 1_000_000)


# ------------------------------------------------------------------- calendar
@dataclass(frozen=True)
class Calendar:
    """The window and the lead-volume density over its days and hours."""

    start_us: int
    load_us: int
    start_day: int  # days since epoch of the first window day
    n_days: int
    day_density: np.ndarray  # share of lead volume per window day (sums to 1)
    day_cdf: np.ndarray
    hour_cdf: np.ndarray

    def sample_times(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """Timestamps (us) following the day density and the hour-of-day profile."""
        day = np.searchsorted(self.day_cdf, rng.random(n), side="right")
        hour = np.searchsorted(self.hour_cdf, rng.random(n), side="right")
        within = (rng.random(n) * HOUR).astype(np.int64)
        return self.start_us + day.astype(np.int64) * DAY + hour.astype(np.int64) * HOUR + within

    def day_index(self, t: np.ndarray) -> np.ndarray:
        return np.clip((t - self.start_us) // DAY, 0, self.n_days - 1)


def build_calendar(p: GeneratorParams) -> Calendar:
    start_day = epoch_day(p.start_date)
    days = np.arange(p.days)
    dates = [p.start_date + timedelta(days=int(d)) for d in days]
    weekday = np.array([d.weekday() for d in dates])
    month = np.array([d.month - 1 for d in dates])
    w = (
        np.asarray(p.weekday_weights)[weekday]
        * np.asarray(p.month_weights)[month]
        * (1.0 + p.annual_trend * days / 365.0)
    )
    density = w / w.sum()
    return Calendar(
        start_us=to_us(p.window_start),
        load_us=to_us(p.load_time),
        start_day=start_day,
        n_days=p.days,
        day_density=density,
        day_cdf=to_cdf(density),
        hour_cdf=to_cdf(p.hour_weights),
    )


# ------------------------------------------------------------------- accounts
@dataclass
class Accounts:
    n: int
    ids: pa.Array
    names: pa.Array
    domains: pa.Array  # 'acme17.example.com'
    industry: np.ndarray
    country: np.ndarray
    employees: np.ndarray  # true size (always set)
    employees_missing: np.ndarray
    revenue: np.ndarray  # NaN when missing
    fit: np.ndarray  # latent account fit in [0, 1]
    is_target: np.ndarray
    team: np.ndarray
    popularity_cdf: np.ndarray
    created_base_us: np.ndarray


def _size_fit(p: GeneratorParams, employees: np.ndarray) -> np.ndarray:
    bounds = np.array([b for b, _ in p.size_band_fit])
    fits = np.array([f for _, f in p.size_band_fit])
    band = np.minimum(np.searchsorted(bounds, employees, side="left"), len(bounds) - 1)
    return fits[band]


def account_fit(
    p: GeneratorParams, industry: np.ndarray, country: np.ndarray, employees: np.ndarray
) -> np.ndarray:
    """Latent fit in [0, 1]: weighted industry, size-band and country scores, min-max normalised."""
    ind_fit = np.array([dict(p.industry_fit)[i] for i in vocab.INDUSTRIES])
    cty_fit = np.array([dict(p.country_fit)[c] for c in vocab.COUNTRIES])
    size_scores = np.array([f for _, f in p.size_band_fit])
    weights = (p.fit_weight_industry, p.fit_weight_size, p.fit_weight_country)
    raw = (
        weights[0] * ind_fit[industry] + weights[1] * _size_fit(p, employees) + weights[2] * cty_fit[country]
    )
    lo = weights[0] * ind_fit.min() + weights[1] * size_scores.min() + weights[2] * cty_fit.min()
    hi = weights[0] * ind_fit.max() + weights[1] * size_scores.max() + weights[2] * cty_fit.max()
    return np.clip((raw - lo) / max(hi - lo, 1e-9), 0.0, 1.0)


def build_accounts(p: GeneratorParams, cal: Calendar) -> Accounts:
    rng = rng_for(p.seed, GLOBAL, S_ACCOUNTS)
    n = p.n_accounts
    ind_mix = dict(p.industry_mix)
    cty_mix = dict(p.country_mix)
    industry = categorical(rng, [ind_mix[i] for i in vocab.INDUSTRIES], n)
    country = categorical(rng, [cty_mix[c] for c in vocab.COUNTRIES], n)
    employees = np.maximum(
        1, np.round(np.exp(p.employee_log_mean + p.employee_log_sigma * rng.standard_normal(n)))
    )
    employees = employees.astype(np.int64)
    revenue = employees * p.revenue_per_employee_usd * mean_one_noise(rng, p.revenue_noise_sigma, n)
    revenue = np.round(revenue, -3)
    revenue[rng.random(n) < p.annual_revenue_missing_share] = np.nan
    employees_missing = rng.random(n) < p.employee_count_missing_share
    fit = account_fit(p, industry, country, employees)
    target_w = fit**3
    target_p = np.clip(p.target_account_share * target_w / max(target_w.mean(), 1e-12), 0.0, 1.0)
    is_target = rng.random(n) < target_p
    team_of_country = np.array([vocab.TEAMS.index(vocab.COUNTRY_TEAM[c]) for c in vocab.COUNTRIES])
    team = team_of_country[country]
    popularity = employees.astype(np.float64) ** p.account_popularity_exponent
    word = rng.integers(0, len(vocab.COMPANY_WORDS), n)
    suffix = rng.integers(0, len(vocab.COMPANY_SUFFIXES), n)
    numbers = np.arange(1, n + 1)
    num_str = decimal_ids(numbers, "", len(str(n)))
    word_arr = take(vocab.COMPANY_WORDS, word)
    lower_words = pa.array([w.lower() for w in vocab.COMPANY_WORDS])
    names = concat(word_arr, " ", take(vocab.COMPANY_SUFFIXES, suffix))
    domains = concat(take(lower_words, word), num_str, vocab.ACCOUNT_DOMAIN_SUFFIX)
    lookback_us = p.lookback_days * DAY
    preexisting = rng.random(n) < 0.55
    before = cal.start_us - (rng.random(n) * lookback_us).astype(np.int64) - 1
    during = cal.start_us + (rng.random(n) * (cal.load_us - cal.start_us - DAY)).astype(np.int64)
    return Accounts(
        n=n,
        ids=decimal_ids(numbers, "001", 12),
        names=names,
        domains=domains,
        industry=industry,
        country=country,
        employees=employees,
        employees_missing=employees_missing,
        revenue=revenue,
        fit=fit,
        is_target=is_target,
        team=team,
        popularity_cdf=to_cdf(popularity),
        created_base_us=np.where(preexisting, before, during),
    )


def accounts_columns(
    p: GeneratorParams, cal: Calendar, acc: Accounts, first_lead_us: np.ndarray
) -> dict[str, pa.Array | np.ndarray]:
    """Account rows; an account exists at the latest one minute before its first lead."""
    rng = rng_for(p.seed, GLOBAL, S_ACCOUNTS, 1)
    created = np.minimum(acc.created_base_us, first_lead_us - MINUTE)
    updated = created + (rng.random(acc.n) * (cal.load_us - created)).astype(np.int64)
    revenue = pa.array(acc.revenue, mask=np.isnan(acc.revenue), type=pa.float64())
    employees = pa.array(acc.employees, mask=acc.employees_missing, type=pa.int64())
    return {
        "account_id": acc.ids,
        "account_name": acc.names,
        "industry": take(vocab.INDUSTRIES, acc.industry),
        "employee_count": employees,
        "annual_revenue": revenue,
        "country": take(vocab.COUNTRIES, acc.country),
        "is_target_account": acc.is_target,
        "created_at": created,
        "updated_at": np.minimum(updated, cal.load_us - 1),
    }


# ---------------------------------------------------------------------- users
ROLE_SDR, ROLE_AE, ROLE_MANAGER = range(3)


@dataclass
class Users:
    n: int
    ids: pa.Array
    role: np.ndarray
    team: np.ndarray
    # Per team: user indexes of SDRs / AEs, padded to a matrix (team x max), with counts.
    sdr_table: np.ndarray
    sdr_count: np.ndarray
    ae_table: np.ndarray
    ae_count: np.ndarray
    columns: dict[str, pa.Array | np.ndarray]

    def pick(self, rng: np.random.Generator, team: np.ndarray, role: int) -> np.ndarray:
        table, count = (
            (self.sdr_table, self.sdr_count) if role == ROLE_SDR else (self.ae_table, self.ae_count)
        )
        slot = (rng.random(len(team)) * count[team]).astype(np.int64)
        return table[team, slot]


def _team_sizes(total: int, shares: list[float]) -> list[int]:
    """Largest-remainder split of total users over teams, at least 3 per team (manager, SDR, AE)."""
    raw = np.array(shares) / sum(shares) * total
    sizes = np.maximum(3, np.floor(raw)).astype(int)
    while sizes.sum() < total:
        sizes[int(np.argmax(raw - sizes))] += 1
    while sizes.sum() > total and (sizes > 3).any():
        sizes[int(np.argmax(np.where(sizes > 3, sizes - raw, -np.inf)))] -= 1
    return [int(x) for x in sizes]


def build_users(p: GeneratorParams, cal: Calendar) -> Users:
    rng = rng_for(p.seed, GLOBAL, S_USERS)
    n_total = p.n_users
    sizes = _team_sizes(n_total, [dict(p.team_mix)[t] for t in vocab.TEAMS])
    roles: list[int] = []
    teams: list[int] = []
    for t, size in enumerate(sizes):
        managers = max(1, -(-size // (p.reps_per_manager + 1)))
        reps = size - managers
        sdrs = max(1, min(reps - 1, round(reps * p.sdr_share_of_reps)))
        roles += [ROLE_MANAGER] * managers + [ROLE_SDR] * sdrs + [ROLE_AE] * (reps - sdrs)
        teams += [t] * size
    role = np.array(roles)
    team = np.array(teams)
    n = len(role)
    numbers = np.arange(1, n + 1)
    width = max(4, len(str(n)))
    first = rng.integers(0, len(vocab.FIRST_NAMES), n)
    last = rng.integers(0, len(vocab.LAST_NAMES), n)
    hired_in_window = rng.random(n) < p.user_hired_in_window_share
    before = cal.start_us - (rng.random(n) * p.lookback_days * DAY).astype(np.int64) - 1
    during = cal.start_us + (rng.random(n) * (cal.load_us - cal.start_us) * 0.8).astype(np.int64)
    columns: dict[str, pa.Array | np.ndarray] = {
        "user_id": decimal_ids(numbers, "005", 12),
        "full_name": concat(take(vocab.FIRST_NAMES, first), " ", take(vocab.LAST_NAMES, last)),
        "email": decimal_ids(numbers, "rep", width, "@example.com"),
        "role": take(vocab.USER_ROLES, role),
        "team": take(vocab.TEAMS, team),
        "is_active": rng.random(n) >= p.inactive_user_share,
        "created_at": np.where(hired_in_window, during, before),
    }

    def by_team(r: int) -> tuple[np.ndarray, np.ndarray]:
        members = [np.flatnonzero((role == r) & (team == t)) for t in range(len(vocab.TEAMS))]
        width_ = max(len(m) for m in members)
        table = np.zeros((len(members), width_), dtype=np.int64)
        for t, m in enumerate(members):
            table[t, : len(m)] = m
        return table, np.array([len(m) for m in members])

    sdr_table, sdr_count = by_team(ROLE_SDR)
    ae_table, ae_count = by_team(ROLE_AE)
    return Users(n, columns["user_id"], role, team, sdr_table, sdr_count, ae_table, ae_count, columns)  # type: ignore[arg-type]


# ------------------------------------------------------------------ campaigns
@dataclass
class Campaigns:
    n: int
    ids: pa.Array
    channel: np.ndarray
    is_paid: np.ndarray
    start_day: np.ndarray  # epoch days
    end_day: np.ndarray  # epoch days, -1 = open-ended
    # Acquisition campaigns active per (channel, window day): padded index matrix and counts.
    active: np.ndarray  # (n_channels, n_days, k) campaign indexes
    active_count: np.ndarray  # (n_channels, n_days)
    nurture: np.ndarray  # campaign indexes of the nurture email sends, in send order
    nurture_send_us: np.ndarray
    columns: dict[str, pa.Array | np.ndarray]

    def pick(self, rng: np.random.Generator, channel: np.ndarray, day: np.ndarray) -> np.ndarray:
        """A uniformly chosen active acquisition campaign per row, -1 where the channel has none."""
        count = self.active_count[channel, day]
        slot = (rng.random(len(channel)) * count).astype(np.int64)
        picked = self.active[channel, day, np.minimum(slot, self.active.shape[2] - 1)]
        return np.where(count > 0, picked, -1)


def _quarters(first: date, last: date) -> list[tuple[date, date]]:
    out = []
    q_start = date(first.year, 3 * ((first.month - 1) // 3) + 1, 1)
    while q_start <= last:
        nxt = date(q_start.year + (q_start.month + 2) // 12, (q_start.month + 2) % 12 + 1, 1)
        out.append((q_start, nxt - timedelta(days=1)))
        q_start = nxt
    return out


def build_campaigns(p: GeneratorParams, cal: Calendar) -> Campaigns:
    last_day = p.start_date + timedelta(days=p.days - 1)
    per_quarter = dict(p.campaigns_per_quarter)
    paid = {c for c, _ in p.cost_per_lead}
    rows: list[tuple[str, int, str, int, int]] = []  # name, channel, type, start, end
    for ch_i, ch in enumerate(vocab.CHANNELS):
        info = vocab.CHANNEL_INFO[ch]
        if info.campaign_type is None:
            continue
        label = vocab.CHANNEL_LABELS[ch]
        if info.evergreen:
            start = p.start_date - timedelta(days=min(p.lookback_days, 180))
            rows.append((f"{label} (always on)", ch_i, info.campaign_type, epoch_day(start), -1))
            continue
        for q_i, (q_start, q_end) in enumerate(_quarters(p.start_date, last_day)):
            quarter = f"{q_start.year}-Q{(q_start.month - 1) // 3 + 1}"
            for j in range(int(per_quarter.get(ch, 0))):
                theme = vocab.CAMPAIGN_THEMES[(q_i + j) % len(vocab.CAMPAIGN_THEMES)]
                rows.append((f"{label} {quarter} {theme}", ch_i, info.campaign_type,
                             epoch_day(q_start), epoch_day(q_end)))  # fmt: skip
    n_acq = len(rows)
    email_ch = vocab.CHANNEL_INDEX["email"]
    send_days = np.arange(3, p.days, p.nurture_send_interval_days)
    for k, d in enumerate(send_days):
        send_date = p.start_date + timedelta(days=int(d))
        theme = vocab.CAMPAIGN_THEMES[k % len(vocab.CAMPAIGN_THEMES)]
        day = epoch_day(send_date)
        rows.append(
            (f"Nurture wave {k + 1:03d} {send_date.isoformat()} {theme}", email_ch, "email", day, day)
        )
    n = len(rows)
    channel = np.array([r[1] for r in rows], dtype=np.int64)
    start = np.array([r[3] for r in rows], dtype=np.int64)
    end = np.array([r[4] for r in rows], dtype=np.int64)
    # active acquisition campaigns per channel and window day
    window_days = cal.start_day + np.arange(cal.n_days)
    is_active = (start[:n_acq, None] <= window_days[None, :]) & (
        (end[:n_acq, None] < 0) | (end[:n_acq, None] >= window_days[None, :])
    )
    n_ch = len(vocab.CHANNELS)
    counts = np.zeros((n_ch, cal.n_days), dtype=np.int64)
    k_max = 1
    for ch_i in range(n_ch):
        counts[ch_i] = is_active[channel[:n_acq] == ch_i].sum(axis=0)
        k_max = max(k_max, int(counts[ch_i].max()))
    active = np.zeros((n_ch, cal.n_days, k_max), dtype=np.int64)
    for ch_i in range(n_ch):
        members = np.flatnonzero(channel[:n_acq] == ch_i)
        if len(members) == 0:
            continue
        sub = is_active[members]  # (m, days)
        # stable order of active members per day: rank among active
        rank = np.cumsum(sub, axis=0) - 1
        for m_pos, camp in enumerate(members):
            days_on = np.flatnonzero(sub[m_pos])
            active[ch_i, days_on, rank[m_pos, days_on]] = camp
    ids = decimal_ids(np.arange(1, n + 1), "701", 12)
    end_arr = pa.array(end.astype(np.int32), mask=end < 0, type=pa.int32())
    columns: dict[str, pa.Array | np.ndarray] = {
        "campaign_id": ids,
        "campaign_name": pa.array([r[0] for r in rows], type=pa.string()),
        "channel": take(vocab.CHANNELS, channel),
        "campaign_type": pa.array([r[2] for r in rows], type=pa.string()),
        "start_date": start,
        "end_date": end_arr.view(pa.date32()),
    }
    nurture_send_us = cal.start_us + send_days.astype(np.int64) * DAY + 15 * HOUR
    return Campaigns(
        n=n,
        ids=ids,
        channel=channel,
        is_paid=np.array([vocab.CHANNELS[c] in paid for c in channel]) & (np.arange(n) < n_acq),
        start_day=start,
        end_day=end,
        active=active,
        active_count=counts,
        nurture=np.arange(n_acq, n),
        nurture_send_us=nurture_send_us,
        columns=columns,
    )


def pick_team(rng: np.random.Generator, p: GeneratorParams, n: int) -> np.ndarray:
    share = dict(p.team_mix)
    return categorical(rng, [share[t] for t in vocab.TEAMS], n)
