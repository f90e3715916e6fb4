"""All generative parameters of the synthetic raw data, in one frozen dataclass.

Mixes and per-channel values are tuples of ``(name, value)`` pairs so the dataclass stays
immutable and hashable; ``dict(params.channel_mix)`` gives a mapping. Every default is
documented in ``docs/generator.md``. Rates named ``*_rate`` are *expected shares* that the
generated data reproduces (up to sampling noise and censoring at the load time), because
per-lead modulations are normalised to keep the population mean at the stated rate.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from lead_funnel.generator import vocab

Pairs = tuple[tuple[str, float], ...]
Window = tuple[float, float, float]  # (share, low, high)

_MIX_TOLERANCE = 1e-6


@dataclass(frozen=True)
class GeneratorParams:
    """Every knob of the generator. Defaults give a plausible mid-market B2B SaaS funnel."""

    # ----------------------------------------------------------------- run
    n_leads: int = 20_000  # lead records (including ~1% duplicates that get merged)
    seed: int = 42  # root of every random stream
    start_date: date = date(2025, 10, 1)  # first day of the window (00:00 UTC)
    days: int = 365  # window length; load_time = start_date + days at 00:00 UTC
    crm_vocabulary: str = "salesforce"  # salesforce | hubspot | marketo (lead status names)
    chunk_size: int = 50_000  # leads per chunk; part of the random streams (changing it changes the data)
    lookback_days: int = 730  # accounts/users/campaigns may predate the window by up to this

    # --------------------------------------------------------- lead volume
    # Relative lead volume per weekday, Monday..Sunday.
    weekday_weights: tuple[float, ...] = (1.0, 1.08, 1.1, 1.05, 0.85, 0.22, 0.18)
    # Relative lead volume per calendar month, January..December.
    month_weights: tuple[float, ...] = (1.0, 1.0, 1.05, 1.0, 1.0, 0.95, 0.85, 0.8, 1.05, 1.1, 1.05, 0.8)
    # Relative volume per hour of the day (UTC), 0..23.
    hour_weights: tuple[float, ...] = (
        0.15, 0.12, 0.1, 0.1, 0.12, 0.2, 0.35, 0.6, 0.9, 1.1, 1.2, 1.2,
        1.15, 1.2, 1.25, 1.25, 1.2, 1.1, 0.9, 0.7, 0.5, 0.4, 0.3, 0.2,
    )  # fmt: skip
    annual_trend: float = 0.25  # linear growth: daily volume x (1 + annual_trend * day / 365)

    # ------------------------------------------------------------ accounts
    leads_per_account: float = 4.0  # n_accounts = n_leads / leads_per_account
    # Industry mix of accounts.
    industry_mix: Pairs = (
        ("software", 0.20), ("financial_services", 0.12), ("healthcare", 0.10), ("manufacturing", 0.12),
        ("retail", 0.10), ("education", 0.08), ("professional_services", 0.10), ("media", 0.06),
        ("public_sector", 0.05), ("other", 0.07),
    )  # fmt: skip
    # Industry component of the account fit (ICP industries software, financial_services, healthcare = 1).
    industry_fit: Pairs = (
        ("software", 1.0), ("financial_services", 1.0), ("healthcare", 1.0), ("manufacturing", 0.6),
        ("retail", 0.4), ("education", 0.3), ("professional_services", 0.6), ("media", 0.4),
        ("public_sector", 0.2), ("other", 0.2),
    )  # fmt: skip
    # Country mix of accounts (the country sets the sales team).
    country_mix: Pairs = (
        ("US", 0.45), ("GB", 0.10), ("DE", 0.08), ("FR", 0.06), ("NL", 0.03), ("CA", 0.06), ("AU", 0.05),
        ("IN", 0.08), ("BR", 0.04), ("JP", 0.05),
    )  # fmt: skip
    # Country component of the account fit.
    country_fit: Pairs = (
        ("US", 1.0), ("GB", 1.0), ("DE", 0.9), ("FR", 0.8), ("NL", 0.9), ("CA", 1.0), ("AU", 0.9),
        ("IN", 0.5), ("BR", 0.5), ("JP", 0.7),
    )  # fmt: skip
    employee_log_mean: float = 5.0  # employee_count ~ LogNormal(mu, sigma): median ~150
    employee_log_sigma: float = 1.6  # log-sd of employee_count
    # Size-band component of the fit: (upper employee bound, fit); last band is open-ended.
    size_band_fit: tuple[tuple[float, float], ...] = (
        (50, 0.2), (200, 0.6), (1000, 1.0), (5000, 0.9), (float("inf"), 0.7),
    )  # fmt: skip
    fit_weight_industry: float = 0.45  # account fit = normalised weighted sum of the three components
    fit_weight_size: float = 0.35  # weight of the size-band score
    fit_weight_country: float = 0.20  # weight of the country score
    revenue_per_employee_usd: float = 200_000.0  # annual_revenue = employees x this x LogNormal(0, 0.35)
    revenue_noise_sigma: float = 0.35  # log-sd of revenue per employee
    employee_count_missing_share: float = 0.02  # employee_count null
    annual_revenue_missing_share: float = 0.05  # annual_revenue null
    target_account_share: float = 0.05  # is_target_account share; P ~ fit^3 (skewed to high fit)
    account_popularity_exponent: float = 0.3  # P(lead picks account) ~ employee_count ^ this

    # --------------------------------------------------------------- users
    leads_per_rep: int = 400  # n_users = max(min_users, round(n_leads / leads_per_rep))
    min_users: int = 9  # each team needs a manager, an SDR and an AE
    # share of users per team (teams follow the account country)
    team_mix: Pairs = (("na", 0.5), ("emea", 0.3), ("apac", 0.2))
    reps_per_manager: int = 8  # one manager per this many reps (at least one per team)
    sdr_share_of_reps: float = 0.6  # the rest are AEs
    inactive_user_share: float = 0.08  # users.is_active false
    user_hired_in_window_share: float = 0.15  # users created during the window

    # --------------------------------------------------------------- leads
    # Acquisition channel mix (contract CHANNELS); leads.lead_source follows lead_source_channels.csv.
    channel_mix: Pairs = (
        ("paid_search", 0.22), ("paid_social", 0.12), ("display", 0.05), ("organic_search", 0.18),
        ("email", 0.06), ("webinar", 0.07), ("events", 0.05), ("referral", 0.06), ("partner", 0.05),
        ("direct", 0.08), ("content_syndication", 0.06),
    )  # fmt: skip
    # Seniority of leads (the title is drawn within the seniority).
    seniority_mix: Pairs = (
        ("c_level", 0.05), ("vp", 0.10), ("director", 0.18), ("manager", 0.27),
        ("individual_contributor", 0.35), ("student", 0.05),
    )  # fmt: skip
    # Seniority component of the lead fit.
    seniority_fit: Pairs = (
        ("c_level", 1.0), ("vp", 0.9), ("director", 0.8), ("manager", 0.6),
        ("individual_contributor", 0.35), ("student", 0.0),
    )  # fmt: skip
    lead_fit_account_weight: float = 0.7  # lead fit = w * account fit + (1 - w) * seniority fit
    no_account_share: float = 0.03  # leads without an account (personal email domain)
    no_account_fit: float = 0.1  # account fit used for them
    duplicate_share: float = 0.01  # records that duplicate another person and get merged into it
    duplicate_delay_days: float = 20.0  # mean delay of the duplicate record after the survivor
    merge_delay_days: float = 3.0  # mean delay of the merge after the duplicate was created
    deleted_share: float = 0.005  # is_deleted
    phone_missing_share: float = 0.10  # phone null
    title_missing_share: float = 0.05  # title null
    title_lowercase_share: float = 0.05  # titles typed in lower case
    email_typo_share: float = 0.03  # lead emails stored capitalised (as typed; the forms carry the same)

    # -------------------------------------------------------------- intent
    intent_beta: tuple[float, float] = (2.0, 5.0)  # base intent ~ Beta(a, b) (mean 0.29)
    # Shift of the intent on the logit scale by acquisition channel.
    intent_channel_shift: Pairs = (
        ("paid_search", 0.3), ("paid_social", -0.2), ("display", -0.5), ("organic_search", 0.0),
        ("email", -0.1), ("webinar", 0.3), ("events", 0.5), ("referral", 0.8), ("partner", 0.4),
        ("direct", 0.4), ("content_syndication", -0.6),
    )  # fmt: skip
    intent_fit_shift: float = 1.5  # logit(intent) += this * (fit - 0.5)

    # ---------------------------------------------------------- lifecycle
    # Expected share of lead records (merged duplicates excluded) that reach MQL at least once
    # before load_time. The generator calibrates the MQL score intercept to hit the midpoint.
    mql_rate_range: tuple[float, float] = (0.20, 0.30)
    mql_fit_coef: float = 3.0  # P(score MQL) = sigmoid(a + fit_coef (fit - .5) + intent_coef (intent - .3))
    mql_intent_coef: float = 4.0  # intent coefficient of the MQL score (see mql_fit_coef)
    mql_delay_median_hours: float = 48.0  # score MQL delay after creation ~ LogNormal(median, sigma)
    mql_delay_sigma: float = 1.0  # log-sd of the score MQL delay
    hand_raise_rate: float = 0.06  # share of leads that ever submit a bofu form; P ~ intent x (0.3 + fit)
    hand_raise_delay_mean_days: float = 20.0  # exponential delay after creation; MQL at hand-raise time
    # First sales response after an MQL: (share, low minutes, high minutes), log-uniform inside a bucket.
    response_time_mixture: tuple[Window, ...] = (
        (0.20, 0.5, 5.0), (0.25, 5.0, 60.0), (0.30, 60.0, 1440.0), (0.15, 1440.0, 14400.0),
    )  # fmt: skip
    never_touched_share: float = 0.10  # MQLs never touched (shares above + this = 1)
    sal_rate_given_touched: float = 0.85  # the SDR accepts (SAL) after the first touch
    sal_delay_max_hours: float = 48.0  # SAL uniformly within this after the first touch
    # MQLs not accepted (untouched, or rejected at the first touch) go back to nurture with this rate;
    # the others stay MQL (untouched) or are disqualified (rejected).
    not_accepted_recycle_rate: float = 0.6
    not_accepted_delay_days: tuple[float, float] = (30.0, 60.0)  # untouched: recycled by automation after
    sql_rate_given_sal: float = 0.45  # P(SQL | SAL), modulated by (0.15 + intent) x (0.25 + fit)
    sal_exit_mix: tuple[float, float, float] = (0.55, 0.35, 0.10)  # non-SQL SALs: recycle, disqualify, stay
    sal_exit_median_days: float = 10.0  # time from SAL to SQL / exit ~ LogNormal(median, stage_delay_sigma)
    opportunity_rate_given_sql: float = 0.65  # P(converted to an opportunity | SQL); 0 without account
    sql_exit_mix: tuple[float, float, float] = (0.40, 0.50, 0.10)  # non-converted SQLs: recycle, disq., stay
    sql_exit_median_days: float = 6.0  # time from SQL to opportunity / exit
    stage_delay_sigma: float = 0.8  # log-sd of the SAL->SQL/exit and SQL->opportunity/exit delays
    rejected_exit_max_days: float = 3.0  # MQLs rejected at first touch are recycled/disqualified within this
    same_timestamp_share: float = 0.03  # SAL->SQL and SQL->Converted changes with zero delay
    repeated_status_share: float = 0.02  # extra history rows repeating the current value (old = new)
    remql_rate: float = 0.35  # recycled leads that re-MQL later (modulated by 0.5 + intent)
    remql_delay_median_days: float = 45.0  # recycle -> re-MQL ~ LogNormal(median, remql_delay_sigma)
    remql_delay_sigma: float = 0.7  # log-sd of the re-MQL delay
    max_mql_cycles: int = 3  # MQL cycles per lead at most (first MQL + re-MQLs)
    follow_up_mean: float = 2.5  # SDR follow-up touches per touched MQL cycle ~ Poisson
    follow_up_horizon_days: float = 45.0  # follow-ups of cycles without an exit stop after this
    # activity_type of the first touch
    first_touch_type_mix: Pairs = (("call", 0.5), ("email", 0.5), ("meeting", 0.0))
    # activity_type of follow-ups
    follow_up_type_mix: Pairs = (("call", 0.45), ("email", 0.45), ("meeting", 0.10))
    ae_meetings_mean: float = 2.0  # AE meetings with the primary lead during an opportunity

    # -------------------------------------------------------- opportunities
    win_rate: float = 0.28  # P(Closed Won | opportunity), modulated by (0.3 + fit)
    sales_cycle_median_days: float = 45.0  # opportunity created -> close ~ LogNormal(median, sigma)
    sales_cycle_sigma: float = 0.6  # log-sd of the sales cycle
    lost_stage_mix: tuple[float, float, float, float] = (0.25, 0.35, 0.25, 0.15)  # last open stage of lost
    amount_median_usd: float = 24_000.0  # median deal at 200 employees
    amount_size_elasticity: float = 0.35  # amount ~ median * (employees / 200) ^ elasticity
    amount_sigma: float = 0.6  # log-sd of the amount
    amount_missing_share: float = 0.02  # amount null
    local_currency_share: float = 0.6  # GB deals in GBP, DE/FR/NL deals in EUR; rest USD
    fx_per_usd: Pairs = (("USD", 1.0), ("EUR", 0.92), ("GBP", 0.79))  # amount in deal currency = USD x rate
    open_close_date_missing_share: float = 0.1  # open deals in Prospecting without an expected close date

    # ------------------------------------------------------------ marketing
    # Cost per lead of the paid channels (USD); ad_spend = leads x CPL x noise, so CPL ratios are recoverable.
    cost_per_lead: Pairs = (
        ("paid_search", 120.0), ("paid_social", 180.0), ("display", 260.0),
        ("content_syndication", 85.0), ("events", 420.0),
    )  # fmt: skip
    # Cost per click per paid channel: ad_spend.clicks = spend / CPC x noise.
    cost_per_click: Pairs = (
        ("paid_search", 4.0), ("paid_social", 6.5), ("display", 1.2),
        ("content_syndication", 3.0), ("events", 25.0),
    )  # fmt: skip
    # Click-through rate per paid channel: impressions = clicks / CTR x noise.
    click_through_rate: Pairs = (
        ("paid_search", 0.04), ("paid_social", 0.008), ("display", 0.002),
        ("content_syndication", 0.01), ("events", 0.02),
    )  # fmt: skip
    # Daily spend = CPL x (w x actual leads + (1 - w) x expected leads) x noise, w = spend_actual_weight.
    spend_actual_weight: float = 0.5
    spend_noise_sigma: float = 0.25  # mean-one LogNormal noise on daily spend, clicks, impressions
    # Acquisition campaigns per calendar quarter and channel (organic_search and referral get one
    # evergreen campaign, direct none).
    campaigns_per_quarter: Pairs = (
        ("paid_search", 3), ("paid_social", 2), ("display", 2), ("email", 1), ("webinar", 2), ("events", 1),
        ("partner", 1), ("content_syndication", 2),
    )  # fmt: skip
    newsletter_signup_share: float = 0.35  # creating forms that are newsletter sign-ups (not webinar/events)
    creating_mofu_share: float = 0.4  # creating content downloads with a mofu asset
    # form_type of hand-raises (bofu).
    hand_raise_form_mix: Pairs = (("demo_request", 0.5), ("contact_sales", 0.3), ("free_trial", 0.2))
    content_downloads_per_30d: float = 0.25  # later content downloads ~ Poisson, modulated by 0.3 + intent
    webinar_attend_rate: float = 0.45  # webinar-acquired members that attend
    nurture_send_interval_days: int = 14  # one nurture email campaign every N days
    nurture_audience_share: float = 0.5  # each nurture send reaches this share of eligible leads
    email_bounce_rate: float = 0.03  # of sent
    hard_bounce_share: float = 0.3  # hard bounces stop further sends
    email_open_rate: float = 0.25  # of delivered, modulated by 0.4 + intent
    email_click_rate: float = 0.15  # of opened, modulated by 0.3 + intent
    email_open_delay_median_hours: float = 3.0  # deliver -> open ~ LogNormal(median, 1.2); click ~40 s later
    email_unsubscribe_rate: float = 0.004  # of delivered; stops further sends
    email_spam_rate: float = 0.0005  # of delivered; stops further sends

    # ------------------------------------------------------------------ web
    secondary_browser_share: float = 0.15  # leads with a second browser (identified at its first visit)
    secondary_session_share: float = 0.4  # later sessions / email clicks of such people on the second browser
    duplicate_form_cookie_share: float = 0.5  # duplicates whose creating form carries the survivor's cookie
    pre_sessions_mean: float = 2.0  # anonymous sessions before the creating form ~ Poisson, x intent weight
    pre_window_days: float = 45.0  # ... within this many days before lead creation
    post_sessions_per_30d: float = 1.2  # sessions after creation ~ Poisson, x intent weight
    post_horizon_days: float = 180.0  # ... within this many days after creation
    pages_per_session_base: float = 1.5  # pageviews = 1 + Poisson(base + intent_coef * intent)
    pages_per_session_intent_coef: float = 3.0  # intent coefficient of pages per session
    page_gap_mean_seconds: float = 50.0  # time between pageviews ~ Exponential
    session_own_channel_share: float = 0.35  # later sessions arriving via the lead's own channel
    # Channel mix of other sessions (and of never-identified visitors).
    browse_channel_mix: Pairs = (
        ("organic_search", 0.45), ("direct", 0.30), ("paid_search", 0.08), ("paid_social", 0.06),
        ("display", 0.04), ("referral", 0.05), ("content_syndication", 0.02),
    )  # fmt: skip
    organic_utm_share: float = 0.4  # organic sessions/forms that carry utm_medium=organic (else no utm)
    anonymous_visitors_per_lead: float = 2.0  # never-identified visitors per lead record
    visitor_extra_sessions_mean: float = 0.4  # visitor sessions = 1 + Poisson(this)
    visitor_intent_beta: tuple[float, float] = (1.2, 6.0)  # intent of never-identified visitors ~ Beta(a, b)
    visitor_pages_base: float = 0.8  # visitor pageviews per session = 1 + Poisson(base + coef * intent)
    visitor_pages_intent_coef: float = 1.5  # intent coefficient of visitor pages per session
    careers_visitor_share: float = 0.05  # visitors who only look at careers pages
    # Page category mixes for low and high intent; a pageview uses the high mix with P = intent.
    page_mix_low: Pairs = (
        ("home", 0.15), ("pricing", 0.03), ("product", 0.08), ("blog", 0.40), ("docs", 0.09),
        ("careers", 0.04), ("contact", 0.01), ("case_study", 0.03), ("other", 0.17),
    )  # fmt: skip
    page_mix_high: Pairs = (
        ("home", 0.08), ("pricing", 0.22), ("product", 0.25), ("blog", 0.08), ("docs", 0.10),
        ("careers", 0.0), ("contact", 0.10), ("case_study", 0.12), ("other", 0.05),
    )  # fmt: skip

    # ---------------------------------------------------------- loading
    load_delay_mean_hours: float = 6.0  # loaded_at = occurred + Exponential(mean) (same or next day)
    late_event_share: float = 0.01  # events loaded late ...
    late_delay_days: tuple[float, float] = (2.0, 10.0)  # ... uniformly this many days after occurring
    redelivered_share: float = 0.005  # events delivered again (same id, later loaded_at)
    redelivery_delay_hours: tuple[float, float] = (1.0, 72.0)  # copy loaded this much after the original

    def __post_init__(self) -> None:
        _validate(self)

    # ------------------------------------------------------------ derived
    @property
    def load_time(self) -> datetime:
        """End of the window (exclusive): every timestamp is before it."""
        return datetime(self.start_date.year, self.start_date.month, self.start_date.day, tzinfo=UTC) + (
            timedelta(days=self.days)
        )

    @property
    def window_start(self) -> datetime:
        return datetime(self.start_date.year, self.start_date.month, self.start_date.day, tzinfo=UTC)

    @property
    def mql_rate_target(self) -> float:
        """Share of non-merged lead records reaching MQL the generator calibrates to."""
        return (self.mql_rate_range[0] + self.mql_rate_range[1]) / 2

    @property
    def touched_within_24h_share(self) -> float:
        """Expected share of MQLs whose first sales touch is within 24 hours of the MQL."""
        return sum(share for share, _lo, hi in self.response_time_mixture if hi <= 1440.0)

    @property
    def n_accounts(self) -> int:
        return max(10, round(self.n_leads / self.leads_per_account))

    @property
    def n_users(self) -> int:
        return max(self.min_users, round(self.n_leads / self.leads_per_rep))

    def cost_per_lead_ratio(self, channel_a: str, channel_b: str) -> float:
        """Documented CPL ratio between two paid channels (a / b)."""
        cpl = dict(self.cost_per_lead)
        return cpl[channel_a] / cpl[channel_b]

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly dict of every field (dates as ISO strings, tuples as lists)."""
        out: dict[str, Any] = {}
        for f in dataclasses.fields(self):
            out[f.name] = _jsonable(getattr(self, f.name))
        return out


