"""Lead records of one chunk: who they are, where they came from, their hidden fit and intent."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from lead_funnel.generator import vocab
from lead_funnel.generator.arrays import (
    DAY,
    NEVER,
    categorical,
    concat,
    decimal_ids,
    group_rank,
    logit,
    random_digits,
    sigmoid,
    take,
    where,
)
from lead_funnel.generator.params import GeneratorParams
from lead_funnel.generator.world import ROLE_AE, ROLE_SDR, Accounts, Calendar, Campaigns, Users, pick_team

_NAME_STRIDE = 7919  # prime, coprime with the 6,000 name combinations: distinct people per account
_SLUG_FIRST = pa.array([n.lower().replace(" ", "").replace("'", "") for n in vocab.FIRST_NAMES])
_SLUG_LAST = pa.array([n.lower().replace(" ", "").replace("'", "") for n in vocab.LAST_NAMES])


@dataclass
class LeadCore:
    """The latent part of a lead, shared by the chunks and the calibration sample."""

    created: np.ndarray  # int64 us
    channel: np.ndarray  # index into vocab.CHANNELS
    account: np.ndarray  # account index, -1 = no account
    seniority: np.ndarray  # index into vocab.SENIORITIES
    fit: np.ndarray  # [0, 1]
    intent: np.ndarray  # (0, 1)
    team: np.ndarray  # index into vocab.TEAMS


def draw_core(rng: np.random.Generator, p: GeneratorParams, acc: Accounts, created: np.ndarray) -> LeadCore:
    n = len(created)
    mix = dict(p.channel_mix)
    channel = categorical(rng, [mix.get(c, 0.0) for c in vocab.CHANNELS], n)
    has_account = rng.random(n) >= p.no_account_share
    account = np.where(has_account, np.searchsorted(acc.popularity_cdf, rng.random(n), side="right"), -1)
    account = np.minimum(account, acc.n - 1)
    sen_mix = dict(p.seniority_mix)
    seniority = categorical(rng, [sen_mix[s] for s in vocab.SENIORITIES], n)
    sen_fit = np.array([dict(p.seniority_fit)[s] for s in vocab.SENIORITIES])[seniority]
    acc_fit = np.where(has_account, acc.fit[np.maximum(account, 0)], p.no_account_fit)
    fit = p.lead_fit_account_weight * acc_fit + (1 - p.lead_fit_account_weight) * sen_fit
    shift = np.array([dict(p.intent_channel_shift).get(c, 0.0) for c in vocab.CHANNELS])[channel]
    base = rng.beta(p.intent_beta[0], p.intent_beta[1], n)
    intent = sigmoid(logit(base) + shift + p.intent_fit_shift * (fit - 0.5))
    team = np.where(has_account, acc.team[np.maximum(account, 0)], pick_team(rng, p, n))
    return LeadCore(created, channel, account, seniority, fit, intent, team)


@dataclass
class LeadChunk(LeadCore):
    """One chunk of lead records with everything the other tables need."""

    first_index: int  # global index of the first lead of the chunk
    n: int
    ids: pa.Array
    is_dup: np.ndarray
    survivor: np.ndarray  # local index of the survivor for duplicates, -1 otherwise
    merge_t: np.ndarray  # NEVER unless duplicate
    campaign: np.ndarray  # acquisition campaign, -1 = none
    has_utm: np.ndarray  # the creating visit carried utm parameters
    utm_source: np.ndarray  # index into vocab.UTM_SOURCES, -1 = none
    owner: np.ndarray  # SDR user index
    ae: np.ndarray  # AE user index (opportunity owner)
    is_deleted: np.ndarray
    email: pa.Array  # as stored on the lead record
    email_clean: pa.Array  # canonical lower-case address
    first_name: pa.Array
    last_name: pa.Array
    phone: pa.Array
    title: pa.Array


def _dedupe_people(
    rng: np.random.Generator, p: GeneratorParams, cal: Calendar, created: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Pick duplicate slots, their survivors, and the duplicates' creation and merge times."""
    n = len(created)
    is_dup = rng.random(n) < p.duplicate_share
    candidates = np.flatnonzero(~is_dup)
    if len(candidates) == 0:
        is_dup[:] = False
        candidates = np.arange(n)
    survivor = np.full(n, -1, dtype=np.int64)
    n_dup = int(is_dup.sum())
    survivor[is_dup] = candidates[rng.integers(0, len(candidates), n_dup)]
    s_created = created[survivor[is_dup]]
    d_created = s_created + (rng.exponential(p.duplicate_delay_days, n_dup) * DAY).astype(np.int64)
    late = d_created >= cal.load_us
    d_created[late] = s_created[late] + (
        rng.random(int(late.sum())) * (cal.load_us - s_created[late])
    ).astype(np.int64)
    merge = d_created + (rng.exponential(p.merge_delay_days, n_dup) * DAY).astype(np.int64)
    late = merge >= cal.load_us
    merge[late] = d_created[late] + (rng.random(int(late.sum())) * (cal.load_us - d_created[late])).astype(
        np.int64
    )
    created = created.copy()
    created[is_dup] = d_created
    merge_t = np.full(n, NEVER, dtype=np.int64)
    merge_t[is_dup] = merge
    return is_dup, survivor, created, merge_t


