"""Website sessions and page views: lead browsers before and after identification, and visitors."""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
import pyarrow as pa

from lead_funnel.generator import vocab
from lead_funnel.generator.arrays import (
    DAY,
    MINUTE,
    SECOND,
    categorical,
    categorical_rows,
    expand,
    hex_ids,
    take,
    to_cdf,
)
from lead_funnel.generator.leads import pick_utm_source
from lead_funnel.generator.params import GeneratorParams
from lead_funnel.generator.world import Calendar, Campaigns

_PAGE_CAT = np.array([vocab.PAGE_CATEGORIES.index(c) for _, c in vocab.SITE_PAGES])
_CAT_PAGES = [np.flatnonzero(k == _PAGE_CAT) for k in range(len(vocab.PAGE_CATEGORIES))]
_CAT_TABLE = np.zeros((len(_CAT_PAGES), max(len(x) for x in _CAT_PAGES)), dtype=np.int64)
for _k, _pages in enumerate(_CAT_PAGES):
    _CAT_TABLE[_k, : len(_pages)] = _pages
_CAT_COUNT = np.array([len(x) for x in _CAT_PAGES])
_URLS = pa.array([vocab.SITE_HOST + path for path, _ in vocab.SITE_PAGES], type=pa.string())
_CAREERS_MIX = {"careers": 0.85, "home": 0.1, "other": 0.05}
MIX_LOW, MIX_HIGH, MIX_CAREERS = range(3)
# Landing pages of sessions started by a nurture email click.
EMAIL_LANDINGS = np.array(
    [vocab.PAGE_INDEX[p] for p in ("/blog/what-is-an-mql", "/blog/speed-to-lead", "/customers/globex",
                                   "/product/attribution", "/webinars/fixing-the-mql", "/pricing")]
)  # fmt: skip


@dataclass
class Sessions:
    """Session specs; expanded into page views by ``pageviews``."""

    anon: np.ndarray  # anonymous-id counter of the browser
    anchor: np.ndarray  # us; first page view at anchor, or last one just before it (anchor_end)
    anchor_end: np.ndarray
    n_pages: np.ndarray
    intent: np.ndarray
    careers: np.ndarray  # job seeker: careers page mix
    channel: np.ndarray  # utm channel, -1 = no utm (direct / untagged organic)
    source: np.ndarray  # utm_source index, -1 = none
    campaign: np.ndarray  # campaign index, -1 = none
    landing: np.ndarray  # forced first page, -1 = drawn
    final: np.ndarray  # forced last page (a form page), -1 = drawn

    @staticmethod
    def concat(parts: list[Sessions]) -> Sessions:
        return Sessions(
            **{f.name: np.concatenate([getattr(s, f.name) for s in parts]) for f in fields(Sessions)}
        )


def make_sessions(
    anon: np.ndarray,
    anchor: np.ndarray,
    anchor_end: bool,
    n_pages: np.ndarray,
    intent: np.ndarray,
    utm: tuple[np.ndarray, np.ndarray, np.ndarray],
    landing: np.ndarray | None = None,
    final: np.ndarray | None = None,
    careers: np.ndarray | None = None,
) -> Sessions:
    n = len(anon)
    none = np.full(n, -1, dtype=np.int64)
    return Sessions(
        anon=anon.astype(np.int64),
        anchor=anchor.astype(np.int64),
        anchor_end=np.full(n, anchor_end),
        n_pages=n_pages.astype(np.int64),
        intent=intent,
        careers=np.zeros(n, dtype=bool) if careers is None else careers,
        channel=utm[0],
        source=utm[1],
        campaign=utm[2],
        landing=none if landing is None else landing,
        final=none if final is None else final,
    )


def session_channels(
    rng: np.random.Generator, p: GeneratorParams, n: int, own: np.ndarray | None = None
) -> np.ndarray:
    """Arrival channel: the lead's own channel with session_own_channel_share, else browse_channel_mix."""
    mix = dict(p.browse_channel_mix)
    browse = categorical(rng, [mix.get(c, 0.0) for c in vocab.CHANNELS], n)
    if own is None:
        return browse
    return np.where(rng.random(n) < p.session_own_channel_share, own, browse)