def _jsonable(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, float) and value == float("inf"):
        return "inf"
    return value


def _check_mix(
    name: str, pairs: Pairs, allowed: tuple[str, ...], *, total: float | None = 1.0, signed: bool = False
) -> None:
    names = [k for k, _ in pairs]
    unknown = sorted(set(names) - set(allowed))
    if unknown:
        raise ValueError(f"{name}: unknown keys {unknown}")
    if len(set(names)) != len(names):
        raise ValueError(f"{name}: duplicate keys")
    if not signed and any(v < 0 for _, v in pairs):
        raise ValueError(f"{name}: negative value")
    if total is not None and abs(sum(v for _, v in pairs) - total) > _MIX_TOLERANCE:
        raise ValueError(f"{name}: values must sum to {total}")


def _check_share(name: str, value: float) -> None:
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"{name} must be within [0, 1], got {value}")


def _validate(p: GeneratorParams) -> None:
    if p.n_leads < 1:
        raise ValueError("n_leads must be >= 1")
    if p.days < 7:
        raise ValueError("days must be >= 7")
    if p.chunk_size < 100:
        raise ValueError("chunk_size must be >= 100")
    if p.crm_vocabulary not in vocab.CRM_VOCABULARIES:
        raise ValueError(f"crm_vocabulary must be one of {vocab.CRM_VOCABULARIES}")
    if p.start_date - timedelta(days=p.lookback_days) < date(2000, 1, 1):
        raise ValueError("start_date - lookback_days must not be before 2000-01-01")
    if len(p.weekday_weights) != 7 or len(p.month_weights) != 12 or len(p.hour_weights) != 24:
        raise ValueError("weekday/month/hour weights need 7/12/24 values")
    channels = vocab.CHANNELS
    _check_mix("channel_mix", p.channel_mix, channels)
    _check_mix("browse_channel_mix", p.browse_channel_mix, channels)
    _check_mix("intent_channel_shift", p.intent_channel_shift, channels, total=None, signed=True)
    _check_mix("industry_mix", p.industry_mix, vocab.INDUSTRIES)
    _check_mix("industry_fit", p.industry_fit, vocab.INDUSTRIES, total=None)
    _check_mix("country_mix", p.country_mix, vocab.COUNTRIES)
    _check_mix("country_fit", p.country_fit, vocab.COUNTRIES, total=None)
    _check_mix("team_mix", p.team_mix, vocab.TEAMS)
    _check_mix("seniority_mix", p.seniority_mix, vocab.SENIORITIES)
    _check_mix("seniority_fit", p.seniority_fit, vocab.SENIORITIES, total=None)
    _check_mix("page_mix_low", p.page_mix_low, vocab.PAGE_CATEGORIES)
    _check_mix("page_mix_high", p.page_mix_high, vocab.PAGE_CATEGORIES)
    _check_mix("first_touch_type_mix", p.first_touch_type_mix, ("call", "email", "meeting"))
    _check_mix("follow_up_type_mix", p.follow_up_type_mix, ("call", "email", "meeting"))
    _check_mix("hand_raise_form_mix", p.hand_raise_form_mix, ("demo_request", "contact_sales", "free_trial"))
    _check_mix("fx_per_usd", p.fx_per_usd, ("USD", "EUR", "GBP"), total=None)
    paid = tuple(k for k, _ in p.cost_per_lead)
    _check_mix("cost_per_lead", p.cost_per_lead, channels, total=None)
    _check_mix("cost_per_click", p.cost_per_click, paid, total=None)
    _check_mix("click_through_rate", p.click_through_rate, paid, total=None)
    if {k for k, _ in p.cost_per_click} != set(paid) or {k for k, _ in p.click_through_rate} != set(paid):
        raise ValueError("cost_per_click and click_through_rate need the channels of cost_per_lead")
    no_campaigns = {"direct", "organic_search", "referral"}
    with_campaigns = tuple(c for c in channels if c not in no_campaigns)
    _check_mix("campaigns_per_quarter", p.campaigns_per_quarter, with_campaigns, total=None)
    if any(c not in dict(p.campaigns_per_quarter) or dict(p.campaigns_per_quarter)[c] < 1 for c in paid):
        raise ValueError("every paid channel needs campaigns_per_quarter >= 1")
    if any(int(v) != v for _, v in p.campaigns_per_quarter):
        raise ValueError("campaigns_per_quarter must be integers")
    lo, hi = p.mql_rate_range
    if not 0.0 < lo <= hi < 1.0:
        raise ValueError("mql_rate_range must satisfy 0 < low <= high < 1")
    mixture_total = sum(s for s, _, _ in p.response_time_mixture) + p.never_touched_share
    if abs(mixture_total - 1.0) > _MIX_TOLERANCE:
        raise ValueError("response_time_mixture shares + never_touched_share must sum to 1")
    if any(not 0 < low < high for _, low, high in p.response_time_mixture):
        raise ValueError("response_time_mixture buckets need 0 < low < high (minutes)")
    for name in ("sal_exit_mix", "sql_exit_mix", "lost_stage_mix"):
        values = getattr(p, name)
        if abs(sum(values) - 1.0) > _MIX_TOLERANCE or min(values) < 0:
            raise ValueError(f"{name} must be non-negative and sum to 1")
    for f in dataclasses.fields(p):
        if (f.name.endswith(("_share", "_rate")) or f.name.startswith("fit_weight")) and isinstance(
            getattr(p, f.name), float
        ):
            _check_share(f.name, getattr(p, f.name))
    if p.min_users < 3 * len(vocab.TEAMS):
        raise ValueError("min_users must be >= 9 (a manager, an SDR and an AE per team)")
    if p.max_mql_cycles < 1:
        raise ValueError("max_mql_cycles must be >= 1")