def _copy_from_survivor(values: np.ndarray, is_dup: np.ndarray, survivor: np.ndarray) -> np.ndarray:
    out = values.copy()
    out[is_dup] = values[survivor[is_dup]]
    return out


def _email_variants(
    rng: np.random.Generator, email: pa.Array, is_dup: np.ndarray, typo_share: float
) -> pa.Array:
    """Emails as typed: duplicates differ from the survivor by case/whitespace; a few are capitalised."""
    variant = rng.integers(0, 4, len(email))
    dup_email = pc.case_when(
        pc.make_struct(pa.array(variant == 0), pa.array(variant == 1), pa.array(variant == 2)),
        pc.utf8_upper(email),
        concat(" ", email),
        concat(email, " "),
        concat(pc.utf8_capitalize(email), "  "),
    )
    typo = (rng.random(len(email)) < typo_share) & ~is_dup
    typed = where(typo, pc.utf8_capitalize(email), email)
    return where(is_dup, dup_email, typed)


def build_lead_chunk(
    rng: np.random.Generator,
    p: GeneratorParams,
    cal: Calendar,
    acc: Accounts,
    users: Users,
    campaigns: Campaigns,
    created_sorted: np.ndarray,
    first_index: int,
    account_counter: np.ndarray,
) -> LeadChunk:
    """Lead records for global indexes first_index .. first_index + len(created_sorted)."""
    n = len(created_sorted)
    is_dup, survivor, created, merge_t = _dedupe_people(rng, p, cal, created_sorted)
    core = draw_core(rng, p, acc, created)
    # the duplicate is the same person: same account, title, fit, intent, team
    for name in ("account", "seniority", "fit", "intent", "team"):
        setattr(core, name, _copy_from_survivor(getattr(core, name), is_dup, survivor))
    day = cal.day_index(created)
    campaign = campaigns.pick(rng, core.channel, day)
    organic = core.channel == vocab.CHANNEL_INDEX["organic_search"]
    direct = core.channel == vocab.CHANNEL_INDEX["direct"]
    has_utm = ~direct & (~organic | (rng.random(n) < p.organic_utm_share))
    campaign = np.where(has_utm, campaign, -1)
    utm_source = pick_utm_source(rng, core.channel)
    utm_source = np.where(has_utm, utm_source, -1)
    owner = _copy_from_survivor(users.pick(rng, core.team, ROLE_SDR), is_dup, survivor)
    ae = users.pick(rng, core.team, ROLE_AE)
    is_deleted = (rng.random(n) < p.deleted_share) & ~is_dup

    # people: distinct (first, last) per account via a per-account running counter
    has_acc = core.account >= 0
    person = np.zeros(n, dtype=np.int64)
    new_people = has_acc & ~is_dup
    acc_ix = core.account[new_people]
    rank = group_rank(acc_ix)
    k = account_counter[acc_ix] + rank
    np.add.at(account_counter, acc_ix, 1)
    offset = (acc_ix * 2654435761) % vocab.N_NAME_COMBOS
    person[new_people] = (offset + k * _NAME_STRIDE) % vocab.N_NAME_COMBOS
    clash = np.zeros(n, dtype=np.int64)
    clash[new_people] = k // vocab.N_NAME_COMBOS
    person[~has_acc] = rng.integers(0, vocab.N_NAME_COMBOS, int((~has_acc).sum()))
    person = _copy_from_survivor(person, is_dup, survivor)
    clash = _copy_from_survivor(clash, is_dup, survivor)
    first = person % len(vocab.FIRST_NAMES)
    last = person // len(vocab.FIRST_NAMES)
    global_no = np.arange(first_index, first_index + n) + 1
    global_no = _copy_from_survivor(global_no, is_dup, survivor)
    local = concat(take(_SLUG_FIRST, first), ".", take(_SLUG_LAST, last))
    local = where(clash > 0, concat(local, decimal_ids(clash, "", 3)), local)
    domain = take(acc.domains, np.maximum(core.account, 0))
    email_clean = where(
        has_acc,
        concat(local, "@", domain),
        concat(local, ".", decimal_ids(global_no, "", 9), vocab.NO_ACCOUNT_DOMAIN),
    )
    email = _email_variants(rng, email_clean, is_dup, p.email_typo_share)

    titles = [t for s in vocab.SENIORITIES for t in vocab.TITLES[s]]
    title_start = np.cumsum([0] + [len(vocab.TITLES[s]) for s in vocab.SENIORITIES])
    title_count = np.diff(title_start)
    title_ix = title_start[core.seniority] + (rng.random(n) * title_count[core.seniority]).astype(np.int64)
    title_ix = _copy_from_survivor(title_ix, is_dup, survivor)
    title = take(titles, title_ix, null_mask=rng.random(n) < p.title_missing_share)
    title = where(rng.random(n) < p.title_lowercase_share, pc.utf8_lower(title), title)

    country = np.where(
        has_acc, acc.country[np.maximum(core.account, 0)], rng.integers(0, len(vocab.COUNTRIES), n)
    )
    prefixes = [vocab.COUNTRY_PHONE_PREFIX[c] for c in vocab.COUNTRIES]
    phone = concat(
        take(prefixes, country), " ", random_digits(rng, n, 3), " ", random_digits(rng, n, 3), " ",
        random_digits(rng, n, 4),
    )  # fmt: skip
    phone_missing = rng.random(n) < p.phone_missing_share
    phone = take(phone, np.arange(n), null_mask=phone_missing)

    return LeadChunk(
        created=created,
        channel=core.channel,
        account=core.account,
        seniority=core.seniority,
        fit=core.fit,
        intent=core.intent,
        team=core.team,
        first_index=first_index,
        n=n,
        ids=decimal_ids(np.arange(first_index, first_index + n) + 1, "00Q", 12),
        is_dup=is_dup,
        survivor=survivor,
        merge_t=merge_t,
        campaign=campaign,
        has_utm=has_utm,
        utm_source=utm_source,
        owner=owner,
        ae=ae,
        is_deleted=is_deleted,
        email=email,
        email_clean=email_clean,
        first_name=take(vocab.FIRST_NAMES, first),
        last_name=take(vocab.LAST_NAMES, last),
        phone=phone,
        title=title,
    )