def utm_for(
    rng: np.random.Generator,
    p: GeneratorParams,
    cal: Calendar,
    campaigns: Campaigns,
    channel: np.ndarray,
    t: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(utm channel or -1, utm_source index or -1, campaign or -1) of visits arriving via channel."""
    n = len(channel)
    direct = channel == vocab.CHANNEL_INDEX["direct"]
    organic = channel == vocab.CHANNEL_INDEX["organic_search"]
    tagged = ~direct & (~organic | (rng.random(n) < p.organic_utm_share))
    campaign = campaigns.pick(rng, channel, cal.day_index(t))
    source = pick_utm_source(rng, channel)
    return np.where(tagged, channel, -1), np.where(tagged, source, -1), np.where(tagged, campaign, -1)


def pages_per_session(rng: np.random.Generator, p: GeneratorParams, intent: np.ndarray) -> np.ndarray:
    return 1 + rng.poisson(p.pages_per_session_base + p.pages_per_session_intent_coef * intent)


def _mix_cdfs(p: GeneratorParams) -> np.ndarray:
    low, high = dict(p.page_mix_low), dict(p.page_mix_high)
    rows = [
        [low[c] for c in vocab.PAGE_CATEGORIES],
        [high[c] for c in vocab.PAGE_CATEGORIES],
        [_CAREERS_MIX.get(c, 0.0) for c in vocab.PAGE_CATEGORIES],
    ]
    return np.vstack([to_cdf(r) for r in rows])


@dataclass
class PageViews:
    columns: dict[str, pa.Array | np.ndarray]
    anon: np.ndarray  # anonymous-id counter per page view
    t: np.ndarray
    n_sessions: int


def pageviews(
    rng: np.random.Generator,
    p: GeneratorParams,
    cal: Calendar,
    campaigns: Campaigns,
    s: Sessions,
    keys: dict[str, int],
    session_counter: int,
    event_counter: int,
) -> PageViews:
    """Expand sessions into page views inside [window start, load time)."""
    parent, pos = expand(np.maximum(s.n_pages, 1))
    m = len(parent)
    gaps = rng.exponential(p.page_gap_mean_seconds, m) * SECOND
    gaps[pos == 0] = 0
    cs = np.cumsum(gaps)
    firsts = np.flatnonzero(pos == 0)
    base = np.zeros(len(s.anon))
    base[parent[firsts]] = cs[firsts]
    offset = (cs - base[parent]).astype(np.int64)
    last = np.r_[parent[1:] != parent[:-1], True] if m else np.zeros(0, dtype=bool)
    total = np.zeros(len(s.anon), dtype=np.int64)
    total[parent[last]] = offset[last]
    lead_in = (rng.uniform(5, 60, len(s.anon)) * SECOND).astype(np.int64)
    start = np.where(s.anchor_end, s.anchor - total - lead_in, s.anchor)
    t = start[parent] + offset

    row = np.where(
        s.careers[parent], MIX_CAREERS, np.where(rng.random(m) < s.intent[parent], MIX_HIGH, MIX_LOW)
    )
    cat = categorical_rows(rng, _mix_cdfs(p), row)
    page = _CAT_TABLE[cat, (rng.random(m) * _CAT_COUNT[cat]).astype(np.int64)]
    first = pos == 0
    page = np.where(first & (s.landing[parent] >= 0), s.landing[parent], page)
    page = np.where(last & (s.final[parent] >= 0), s.final[parent], page)

    keep = (t >= cal.start_us) & (t < cal.load_us)
    parent, first, page, t = parent[keep], first[keep], page[keep], t[keep]
    n = len(parent)
    channel = s.channel[parent]
    medium_of = [vocab.CHANNEL_INFO[c].utm_medium for c in vocab.CHANNELS]
    utm_medium = take(medium_of, channel)
    utm_source = take(vocab.UTM_SOURCES, s.source[parent])
    utm_campaign = take(campaigns.ids, s.campaign[parent])
    url = _urls(page, first & (channel >= 0), channel, s.source[parent], s.campaign[parent], campaigns)
    session_ids = hex_ids(session_counter + parent.astype(np.uint64), keys["session"])
    cols: dict[str, pa.Array | np.ndarray] = {
        "event_id": hex_ids(np.arange(event_counter, event_counter + n, dtype=np.uint64), keys["web_event"]),
        "anonymous_id": hex_ids(s.anon[parent].astype(np.uint64), keys["anon"]),
        "session_id": session_ids,
        "occurred_at": t,
        "url": url,
        "page_category": take(vocab.PAGE_CATEGORIES, _PAGE_CAT[page]),
        "utm_source": utm_source,
        "utm_medium": utm_medium,
        "utm_campaign": utm_campaign,
    }
    return PageViews(cols, s.anon[parent], t, len(s.anon))


def _urls(
    page: np.ndarray,
    tagged_landing: np.ndarray,
    channel: np.ndarray,
    source: np.ndarray,
    campaign: np.ndarray,
    campaigns: Campaigns,
) -> pa.Array:
    """Page URLs; the landing page of a tagged session carries the utm query string.

    Built as a dictionary over the distinct (page, utm) combinations, so only a few thousand
    strings are formatted in Python.
    """
    n_src, n_ch, n_camp = len(vocab.UTM_SOURCES) + 1, len(vocab.CHANNELS) + 1, campaigns.n + 1
    src = np.where(tagged_landing, source + 1, 0)
    ch = np.where(tagged_landing, channel + 1, 0)
    camp = np.where(tagged_landing, campaign + 1, 0)
    key = ((page * n_src + src) * n_ch + ch) * n_camp + camp
    uniq, inverse = np.unique(key, return_inverse=True)
    camp_ids = campaigns.ids.to_pylist()
    strings = []
    for k in uniq.tolist():
        k, c = divmod(k, n_camp)
        k, h = divmod(k, n_ch)
        pg, sr = divmod(k, n_src)
        url = vocab.SITE_HOST + vocab.SITE_PAGES[pg][0]
        if h:
            medium = vocab.CHANNEL_INFO[vocab.CHANNELS[h - 1]].utm_medium
            url += f"?utm_source={vocab.UTM_SOURCES[sr - 1]}&utm_medium={medium}"
            url += f"&utm_campaign={camp_ids[c - 1]}" if c else ""
        strings.append(url)
    return pa.array(strings, type=pa.string()).take(pa.array(inverse.astype(np.int32)))


def visitor_sessions(
    rng: np.random.Generator,
    p: GeneratorParams,
    cal: Calendar,
    campaigns: Campaigns,
    n_visitors: int,
    anon_start: int,
) -> Sessions:
    """Browsers that are never identified: a few short sessions each, low intent."""
    per = 1 + rng.poisson(p.visitor_extra_sessions_mean, n_visitors)
    visitor, _ = expand(per)
    n = len(visitor)
    intent = rng.beta(p.visitor_intent_beta[0], p.visitor_intent_beta[1], n_visitors)[visitor]
    careers = (rng.random(n_visitors) < p.careers_visitor_share)[visitor]
    anchor = cal.sample_times(rng, n)
    channel = session_channels(rng, p, n)
    utm = utm_for(rng, p, cal, campaigns, channel, anchor)
    n_pages = 1 + rng.poisson(p.visitor_pages_base + p.visitor_pages_intent_coef * intent)
    return make_sessions(anon_start + visitor, anchor, False, n_pages, intent, utm, careers=careers)


def lead_browsing(
    rng: np.random.Generator,
    p: GeneratorParams,
    cal: Calendar,
    campaigns: Campaigns,
    created: np.ndarray,
    intent: np.ndarray,
    own_channel: np.ndarray,
    weight: np.ndarray,
    primary: np.ndarray,
    secondary: np.ndarray,
) -> Sessions:
    """Sessions of identified people (non-duplicate leads): before and after creation.

    ``primary`` / ``secondary`` are anonymous-id counters per lead (secondary -1 if none).
    ``weight`` is the mean-one session-rate multiplier from intent.
    """
    load = cal.load_us
    # before identification: on the primary browser, within pre_window_days before creation
    lo = np.maximum(cal.start_us, created - int(p.pre_window_days * DAY))
    hi = created - 30 * MINUTE
    n_pre = np.where(hi > lo, rng.poisson(p.pre_sessions_mean * weight), 0)
    lead, _ = expand(n_pre)
    pre_t = lo[lead] + (rng.random(len(lead)) * (hi[lead] - lo[lead])).astype(np.int64)
    pre_ch = session_channels(rng, p, len(lead), own_channel[lead])
    pre = make_sessions(
        primary[lead], pre_t, True, pages_per_session(rng, p, intent[lead]), intent[lead],
        utm_for(rng, p, cal, campaigns, pre_ch, pre_t),
    )  # fmt: skip
    # after identification: either browser
    span_days = np.clip((load - created) / DAY, 0.0, p.post_horizon_days)
    n_post = rng.poisson(p.post_sessions_per_30d * weight * span_days / 30.0)
    has_second = secondary >= 0
    n_post = n_post + has_second  # a second browser is seen at least once
    lead, pos = expand(n_post)
    post_t = created[lead] + 10 * MINUTE + (rng.random(len(lead)) * span_days[lead] * DAY).astype(np.int64)
    on_second = has_second[lead] & ((pos == 0) | (rng.random(len(lead)) < p.secondary_session_share))
    anon = np.where(on_second, secondary[lead], primary[lead])
    post_ch = session_channels(rng, p, len(lead), own_channel[lead])
    post = make_sessions(
        anon, post_t, False, pages_per_session(rng, p, intent[lead]), intent[lead],
        utm_for(rng, p, cal, campaigns, post_ch, post_t),
    )  # fmt: skip
    return Sessions.concat([pre, post])
