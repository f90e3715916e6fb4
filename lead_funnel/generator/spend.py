"""Daily ad spend of paid campaigns, driven by the leads each campaign produced."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from lead_funnel.generator import vocab
from lead_funnel.generator.arrays import mean_one_noise, rng_for, take
from lead_funnel.generator.params import GeneratorParams
from lead_funnel.generator.world import GLOBAL, S_SPEND, Calendar, Campaigns


def ad_spend_columns(
    p: GeneratorParams, cal: Calendar, campaigns: Campaigns, lead_counts: np.ndarray
) -> dict[str, pa.Array | np.ndarray]:
    """One row per window day and active paid campaign.

    spend = cost_per_lead[channel] * (w * actual leads + (1 - w) * expected leads) * noise, where the
    expected leads of a campaign-day are n_leads * day share * channel share / active campaigns of the
    channel that day. Summed over a channel, spend / leads recovers cost_per_lead.
    """
    rng = rng_for(p.seed, GLOBAL, S_SPEND)
    mix = dict(p.channel_mix)
    cpl = dict(p.cost_per_lead)
    cpc = dict(p.cost_per_click)
    ctr = dict(p.click_through_rate)
    paid = np.flatnonzero(campaigns.is_paid)
    epoch_days = cal.start_day + np.arange(cal.n_days)
    start = campaigns.start_day[paid][:, None]
    end = campaigns.end_day[paid][:, None]
    active = (start <= epoch_days[None, :]) & ((end < 0) | (end >= epoch_days[None, :]))
    day, slot = np.nonzero(active.T)  # ordered by day, then campaign
    camp = paid[slot]
    channel = campaigns.channel[camp]
    names = np.array(vocab.CHANNELS, dtype=object)[channel]
    share = np.array([mix.get(c, 0.0) for c in names])
    n_active = campaigns.active_count[channel, day]
    expected = p.n_leads * cal.day_density[day] * share / np.maximum(n_active, 1)
    actual = lead_counts[camp, day]
    driver = p.spend_actual_weight * actual + (1.0 - p.spend_actual_weight) * expected
    n = len(day)
    spend = np.round(
        np.array([cpl[c] for c in names]) * driver * mean_one_noise(rng, p.spend_noise_sigma, n), 2
    )
    clicks = np.round(spend / np.array([cpc[c] for c in names]) * mean_one_noise(rng, p.spend_noise_sigma, n))
    impressions = np.round(
        clicks / np.array([ctr[c] for c in names]) * mean_one_noise(rng, p.spend_noise_sigma, n)
    )
    clicks = clicks.astype(np.int64)
    return {
        "spend_date": epoch_days[day],
        "campaign_id": take(campaigns.ids, camp),
        "channel": take(vocab.CHANNELS, channel),
        "spend": spend,
        "impressions": np.maximum(impressions.astype(np.int64), clicks),
        "clicks": clicks,
    }