_CHANNEL_SOURCES = [
    np.array([vocab.UTM_SOURCE_INDEX[s] for s in vocab.CHANNEL_INFO[c].utm_sources] or [-1])
    for c in vocab.CHANNELS
]
_SOURCE_TABLE = np.full((len(vocab.CHANNELS), max(len(s) for s in _CHANNEL_SOURCES)), -1, dtype=np.int64)
for _i, _s in enumerate(_CHANNEL_SOURCES):
    _SOURCE_TABLE[_i, : len(_s)] = _s
_SOURCE_COUNT = np.array([len(s) for s in _CHANNEL_SOURCES])


def pick_utm_source(rng: np.random.Generator, channel: np.ndarray) -> np.ndarray:
    """A utm_source index valid for the channel (-1 for direct)."""
    slot = (rng.random(len(channel)) * _SOURCE_COUNT[channel]).astype(np.int64)
    return _SOURCE_TABLE[channel, slot]


def lead_columns(
    lc: LeadChunk, status: pa.Array, updated: np.ndarray, users: Users, acc: Accounts
) -> dict[str, pa.Array | np.ndarray]:
    """The leads table rows of a chunk, given the final status and last-change time per lead."""
    merged_into = take(lc.ids, np.where(lc.is_dup, lc.survivor, 0), null_mask=~lc.is_dup)
    return {
        "lead_id": lc.ids,
        "email": lc.email,
        "first_name": lc.first_name,
        "last_name": lc.last_name,
        "phone": lc.phone,
        "title": lc.title,
        "account_id": take(acc.ids, lc.account),
        "owner_id": take(users.ids, lc.owner),
        "lead_source": take([vocab.CHANNEL_INFO[c].lead_source for c in vocab.CHANNELS], lc.channel),
        "status": status,
        "created_at": lc.created,
        "updated_at": updated,
        "is_deleted": lc.is_deleted,
        "merged_into_lead_id": merged_into,
    }
