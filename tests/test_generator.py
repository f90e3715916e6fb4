"""Tests of the synthetic raw-data generator (lead_funnel.generator).

Small runs only (a few thousand leads); everything is recomputed from the written files.
"""

from __future__ import annotations

import csv
import json
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from lead_funnel import contract
from lead_funnel.generator import MANIFEST_NAME, GeneratorParams, arrow_schema, generate

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
EXPECTED_TYPES = {
    "string": pa.string(),
    "int64": pa.int64(),
    "float64": pa.float64(),
    "bool": pa.bool_(),
    "timestamp": pa.timestamp("us", tz="UTC"),
    "date": pa.date32(),
}
MAIN = GeneratorParams(n_leads=4_000, seed=7, chunk_size=1_500)  # three chunks
# Tolerances of the plausibility checks (documented in docs/generator.md).
TOUCHED_24H_TOLERANCE = 0.06
CPL_RATIO_TOLERANCE = 0.15


def _seed_rows(name: str) -> list[dict[str, str]]:
    with next(SEEDS.rglob(name)).open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _read(out: Path, table: str) -> pd.DataFrame:
    return pq.read_table(out / f"{table}.parquet").to_pandas()


def _latest(df: pd.DataFrame, key: tuple[str, ...]) -> pd.DataFrame:
    """Staging-style dedupe of event tables: keep the latest loaded copy per key."""
    if "loaded_at" not in df.columns:
        return df
    return df.sort_values("loaded_at").drop_duplicates(list(key), keep="last")


def _stage_map(vocabulary: str) -> dict[str, str]:
    return {r["source_value"]: r["canonical_stage"] for r in _seed_rows("stage_mapping.csv")
            if r["source_system"] == vocabulary}  # fmt: skip


@pytest.fixture(scope="module")
def main_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[GeneratorParams, Path, dict[str, int]]:
    out = tmp_path_factory.mktemp("main")
    calls: list[tuple[str, int, int]] = []
    counts = generate(MAIN, out, progress=lambda step, done, total: calls.append((step, done, total)))
    assert ("leads", 3, 3) in calls
    return MAIN, out, counts


@pytest.fixture(scope="module")
def tables(main_run: tuple[GeneratorParams, Path, dict[str, int]]) -> dict[str, pd.DataFrame]:
    _, out, _ = main_run
    return {t.name: _read(out, t.name) for t in contract.TABLES}


