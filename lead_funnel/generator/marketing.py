"""Form submissions, nurture email events and campaign memberships of one chunk."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from lead_funnel.generator import vocab
from lead_funnel.generator.arrays import (
    DAY,
    HOUR,
    MINUTE,
    NEVER,
    SECOND,
    categorical,
    decimal_ids,
    expand,
    group_exclusive_cumsum,
    hex_ids,
    lognormal_median,
    modulated,
    take,
)
from lead_funnel.generator.leads import LeadChunk
from lead_funnel.generator.params import GeneratorParams
from lead_funnel.generator.web import (
    EMAIL_LANDINGS,
    Sessions,
    make_sessions,
    pages_per_session,
    session_channels,
    utm_for,
)
from lead_funnel.generator.world import Calendar, Campaigns

# What a form offers: (form_type, asset_name or None, funnel stage, page path).
OFFERS: tuple[tuple[str, str | None, str, str], ...] = (
    ("newsletter", None, "tofu", vocab.NEWSLETTER_PATH),
    *(("content_download", name, stage, path) for name, stage, path in vocab.CONTENT_ASSETS),
    *(("webinar_registration", name, stage, path) for name, stage, path in vocab.WEBINAR_ASSETS),
    ("webinar_registration", "Event: booth registration", "mofu", "/events"),
    *((form, name, "bofu", path) for form, name, path in vocab.HAND_RAISE_FORMS),
)
_OFFER_FORM = np.array([vocab.FORM_TYPES.index(o[0]) for o in OFFERS])
_OFFER_ASSET = [o[1] for o in OFFERS]
_OFFER_STAGE = np.array([vocab.FUNNEL_STAGES.index(o[2]) for o in OFFERS])
_OFFER_PAGE = np.array([vocab.PAGE_INDEX[o[3]] for o in OFFERS])
_NEWSLETTER = 0
_CONTENT = np.arange(1, 1 + len(vocab.CONTENT_ASSETS))
_TOFU = _CONTENT[[s == "tofu" for _, s, _ in vocab.CONTENT_ASSETS]]
_MOFU = _CONTENT[[s == "mofu" for _, s, _ in vocab.CONTENT_ASSETS]]
_WEBINAR = np.arange(1 + len(vocab.CONTENT_ASSETS), 1 + len(vocab.CONTENT_ASSETS) + len(vocab.WEBINAR_ASSETS))
_EVENT = int(_WEBINAR[-1] + 1)
_HAND_RAISE = np.arange(_EVENT + 1, len(OFFERS))
# Webinar-acquired members: registered/attended; events: attended; other acquisition: responded.
_MEMBER_STATUSES = vocab.CAMPAIGN_MEMBER_STATUSES  # sent, registered, attended, responded
_NO_MEMBERSHIP = {vocab.CHANNEL_INDEX[c] for c in ("organic_search", "referral", "direct")}


def _pick(rng: np.random.Generator, options: np.ndarray, n: int) -> np.ndarray:
    return options[rng.integers(0, len(options), n)]


@dataclass
class FormResult:
    columns: dict[str, pa.Array | np.ndarray]
    sessions: Sessions
    n: int


def build_forms(
    rng: np.random.Generator,
    p: GeneratorParams,
    cal: Calendar,
    campaigns: Campaigns,
    lc: LeadChunk,
    hand_raise_t: np.ndarray,
    content_weight: np.ndarray,
    primary: np.ndarray,
    keys: dict[str, int],
    counter: int,
) -> FormResult:
    """Creating forms (every lead record), later content downloads and hand-raises, with their sessions."""
    n = lc.n
    real = ~lc.is_dup
    # creating form
    webinar = lc.channel == vocab.CHANNEL_INDEX["webinar"]
    event = lc.channel == vocab.CHANNEL_INDEX["events"]
    newsletter = rng.random(n) < p.newsletter_signup_share
    mofu = rng.random(n) < p.creating_mofu_share
    offer0 = np.where(mofu, _pick(rng, _MOFU, n), _pick(rng, _TOFU, n))
    offer0 = np.where(newsletter, _NEWSLETTER, offer0)
    offer0 = np.where(webinar, _pick(rng, _WEBINAR, n), np.where(event, _EVENT, offer0))
    anon0 = np.where(
        real,
        primary,
        np.where(rng.random(n) < p.duplicate_form_cookie_share, primary[np.maximum(lc.survivor, 0)], -1),
    )
    utm_channel0 = np.where(lc.has_utm, lc.channel, -1)

    # later content downloads and hand-raises (identified people only)
    load = cal.load_us
    span_days = np.clip((load - lc.created) / DAY, 0.0, p.post_horizon_days)
    n_cd = np.where(real, rng.poisson(p.content_downloads_per_30d * content_weight * span_days / 30.0), 0)
    cd_lead, _ = expand(n_cd)
    cd_t = (
        lc.created[cd_lead] + MINUTE + (rng.random(len(cd_lead)) * span_days[cd_lead] * DAY).astype(np.int64)
    )
    cd_offer = _pick(rng, _CONTENT, len(cd_lead))
    hr_lead = np.flatnonzero(real & (hand_raise_t < NEVER))
    hr_t = hand_raise_t[hr_lead]
    hr_mix = dict(p.hand_raise_form_mix)
    hr_offer = _HAND_RAISE[categorical(rng, [hr_mix[f] for f, _, _ in vocab.HAND_RAISE_FORMS], len(hr_lead))]
    later_lead = np.r_[cd_lead, hr_lead]
    later_t = np.r_[cd_t, hr_t]
    later_offer = np.r_[cd_offer, hr_offer]
    ok = later_t < load
    later_lead, later_t, later_offer = later_lead[ok], later_t[ok], later_offer[ok]
    later_channel = session_channels(rng, p, len(later_lead), lc.channel[later_lead])
    later_utm = utm_for(rng, p, cal, campaigns, later_channel, later_t)

    # all submissions
    lead = np.r_[np.arange(n), later_lead]
    t = np.r_[lc.created, later_t]
    offer = np.r_[offer0, later_offer]
    anon = np.r_[anon0, primary[later_lead]]
    utm_ch = np.r_[utm_channel0, later_utm[0]]
    utm_src = np.r_[lc.utm_source, later_utm[1]]
    utm_camp = np.r_[lc.campaign, later_utm[2]]
    order = np.lexsort((offer, t, lead))
    lead, t, offer, anon = lead[order], t[order], offer[order], anon[order]
    utm_ch, utm_src, utm_camp = utm_ch[order], utm_src[order], utm_camp[order]
    m = len(lead)
    medium_of = [vocab.CHANNEL_INFO[c].utm_medium for c in vocab.CHANNELS]
    cols: dict[str, pa.Array | np.ndarray] = {
        "submission_id": hex_ids(np.arange(counter, counter + m, dtype=np.uint64), keys["submission"], "fs_"),
        "lead_id": take(lc.ids, lead),
        "anonymous_id": hex_ids(np.maximum(anon, 0).astype(np.uint64), keys["anon"]).take(
            pa.array(np.arange(m), mask=anon < 0)
        ),
        "email": take(lc.email, lead),
        "form_type": take(vocab.FORM_TYPES, _OFFER_FORM[offer]),
        "asset_name": take(_OFFER_ASSET, offer, null_mask=np.array([a is None for a in _OFFER_ASSET])[offer]),
        "asset_funnel_stage": take(vocab.FUNNEL_STAGES, _OFFER_STAGE[offer]),
        "submitted_at": t,
        "utm_source": take(vocab.UTM_SOURCES, utm_src),
        "utm_medium": take(medium_of, utm_ch),
        "utm_campaign": take(campaigns.ids, utm_camp),
    }
    # the session of each submission (identified browser only), ending on the form page
    has_session = anon >= 0
    has_session &= ~lc.is_dup[lead]
    idx = np.flatnonzero(has_session)
    intent = lc.intent[lead[idx]]
    sessions = make_sessions(
        anon[idx], t[idx], True, pages_per_session(rng, p, intent), intent,
        (utm_ch[idx], utm_src[idx], utm_camp[idx]), final=_OFFER_PAGE[offer[idx]],
    )  # fmt: skip
    return FormResult(cols, sessions, m)


@dataclass
class EmailResult:
    events: dict[str, pa.Array | np.ndarray]
    members: dict[str, np.ndarray]  # nurture memberships: campaign, lead (local), status, created, responded
    clicks_lead: np.ndarray
    clicks_t: np.ndarray
    clicks_campaign: np.ndarray
    n_messages: int


_EMAIL_TYPES = vocab.EMAIL_EVENT_TYPES  # send, deliver, open, click, bounce, unsubscribe, spam


def build_email(
    rng: np.random.Generator,
    p: GeneratorParams,
    cal: Calendar,
    campaigns: Campaigns,
    lc: LeadChunk,
    intent_mean: float,
    keys: dict[str, int],
    message_counter: int,
    event_counter: int,
) -> EmailResult:
    """Nurture sends to identified leads; engagement follows intent; hard bounce/unsubscribe/spam stop."""
    load = cal.load_us
    send_at = campaigns.nurture_send_us
    first = np.searchsorted(send_at, lc.created, side="right")
    eligible = np.where(lc.is_dup, 0, len(send_at) - first)
    lead, pos = expand(eligible)
    k = first[lead] + pos
    chosen = rng.random(len(lead)) < p.nurture_audience_share
    lead, k = lead[chosen], k[chosen]
    n = len(lead)
    send_t = send_at[k] + (rng.random(n) * 2 * HOUR).astype(np.int64)
    bounced = rng.random(n) < p.email_bounce_rate
    hard = bounced & (rng.random(n) < p.hard_bounce_share)
    deliver_t = send_t + (rng.uniform(1, 120, n) * SECOND).astype(np.int64)
    intent = lc.intent[lead]
    opened = ~bounced & (rng.random(n) < modulated(p.email_open_rate, 0.4 + intent, 0.4 + intent_mean))
    open_t = deliver_t + (lognormal_median(rng, p.email_open_delay_median_hours, 1.2, n) * HOUR).astype(
        np.int64
    )
    clicked = opened & (rng.random(n) < modulated(p.email_click_rate, 0.3 + intent, 0.3 + intent_mean))
    click_t = open_t + (lognormal_median(rng, 40.0, 1.0, n) * SECOND).astype(np.int64)
    unsub = ~bounced & (rng.random(n) < p.email_unsubscribe_rate)
    unsub_t = np.maximum(deliver_t, np.where(opened, click_t, 0)) + (rng.uniform(1, 600, n) * SECOND).astype(
        np.int64
    )
    spam = ~bounced & ~unsub & (rng.random(n) < p.email_spam_rate)
    stop = hard | unsub | spam
    keep = group_exclusive_cumsum(lead, stop) == 0
    rows = np.flatnonzero(keep)

    ev_row, ev_type, ev_t = [], [], []
    for type_ix, mask, times in (
        (0, np.ones(n, dtype=bool), send_t),
        (1, ~bounced, deliver_t),
        (4, bounced, deliver_t),
        (2, opened, open_t),
        (3, clicked, click_t),
        (5, unsub, unsub_t),
        (6, spam, unsub_t),
    ):
        sel = rows[mask[rows] & (times[rows] < load)]
        ev_row.append(sel)
        ev_type.append(np.full(len(sel), type_ix))
        ev_t.append(times[sel])
    e_row = np.concatenate(ev_row)
    e_type = np.concatenate(ev_type)
    e_t = np.concatenate(ev_t)
    order = np.lexsort((e_t, e_row))
    e_row, e_type, e_t = e_row[order], e_type[order], e_t[order]
    # message ids: one per kept email (rank of the row among kept rows)
    msg_no = np.searchsorted(rows, e_row)
    campaign = campaigns.nurture[k]
    events = {
        "event_id": hex_ids(np.arange(event_counter, event_counter + len(e_row), dtype=np.uint64),
                            keys["email_event"], "ee_"),
        "campaign_id": take(campaigns.ids, campaign[e_row]),
        "message_id": hex_ids((message_counter + msg_no).astype(np.uint64), keys["message"], "msg_"),
        "lead_id": take(lc.ids, lead[e_row]),
        "event_type": take(_EMAIL_TYPES, e_type),
        "occurred_at": e_t,
    }  # fmt: skip
    responded = clicked[rows] & (click_t[rows] < load)
    members = {
        "campaign": campaign[rows],
        "lead": lead[rows],
        "status": np.where(responded, 3, 0),
        "created": send_t[rows],
        "responded": np.where(responded, click_t[rows], NEVER),
    }
    c = rows[responded]
    return EmailResult(events, members, lead[c], click_t[c], campaign[c], len(rows))


def email_click_sessions(
    rng: np.random.Generator,
    p: GeneratorParams,
    lc: LeadChunk,
    em: EmailResult,
    primary: np.ndarray,
    secondary: np.ndarray,
) -> Sessions:
    """Each nurture click opens a session tagged utm_medium=email with the nurture campaign."""
    n = len(em.clicks_lead)
    lead = em.clicks_lead
    use_second = (secondary[lead] >= 0) & (rng.random(n) < p.secondary_session_share)
    anon = np.where(use_second, secondary[lead], primary[lead])
    anchor = em.clicks_t + (rng.uniform(1, 20, n) * SECOND).astype(np.int64)
    intent = lc.intent[lead]
    utm = (
        np.full(n, vocab.CHANNEL_INDEX["email"]),
        np.full(n, vocab.UTM_SOURCE_INDEX[vocab.NURTURE_UTM_SOURCE]),
        em.clicks_campaign,
    )
    landing = EMAIL_LANDINGS[rng.integers(0, len(EMAIL_LANDINGS), n)]
    return make_sessions(anon, anchor, False, pages_per_session(rng, p, intent), intent, utm, landing=landing)


def campaign_members(
    rng: np.random.Generator,
    p: GeneratorParams,
    cal: Calendar,
    lc: LeadChunk,
    campaigns: Campaigns,
    em: EmailResult,
    counter: int,
) -> dict[str, pa.Array | np.ndarray]:
    """Acquisition memberships (lead created through a campaign) and nurture recipients."""
    acq = np.flatnonzero((lc.campaign >= 0) & ~np.isin(lc.channel, list(_NO_MEMBERSHIP)))
    ch = lc.channel[acq]
    attended = rng.random(len(acq)) < p.webinar_attend_rate
    status = np.where(
        ch == vocab.CHANNEL_INDEX["webinar"],
        np.where(attended, 2, 1),
        np.where(ch == vocab.CHANNEL_INDEX["events"], 2, 3),
    )
    campaign = np.r_[lc.campaign[acq], em.members["campaign"]]
    lead = np.r_[acq, em.members["lead"]]
    status = np.r_[status, em.members["status"]]
    created = np.r_[lc.created[acq], em.members["created"]]
    responded = np.r_[lc.created[acq], em.members["responded"]]
    order = np.lexsort((campaign, created))
    campaign, lead, status, created, responded = (
        campaign[order], lead[order], status[order], created[order], responded[order]
    )  # fmt: skip
    m = len(lead)
    resp_arr = pa.array(np.where(responded < NEVER, responded, 0), mask=responded >= NEVER, type=pa.int64())
    return {
        "campaign_member_id": decimal_ids(np.arange(counter, counter + m) + 1, "00v", 12),
        "campaign_id": take(campaigns.ids, campaign),
        "lead_id": take(lc.ids, lead),
        "status": take(_MEMBER_STATUSES, status),
        "created_at": created,
        "first_responded_at": resp_arr.view(pa.timestamp("us", tz="UTC")),
    }