@pytest.fixture(scope="module")
def canonical(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Deduplicated status history with the canonical stage of old and new value."""
    return _canonical_history(tables, MAIN.crm_vocabulary)


# ------------------------------------------------------------------- api / files
def test_generate_writes_every_contract_table_and_manifest(main_run: tuple) -> None:
    params, out, counts = main_run
    assert list(counts) == [t.name for t in contract.TABLES]
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [f"{t.name}.parquet" for t in contract.TABLES] + [MANIFEST_NAME]
    )
    for name, n in counts.items():
        assert pq.ParquetFile(out / f"{name}.parquet").metadata.num_rows == n
        assert n > 0, name
    manifest = json.loads((out / MANIFEST_NAME).read_text())
    assert manifest["row_counts"] == counts
    assert manifest["seed"] == params.seed
    assert manifest["params"]["n_leads"] == params.n_leads
    assert manifest["load_time"] == params.load_time.isoformat()
    assert counts["leads"] == params.n_leads


def test_same_seed_gives_identical_bytes_and_other_seed_differs(tmp_path: Path) -> None:
    params = GeneratorParams(n_leads=600, seed=11, chunk_size=250, days=120)
    generate(params, tmp_path / "a")
    generate(params, tmp_path / "b")
    generate(replace(params, seed=12), tmp_path / "c")
    files = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert files == sorted(p.name for p in (tmp_path / "b").iterdir())
    for name in files:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    differing = {n for n in files if (tmp_path / "a" / n).read_bytes() != (tmp_path / "c" / n).read_bytes()}
    # campaigns only depend on the calendar; everything random must change with the seed
    assert differing >= {f"{t.name}.parquet" for t in contract.TABLES if t.name != "campaigns"}


# ------------------------------------------------------------------------ schema
def test_schema_matches_contract(main_run: tuple) -> None:
    _, out, _ = main_run
    for t in contract.TABLES:
        schema = pq.read_schema(out / f"{t.name}.parquet")
        assert schema.names == t.column_names, t.name
        for col in t.columns:
            field = schema.field(col.name)
            assert field.type == EXPECTED_TYPES[col.type], (t.name, col.name, field.type)
            assert field.nullable == (not col.required), (t.name, col.name)
        assert schema.equals(arrow_schema(t)), t.name


def test_keys_unique_not_null_and_redeliveries_identical(tables: dict[str, pd.DataFrame]) -> None:
    for t in contract.TABLES:
        df = tables[t.name]
        key = list(t.key)
        assert not df[key].isna().any().any(), t.name
        if "loaded_at" in df.columns:
            dup = df.duplicated(key, keep=False)
            share = df.duplicated(key).mean()
            assert 0 < share < 0.02, (t.name, share)  # re-delivered events exist but are rare
            content = [c for c in df.columns if c != "loaded_at"]
            assert not df[content].drop_duplicates()[key].duplicated().any(), t.name  # same content
            assert df[dup].groupby(key)["loaded_at"].nunique().min() > 1, t.name  # later loaded_at
            df = _latest(df, t.key)
        assert not df.duplicated(key).any(), t.name


def _seed_matches(vocabulary: str, crm: str) -> set[str]:
    """The source values a vocabulary's seed maps (lower-cased, trimmed), read from the CSV."""
    vocab = contract.VOCABULARIES[vocabulary]
    seed = pd.read_csv(next(SEEDS.rglob(f"{vocab.seed}.csv")), dtype=str, keep_default_na=False)
    if vocab.per_crm:
        seed = seed[seed["source_system"] == crm]
    if vocab.vocabulary_filter:
        seed = seed[seed["vocabulary"] == vocab.vocabulary_filter]
    return {v.strip().lower() for v in seed[vocab.match_column]}


def test_required_columns_filled_and_every_value_mapped_by_a_seed(tables: dict[str, pd.DataFrame]) -> None:
    for t in contract.TABLES:
        df = tables[t.name]
        for col in t.columns:
            if col.required:
                assert not df[col.name].isna().any(), (t.name, col.name)
            if col.vocabulary is not None:
                values = {v.strip().lower() for v in df[col.name].dropna()}
                bad = values - _seed_matches(col.vocabulary, "salesforce")
                assert not bad, (t.name, col.name, bad)


def test_foreign_keys_resolve(tables: dict[str, pd.DataFrame]) -> None:
    for t in contract.TABLES:
        for col, target in t.foreign_keys.items():
            ref_table, ref_col = target.split(".")
            values = set(tables[t.name][col].dropna())
            missing = values - set(tables[ref_table][ref_col])
            assert not missing, (t.name, col, sorted(missing)[:5])
    leads = set(tables["leads"]["lead_id"])
    campaigns = set(tables["campaigns"]["campaign_id"])
    assert set(tables["identities"]["lead_id"]) <= leads
    assert set(tables["leads"]["merged_into_lead_id"].dropna()) <= leads
    for name in ("web_events", "form_submissions"):
        assert set(tables[name]["utm_campaign"].dropna()) <= campaigns, name
    anon_forms = set(tables["form_submissions"]["anonymous_id"].dropna())
    assert anon_forms <= set(tables["identities"]["anonymous_id"])


def test_lead_numbers(tables: dict[str, pd.DataFrame]) -> None:
    leads = tables["leads"]
    merged = leads["merged_into_lead_id"].notna()
    assert 0.003 < merged.mean() < 0.025
    assert 0.001 <= leads["is_deleted"].mean() < 0.015
    survivors = leads.set_index("lead_id").loc[leads.loc[merged, "merged_into_lead_id"]]
    norm = leads.loc[merged, "email"].str.strip().str.lower().to_numpy()
    assert (norm == survivors["email"].str.strip().str.lower().to_numpy()).all()
    assert (leads.loc[merged, "email"].to_numpy() != survivors["email"].to_numpy()).all()
    assert not survivors["merged_into_lead_id"].notna().any()  # no merge chains
    people = leads.loc[~merged, "email"].str.strip().str.lower()
    assert not people.duplicated().any()  # distinct people have distinct addresses
    n_accounts, n_users = len(tables["accounts"]), len(tables["users"])
    assert n_accounts == round(MAIN.n_leads / MAIN.leads_per_account)
    assert n_users == max(MAIN.min_users, round(MAIN.n_leads / MAIN.leads_per_rep))
    assert set(tables["users"]["role"]) == {"sdr", "ae", "manager"}
    owners = tables["users"].set_index("user_id").loc[leads["owner_id"].dropna(), "role"]
    assert (owners == "sdr").all()
    opp_owners = tables["users"].set_index("user_id").loc[tables["opportunities"]["owner_id"], "role"]
    assert (opp_owners == "ae").all()


def test_accounts_target_share_skewed_to_icp(tables: dict[str, pd.DataFrame]) -> None:
    acc = tables["accounts"]
    assert 0.02 < acc["is_target_account"].mean() < 0.09
    icp = acc["industry"].isin(["software", "financial_services", "healthcare"])
    assert icp[acc["is_target_account"]].mean() > icp[~acc["is_target_account"]].mean() + 0.1
    big = acc["employee_count"].dropna()
    assert (big >= 1).all() and (acc["annual_revenue"].dropna() >= 0).all()


# ------------------------------------------------------------------------- time
def test_timestamps_within_window_and_loaded_after_occurred(
    main_run: tuple, tables: dict[str, pd.DataFrame]
) -> None:
    params, _, _ = main_run
    floor = pd.Timestamp(datetime(2000, 1, 1, tzinfo=UTC))
    load = pd.Timestamp(params.load_time)
    start = pd.Timestamp(params.window_start)
    lookback = start - pd.Timedelta(days=params.lookback_days)
    for t in contract.TABLES:
        df = tables[t.name]
        for col in t.columns:
            values = df[col.name].dropna()
            if col.type == "timestamp":
                assert (values >= floor).all() and (values < load).all(), (t.name, col.name)
                assert (values >= lookback).all(), (t.name, col.name)
                if t.name not in ("accounts", "users"):
                    assert (values >= start).all(), (t.name, col.name)
            elif col.type == "date":
                assert (pd.to_datetime(values) >= floor.tz_localize(None)).all(), (t.name, col.name)
        occurred = {"lead_status_changes": "changed_at", "opportunity_stage_changes": "changed_at",
                    "activities": "occurred_at", "web_events": "occurred_at", "email_events": "occurred_at",
                    "form_submissions": "submitted_at"}.get(t.name)  # fmt: skip
        if occurred:
            assert (df["loaded_at"] >= df[occurred]).all(), t.name
            late = (df["loaded_at"] - df[occurred]) > pd.Timedelta(days=2)
            assert 0 < late.mean() < 0.05, t.name  # a few late-arriving events
    spend_dates = pd.to_datetime(tables["ad_spend"]["spend_date"])
    assert spend_dates.max() < load.tz_localize(None) and spend_dates.min() >= start.tz_localize(None)


# -------------------------------------------------------------------- lifecycle
def test_lead_status_equals_last_history_value(
    tables: dict[str, pd.DataFrame], canonical: pd.DataFrame
) -> None:
    h = canonical.sort_values(["lead_id", "changed_at", "change_id"])
    last = h.groupby("lead_id").tail(1).set_index("lead_id")
    leads = tables["leads"].set_index("lead_id")
    assert set(last.index) == set(leads.index)  # every lead has a history
    assert (leads.loc[last.index, "status"] == last["new_value"]).all()
    assert (leads.loc[last.index, "updated_at"] >= last["changed_at"]).all()
    first = h.groupby("lead_id").head(1)
    assert first["old_value"].isna().all() and (first["new_stage"] == "lead").all()
    assert (first["changed_at"].to_numpy() == leads.loc[first["lead_id"], "created_at"].to_numpy()).all()
    # old_value is the previous new_value of the lead
    prev = h.groupby("lead_id")["new_value"].shift()
    assert (prev.dropna() == h.loc[prev.notna(), "old_value"]).all()
    users = set(tables["users"]["user_id"]) | {"system"}
    assert set(h["changed_by"]) <= users and (h["changed_by"] != "system").any()
    # sales touches only follow an MQL
    first_mql = h[h["new_stage"] == "mql"].groupby("lead_id")["changed_at"].min()
    acts = tables["activities"]
    assert acts["lead_id"].isin(first_mql.index).all()
    assert (acts["occurred_at"].to_numpy() >= first_mql.loc[acts["lead_id"]].to_numpy()).all()


def test_history_has_realistic_mess(tables: dict[str, pd.DataFrame], canonical: pd.DataFrame) -> None:
    raw = tables["lead_status_changes"].drop_duplicates("change_id")  # originals, in file order
    # not written in time order: neither globally nor within a lead
    assert not raw["changed_at"].is_monotonic_increasing and not raw["lead_id"].is_monotonic_increasing
    in_file_order = raw.groupby("lead_id")["changed_at"].agg(lambda t: t.is_monotonic_increasing)
    assert not in_file_order.all()
    repeated = (canonical["old_value"] == canonical["new_value"]).mean()
    assert 0.003 < repeated < 0.05
    h = canonical.sort_values(["lead_id", "changed_at", "change_id"])
    tie = h.duplicated(["lead_id", "changed_at"], keep=False)
    assert 0 < tie.mean() < 0.05
    # recycling and re-MQL happen
    mql_rows = h[(h["new_stage"] == "mql") & (h["old_stage"] != "mql")]
    assert mql_rows["lead_id"].duplicated().any()
    assert (h["new_stage"] == "recycled").any() and (h["new_stage"] == "disqualified").any()


@pytest.mark.parametrize("vocabulary", ["salesforce", "hubspot", "marketo"])
def test_status_values_exist_in_stage_mapping(vocabulary: str, tmp_path: Path) -> None:
    params = GeneratorParams(n_leads=1_200, seed=5, crm_vocabulary=vocabulary, days=200)
    generate(params, tmp_path)
    mapping = _stage_map(vocabulary)
    history = _read(tmp_path, "lead_status_changes")
    values = (
        set(history["new_value"])
        | set(history["old_value"].dropna())
        | set(_read(tmp_path, "leads")["status"])
    )
    assert values <= set(mapping), values - set(mapping)
    stages = {mapping[v] for v in values}
    assert {"lead", "mql", "sql", "opportunity", "recycled", "disqualified"} <= stages
    assert ("sal" in stages) == (vocabulary != "hubspot")
    won = _read(tmp_path, "opportunities")["is_won"].any()
    assert ("customer" in stages) == (vocabulary != "salesforce" and won)


def test_opportunities_consistent(tables: dict[str, pd.DataFrame], canonical: pd.DataFrame) -> None:
    opp = tables["opportunities"]
    assert (~opp["is_won"] | opp["is_closed"]).all()  # is_won implies is_closed
    closed_stage = opp["stage_name"].isin(["Closed Won", "Closed Lost"])
    assert (closed_stage == opp["is_closed"]).all()
    assert ((opp["stage_name"] == "Closed Won") == opp["is_won"]).all()
    assert (~opp["is_closed"]).any() and opp["is_won"].any() and (opp["is_closed"] & ~opp["is_won"]).any()
    close = pd.to_datetime(opp["close_date"])
    created_day = opp["created_at"].dt.tz_localize(None).dt.floor("D")
    assert (close.dropna() >= created_day[close.notna()]).all()
    load_day = pd.Timestamp(MAIN.load_time).tz_localize(None)
    assert (close[~opp["is_closed"]].dropna() >= load_day).all()  # open deals close in the future
    assert (close[opp["is_closed"]] < load_day).all()
    changes = _latest(tables["opportunity_stage_changes"], ("change_id",)).sort_values(
        ["opportunity_id", "changed_at"]
    )
    last = changes.groupby("opportunity_id").tail(1).set_index("opportunity_id")
    assert (opp.set_index("opportunity_id").loc[last.index, "stage_name"] == last["new_stage"]).all()
    firsts = changes.groupby("opportunity_id").head(1)
    assert firsts["old_stage"].isna().all() and (firsts["new_stage"] == "Prospecting").all()
    # one opportunity per conversion, created when the lead converted
    conv = canonical[(canonical["new_stage"] == "opportunity") & (canonical["old_stage"] != "opportunity")]
    assert len(conv) == len(opp)
    assert set(conv["lead_id"]) == set(opp["primary_lead_id"])
    assert (opp["currency"] == "USD").mean() > 0.6


def test_web_identities_and_forms(tables: dict[str, pd.DataFrame]) -> None:
    leads = tables["leads"].set_index("lead_id")
    ident = tables["identities"]
    web = _latest(tables["web_events"], ("event_id",))
    first_ident = ident.sort_values("identified_at").groupby("lead_id").head(1).set_index("lead_id")
    assert (first_ident["identified_at"] == leads.loc[first_ident.index, "created_at"]).all()
    assert 0.05 < ident["lead_id"].duplicated().mean() < 0.3  # some people use two browsers
    joined = web.merge(ident, on="anonymous_id", how="left")
    anonymous = joined["lead_id"].isna()
    assert anonymous.any()
    n_anon_ids = joined.loc[anonymous, "anonymous_id"].nunique()
    assert 1.5 * len(leads) < n_anon_ids < 2.5 * len(leads)  # never-identified visitors
    before = joined["occurred_at"] < joined["identified_at"]
    assert before.mean() > 0.05  # browsing before identification
    assert len(web) / len(leads) > 15  # tens of page views per lead
    prefixes = {"pricing": "/pricing", "product": "/product", "blog": "/blog/", "docs": "/docs/",
                "careers": "/careers", "case_study": "/customers/"}  # fmt: skip
    path = web["url"].str.replace("https://www.example.com", "", regex=False).str.split("?").str[0]
    for cat, prefix in prefixes.items():
        assert path[web["page_category"] == cat].str.startswith(prefix).all(), cat
    forms = tables["form_submissions"]
    creating = forms.sort_values("submitted_at").groupby("lead_id").head(1).set_index("lead_id")
    assert (creating["submitted_at"] == leads.loc[creating.index, "created_at"]).all()
    assert set(creating["asset_funnel_stage"]) <= {"tofu", "mofu"}
    bofu = forms[forms["asset_funnel_stage"] == "bofu"]
    assert set(bofu["form_type"]) <= {"demo_request", "contact_sales", "free_trial"} and len(bofu) > 0
    email = _latest(tables["email_events"], ("event_id",))
    per_message = email.groupby("message_id")["event_type"].agg(set)
    assert per_message.map(lambda s: "send" in s).all()
    assert per_message.map(lambda s: not ({"deliver", "bounce"} <= s)).all()
    sends = (email["event_type"] == "send").sum()
    assert 0.9 < (email["event_type"] == "deliver").sum() / sends < 0.99
    assert per_message.map(lambda s: "open" not in s or "deliver" in s).all()
    assert per_message.map(lambda s: "click" not in s or "open" in s).all()


def test_utm_and_lead_sources_map_to_channels(tables: dict[str, pd.DataFrame]) -> None:
    rules = _seed_rows("utm_channels.csv")
    exact = {(r["utm_medium"], r["utm_source"]): r["channel"] for r in rules if r["utm_source"] != "*"}
    wildcard = {r["utm_medium"]: r["channel"] for r in rules if r["utm_source"] == "*"}
    campaign_channel = tables["campaigns"].set_index("campaign_id")["channel"]
    for name in ("web_events", "form_submissions"):
        df = tables[name]
        tagged = df[df["utm_medium"].notna()]
        assert df["utm_medium"].isna().any() and len(tagged) > 0
        assert tagged["utm_source"].notna().all()
        pairs = zip(tagged["utm_medium"], tagged["utm_source"], strict=True)
        channel = [exact.get((m, s), wildcard.get(m)) for m, s in pairs]
        assert None not in channel, name
        with_campaign = tagged["utm_campaign"].notna().to_numpy()
        mapped = np.array(channel, dtype=object)[with_campaign]
        assert (campaign_channel.loc[tagged.loc[with_campaign, "utm_campaign"]].to_numpy() == mapped).all(), (
            name
        )
    channel_of_source = {r["lead_source"]: r["channel"] for r in _seed_rows("lead_source_channels.csv")}
    leads = tables["leads"].set_index("lead_id")
    assert set(leads["lead_source"]) <= set(channel_of_source)
    lead_channel = leads["lead_source"].map(channel_of_source)
    # the creating form carries the utm of the lead's acquisition channel
    forms = tables["form_submissions"].drop_duplicates("submission_id")
    creating = forms.sort_values("submitted_at").groupby("lead_id").head(1)
    creating = creating[creating["utm_medium"].notna()]
    pairs = zip(creating["utm_medium"], creating["utm_source"], strict=True)
    form_channel = np.array([exact.get((m, s), wildcard.get(m)) for m, s in pairs], dtype=object)
    assert (form_channel == lead_channel.loc[creating["lead_id"]].to_numpy()).all()
    # acquisition memberships are in a campaign of the lead's channel; spend only on active paid campaigns
    members = tables["campaign_members"].merge(tables["campaigns"], on="campaign_id")
    acquisition = members[members["status"] != "sent"]
    acquisition = acquisition[~acquisition["campaign_name"].str.startswith("Nurture")]
    assert (acquisition["channel"].to_numpy() == lead_channel.loc[acquisition["lead_id"]].to_numpy()).all()
    spend = tables["ad_spend"].merge(tables["campaigns"], on="campaign_id", suffixes=("", "_campaign"))
    assert (spend["channel"] == spend["channel_campaign"]).all()
    assert set(spend["channel"]) == {c for c, _ in MAIN.cost_per_lead}
    assert (spend["spend_date"] >= spend["start_date"]).all()
    assert (spend["end_date"].isna() | (spend["spend_date"] <= spend["end_date"])).all()


# ------------------------------------------------------------ plausibility vs params
def _canonical_history(tables: dict[str, pd.DataFrame], vocabulary: str) -> pd.DataFrame:
    mapping = _stage_map(vocabulary)
    h = _latest(tables["lead_status_changes"], ("change_id",)).copy()
    h["new_stage"] = h["new_value"].map(mapping)
    h["old_stage"] = h["old_value"].map(mapping)
    return h


def _mql_share(tables: dict[str, pd.DataFrame], history: pd.DataFrame) -> float:
    """Share of lead records (merged duplicates excluded) with at least one MQL status."""
    people = tables["leads"][tables["leads"]["merged_into_lead_id"].isna()]
    return float(people["lead_id"].isin(set(history.loc[history["new_stage"] == "mql", "lead_id"])).mean())


def _touched_within_24h(
    tables: dict[str, pd.DataFrame], history: pd.DataFrame, params: GeneratorParams
) -> float:
    """Share of MQL events (older than a day at load time) whose first later activity is within 24 h."""
    load = pd.Timestamp(params.load_time)
    mqls = history[(history["new_stage"] == "mql") & (history["old_stage"] != "mql")]
    mqls = mqls[mqls["changed_at"] < load - pd.Timedelta(days=1)][["lead_id", "changed_at"]]
    acts = _latest(tables["activities"], ("activity_id",))[["lead_id", "occurred_at"]]
    pairs = mqls.merge(acts, on="lead_id", how="left")
    pairs = pairs[pairs["occurred_at"] >= pairs["changed_at"]]
    first = pairs.groupby(["lead_id", "changed_at"])["occurred_at"].min()
    first = first.reindex(pd.MultiIndex.from_frame(mqls))
    assert len(mqls) > 300
    return float(((first - first.index.get_level_values("changed_at")) <= pd.Timedelta(hours=24)).mean())


def _cost_per_lead(tables: dict[str, pd.DataFrame]) -> pd.Series:
    """Spend per channel / lead records whose lead_source maps to the channel."""
    channel_of_source = {r["lead_source"]: r["channel"] for r in _seed_rows("lead_source_channels.csv")}
    leads = tables["leads"]["lead_source"].map(channel_of_source).value_counts()
    spend = tables["ad_spend"].groupby("channel")["spend"].sum()
    return spend / leads.reindex(spend.index)


def _weekday_over_weekend(tables: dict[str, pd.DataFrame], params: GeneratorParams) -> float:
    per_day = tables["leads"]["created_at"].dt.floor("D").value_counts()
    all_days = pd.date_range(params.window_start, periods=params.days, freq="D", tz="UTC")
    per_day = per_day.reindex(all_days, fill_value=0)
    weekend = per_day.index.day_of_week >= 5
    return float(per_day[~weekend].mean() / per_day[weekend].mean())


def test_mql_share_within_documented_range(tables: dict[str, pd.DataFrame], canonical: pd.DataFrame) -> None:
    low, high = MAIN.mql_rate_range
    assert low <= _mql_share(tables, canonical) <= high


def test_share_of_mqls_touched_within_24h(tables: dict[str, pd.DataFrame], canonical: pd.DataFrame) -> None:
    within = _touched_within_24h(tables, canonical, MAIN)
    assert abs(within - MAIN.touched_within_24h_share) <= TOUCHED_24H_TOLERANCE, within


def test_cost_per_lead_ratio_between_paid_channels(tables: dict[str, pd.DataFrame]) -> None:
    cpl = _cost_per_lead(tables)
    measured = cpl["paid_social"] / cpl["paid_search"]
    expected = MAIN.cost_per_lead_ratio("paid_social", "paid_search")
    assert abs(measured / expected - 1) <= CPL_RATIO_TOLERANCE, (measured, expected)
    measured_display = cpl["display"] / cpl["paid_search"]
    assert abs(measured_display / MAIN.cost_per_lead_ratio("display", "paid_search") - 1) <= 0.3
    spend_rows = tables["ad_spend"]
    assert (spend_rows["clicks"] <= spend_rows["impressions"]).all() and (spend_rows["spend"] >= 0).all()


def test_weekday_volume_exceeds_weekend(tables: dict[str, pd.DataFrame]) -> None:
    assert _weekday_over_weekend(tables, MAIN) > 2.5


def test_changed_parameters_move_the_measurements(tmp_path: Path) -> None:
    """The same measurements follow the parameters when these change (not just the defaults)."""
    params = replace(
        MAIN,
        seed=21,
        mql_rate_range=(0.38, 0.48),
        response_time_mixture=((0.3, 0.5, 5.0), (0.2, 5.0, 60.0), (0.1, 60.0, 1440.0),
                               (0.3, 1440.0, 14400.0)),
        cost_per_lead=(("paid_search", 100.0), ("paid_social", 300.0), ("display", 260.0),
                       ("content_syndication", 85.0), ("events", 420.0)),
        weekday_weights=(1.0,) * 7,
    )  # fmt: skip
    generate(params, tmp_path)
    tabs = {t: _read(tmp_path, t) for t in ("leads", "lead_status_changes", "activities", "ad_spend")}
    history = _canonical_history(tabs, params.crm_vocabulary)
    assert 0.38 <= _mql_share(tabs, history) <= 0.48
    assert params.touched_within_24h_share == pytest.approx(0.6)
    assert abs(_touched_within_24h(tabs, history, params) - 0.6) <= TOUCHED_24H_TOLERANCE
    cpl = _cost_per_lead(tabs)
    assert abs(cpl["paid_social"] / cpl["paid_search"] / 3.0 - 1) <= CPL_RATIO_TOLERANCE
    assert 0.8 < _weekday_over_weekend(tabs, params) < 1.25


def test_higher_intent_means_higher_mql_to_sql(
    tables: dict[str, pd.DataFrame], canonical: pd.DataFrame
) -> None:
    """Intent is hidden; its footprint on the web is the share of high-intent pages (pricing, product,
    contact, case studies) and the pages per session. Both are exposure-free (unlike raw counts, which
    also grow with the time a lead had to progress). MQLs in the top quartile of that footprint reach
    SQL clearly more often than those in the bottom quartile."""
    web = _latest(tables["web_events"], ("event_id",)).merge(tables["identities"], on="anonymous_id")
    hot = web["page_category"].isin(["pricing", "product", "contact", "case_study"])
    by_lead = web.groupby("lead_id")
    share = hot.groupby(web["lead_id"]).mean()
    pages_per_session = by_lead.size() / by_lead["session_id"].nunique()
    footprint = share.rank() + pages_per_session.rank()
    mql = pd.Index(canonical.loc[canonical["new_stage"] == "mql", "lead_id"].unique())
    sql = set(canonical.loc[canonical["new_stage"] == "sql", "lead_id"])
    frame = pd.DataFrame({"footprint": footprint.reindex(mql), "sql": mql.isin(sql)}, index=mql).dropna()
    assert len(frame) > 0.9 * len(mql)
    frame["quartile"] = pd.qcut(frame["footprint"].rank(method="first"), 4, labels=False)
    rates = frame.groupby("quartile")["sql"].mean()
    assert rates[3] > rates[0] + 0.15, rates.to_dict()


# --------------------------------------------------------------------- params
def test_params_validation_and_documented_values() -> None:
    p = GeneratorParams()
    assert p.touched_within_24h_share == pytest.approx(0.75)
    assert p.cost_per_lead_ratio("paid_social", "paid_search") == pytest.approx(1.5)
    assert p.load_time == datetime(2026, 10, 1, tzinfo=UTC)
    with pytest.raises(ValueError, match="channel_mix"):
        GeneratorParams(channel_mix=(("paid_search", 0.5),))
    with pytest.raises(ValueError, match="crm_vocabulary"):
        GeneratorParams(crm_vocabulary="pipedrive")
    with pytest.raises(ValueError, match="2000"):
        GeneratorParams(start_date=date(2000, 6, 1))
    with pytest.raises(ValueError, match="response_time_mixture"):
        GeneratorParams(never_touched_share=0.3)
    json.dumps(p.to_dict())  # manifest-serialisable


def test_unreachable_mql_range_is_rejected(tmp_path: Path) -> None:
    params = GeneratorParams(n_leads=200, hand_raise_rate=0.9, mql_rate_range=(0.01, 0.02))
    with pytest.raises(ValueError, match="mql_rate_range"):
        generate(params, tmp_path)
