"""Quarantine, not silent loss: every row-level bad input ends in a quarantine table with its reason
(or is handled in staging), structural ones never reach dbt, and every raw row is accounted for.

One copy carries every row-level kind of the catalogue at once and the whole project builds on it
(one bad row never blocks the rest). Its marts must equal those of a build on the reference data
set (``dirty.reference_copy``: the defective rows removed, the repaired ones restored to their clean
values), so no bad input reaches a mart as a wrong number; and for every warning, the rows
`lead-funnel validate` counts are the rows staging quarantines or repairs."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb
import pytest

from lead_funnel.contract import TABLES_BY_NAME
from lead_funnel.dbt_invoke import DbtOutcome, run_dbt
from lead_funnel.quality.dirty import CATALOGUE, KINDS, ROW_LEVEL_KINDS, reference_copy, write_dirty
from lead_funnel.quality.explain import failing_rows
from lead_funnel.quality.validate import ValidationReport, validate_raw

# Every row-level kind at once quarantines far more than 5% of the small tables by design: the
# circuit breaker is lifted explicitly here (tests/test_real_exports.py covers it tripping).
BUILD = ["build", "--vars", "{quarantine_max_share: 1}"]
# The staged key of each raw table (as the changed-row keys of the dirty copy name it).
STAGED_KEY = {
    "activities": "activity_id",
    "campaign_members": "campaign_member_id",
    "web_events": "web_event_id",
    "opportunities": "opportunity_id",
    "ad_spend": "cast(spend_date as varchar) || '|' || campaign_id",
    "lead_status_changes": "status_change_id",
    "opportunity_stage_changes": "stage_change_id",
    "leads": "lead_id",
}
QUARANTINED = [b for b in CATALOGUE if b.outcome == "rows quarantined"]


def _dbt_env(work: Path, **extra: str) -> dict[str, str]:
    return {"DBT_TARGET_PATH": str(work / "target"), "DBT_LOG_PATH": str(work / "logs"), **extra}


@pytest.fixture(scope="module")
def dirty_build(
    raw_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[dict[str, list[str]], ValidationReport, DbtOutcome, Path]:
    """Every row-level bad input in one copy, validated, then the whole project built on it."""
    work = tmp_path_factory.mktemp("dirty_build")
    changed = write_dirty(raw_dir, work / "raw", ROW_LEVEL_KINDS)
    report = validate_raw(work / "raw")
    warehouse = work / "dirty.duckdb"
    outcome = run_dbt(BUILD, work / "raw", warehouse, target="test", extra_env=_dbt_env(work))
    return changed, report, outcome, warehouse


@pytest.fixture(scope="module")
def reference_build(dirty_build, raw_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The reference data set of the dirty copy, built the same way."""
    _, _, _, dirty = dirty_build
    work = tmp_path_factory.mktemp("reference_build")
    raw = reference_copy(raw_dir, Path(str(dirty)).parent / "raw", work / "raw")
    warehouse = work / "reference.duckdb"
    outcome = run_dbt(BUILD, raw, warehouse, target="test", extra_env=_dbt_env(work))
    assert outcome.success, outcome.failures
    return warehouse


def _keys(changed: dict[str, list[str]], kind: str, table: str) -> list[str]:
    return [k.split(":", 1)[1] for k in changed[kind] if k.startswith(table + ":")]


def _relation(table: str, layer: str) -> str:
    source = TABLES_BY_NAME[table].source
    return (
        f"quarantine.quarantine_{source}__{table}"
        if layer == "quarantine"
        else f"staging.stg_{source}__{table}"
    )


def _rows(
    con: duckdb.DuckDBPyConnection, table: str, layer: str, keys: list[str], columns: str = "*"
) -> list:
    marks = ", ".join("?" for _ in keys)
    sql = f"select {columns} from {_relation(table, layer)} where {STAGED_KEY[table]} in ({marks})"
    return con.execute(sql, keys).fetchall()


def test_row_level_defects_warn_and_the_build_passes(dirty_build) -> None:
    _, report, outcome, _ = dirty_build
    assert report.ok, [f.line() for f in report.errors]
    for kind in ROW_LEVEL_KINDS:
        if KINDS[kind].outcome != "handled" or kind in ("duplicate_event_ids", "same_person_twice"):
            assert any(KINDS[kind].message in f.message for f in report.warnings), kind
    assert outcome.success, outcome.failures


@pytest.mark.parametrize("bad", QUARANTINED, ids=lambda b: b.kind)
def test_defective_rows_are_quarantined_with_their_reason(dirty_build, bad) -> None:
    changed, _, _, warehouse = dirty_build
    with duckdb.connect(str(warehouse), read_only=True) as con:
        if bad.kind == "null_keys":
            reasons = con.execute(
                "select quarantine_reason, count(*) from quarantine.quarantine_crm__activities "
                "where activity_id is null group by all"
            ).fetchall()
            assert reasons == [(bad.quarantine_reason, 5)]
            assert con.execute(
                "select count(*) from staging.stg_crm__activities where activity_id is null"
            ).fetchall()[0] == (0,)
            return
        keys = _keys(changed, bad.kind, bad.table)
        assert keys
        reasons = _rows(con, bad.table, "quarantine", keys, "quarantine_reason")
        assert sorted(r[0] for r in reasons) == [bad.quarantine_reason] * len(keys)
        assert _rows(con, bad.table, "staging", keys) == [], "a quarantined row must not be staged"


def test_children_of_quarantined_parents_are_quarantined_as_orphans(dirty_build) -> None:
    changed, _, _, warehouse = dirty_build
    opps = _keys(changed, "close_before_created", "opportunities")
    with duckdb.connect(str(warehouse), read_only=True) as con:
        marks = ", ".join("?" for _ in opps)
        reasons = con.execute(
            "select distinct quarantine_reason from quarantine.quarantine_crm__opportunity_stage_changes "
            f"where opportunity_id in ({marks})",
            opps,
        ).fetchall()
        assert reasons == [("orphan opportunity_id",)]


def test_every_raw_row_is_staged_quarantined_or_a_dropped_duplicate(dirty_build, raw_dir: Path) -> None:
    _, _, _, warehouse = dirty_build
    raw = Path(str(warehouse)).parent / "raw"
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            "select source_name, table_name, raw_rows, staged_rows, quarantined_rows, "
            "duplicate_copies_dropped,"
            " after_as_of_rows from quality.row_reconciliation"
        ).fetchall()
        assert len(rows) == len(TABLES_BY_NAME)
        for source, table, raw_rows, staged, quarantined, dropped, after_as_of in rows:
            in_file = duckdb.sql(
                f"select count(*) from read_parquet('{raw / (table + '.parquet')}')"
            ).fetchall()[0][0]
            assert raw_rows == in_file, table
            assert after_as_of == 0, table  # no kpi_as_of: nothing is cut
            assert raw_rows == staged + quarantined + dropped, table
            counted = con.execute(f"select count(*) from quarantine.quarantine_{source}__{table}").fetchall()[
                0
            ][0]
            assert quarantined == counted
        web = {r[1]: r for r in rows}["web_events"]
    clean_dups = duckdb.sql(
        f"select count(*) - count(distinct event_id) from read_parquet('{raw_dir / 'web_events.parquet'}')"
    ).fetchall()[0][0]
    assert web[5] == clean_dups + 20, "the 20 re-delivered events are counted as dropped copies"


def test_clean_fixture_quarantines_nothing(con) -> None:
    rows = con.execute("select table_name, quarantined_rows from quality.row_reconciliation").fetchall()
    assert rows and all(n == 0 for _, n in rows), rows


def test_status_case_variants_land_in_the_stages_of_their_canonical_spelling(dirty_build, con) -> None:
    """'MQL' and '  marketing qualified ' map as 'Marketing Qualified' does (the clean build,
    ``con``), and keep the delivered text."""
    changed, _, _, warehouse = dirty_build
    changes = _keys(changed, "status_case_variants", "lead_status_changes")
    leads = _keys(changed, "status_case_variants", "leads")
    clean_changes = _rows(
        con, "lead_status_changes", "staging", changes, "status_change_id, old_stage, new_stage"
    )
    clean_leads = _rows(con, "leads", "staging", leads, "lead_id, status_stage")
    with duckdb.connect(str(warehouse), read_only=True) as dirty:
        dirty_changes = _rows(
            dirty, "lead_status_changes", "staging", changes, "status_change_id, old_stage, new_stage"
        )
        dirty_leads = _rows(dirty, "leads", "staging", leads, "lead_id, status_stage")
        variants = _rows(dirty, "lead_status_changes", "staging", changes, "new_source_status")
    assert len(clean_changes) == len(changes) == 40 and sorted(dirty_changes) == sorted(clean_changes)
    assert len(clean_leads) == len(leads) == 20 and sorted(dirty_leads) == sorted(clean_leads)
    assert all(v == v.upper() for (v,) in variants), "the delivered text is kept"
    assert not any(stage in ("unmapped", None) for _, _, stage in dirty_changes)


def test_handled_inputs_are_handled_in_staging(dirty_build) -> None:
    changed, _, _, warehouse = dirty_build
    with duckdb.connect(str(warehouse), read_only=True) as con:
        # re-delivered events: one row each, the latest loaded copy
        events = _keys(changed, "duplicate_event_ids", "web_events")
        staged = _rows(con, "web_events", "staging", events, "web_event_id, session_id")
        assert len(staged) == len(events) == 20 and {s for _, s in staged} == {"redelivered"}
        # the same person twice: both leads kept, emails equal once normalised
        leads = _keys(changed, "same_person_twice", "leads")
        originals = [k for k in leads if not k.startswith("DUP-")]
        for lead in originals:
            emails = _rows(con, "leads", "staging", [lead, "DUP-" + lead], "email")
            assert len(emails) == 2 and emails[0] == emails[1]
            assert emails[0][0] == emails[0][0].strip().lower()
        # unknown stage values: kept as delivered, mapped to 'unmapped' (never 'unknown')
        opps = _keys(changed, "unknown_stage_values", "opportunities")
        staged_opps = _rows(con, "opportunities", "staging", opps, "stage_name, stage_category")
        assert set(staged_opps) == {("Verbal Commit", "unmapped")}
        changes = _keys(changed, "unknown_stage_values", "lead_status_changes")
        statuses = _rows(con, "lead_status_changes", "staging", changes, "new_source_status, new_stage")
        assert statuses == [("Hot Prospect", "unmapped")] * len(changes)
        # backward moves and deals won before MQL: kept
        back = con.execute(
            "select count(*) from staging.stg_crm__opportunity_stage_changes "
            "where stage_change_id like 'BACK-%'"
        )
        assert back.fetchall()[0][0] == 3
        won = _keys(changed, "won_before_mql", "opportunities")
        assert {r[0] for r in _rows(con, "opportunities", "staging", won, "is_won")} == {True}


def test_reconciliation_test_fails_when_a_row_is_lost(dirty_build, tmp_path: Path) -> None:
    _, _, _, warehouse = dirty_build
    copy = tmp_path / "tampered.duckdb"
    shutil.copyfile(warehouse, copy)
    with duckdb.connect(str(copy)) as con:
        con.execute(
            "update quality.row_reconciliation set staged_rows = staged_rows - 1 where table_name = 'leads'"
        )
    outcome = run_dbt(
        ["test", "--select", "row_reconciliation"],
        Path(str(warehouse)).parent / "raw",
        copy,
        target="test",
        extra_env=_dbt_env(tmp_path),
    )
    assert not outcome.success
    assert any("rows_reconcile_row_reconciliation" in f for f in outcome.failures)
    failed = [n for n in outcome.failed_nodes if n.test_name == "rows_reconcile"]
    assert failed
    rows = failing_rows(failed[0], copy)
    assert [(r["table_name"], r["rows_lost"]) for r in rows] == [("leads", 1)]
    assert rows[0]["message"].startswith("leads: 1 raw row(s) lost: neither in staging.stg_crm__leads")


def test_timestamps_with_offsets_land_as_the_same_utc_instants(raw_dir: Path, tmp_path: Path, con) -> None:
    dirty = tmp_path / "raw"
    write_dirty(raw_dir, dirty, ("timestamp_offsets",))
    assert "+05:30" in (dirty / "leads.csv").read_text().splitlines()[1]
    # New York local time: -04 (summer) or -05 (winter) after the seconds
    assert re.search(r":\d\d(\.\d+)?-0[45](:00)?[,\n]", (dirty / "activities.csv").read_text())
    warehouse = tmp_path / "csv.duckdb"
    outcome = run_dbt(
        ["build", "--select", "+stg_crm__leads", "+stg_crm__activities", "--indirect-selection", "cautious"],
        dirty,
        warehouse,
        target="test",
        extra_env=_dbt_env(tmp_path, LEAD_FUNNEL_RAW_FORMAT="csv"),
    )
    assert outcome.success, outcome.failures
    query = {
        "leads": "select lead_id, created_at, updated_at from staging.stg_crm__leads order by lead_id",
        "activities": "select activity_id, occurred_at, loaded_at from staging.stg_crm__activities "
        "order by activity_id",
    }
    with duckdb.connect(str(warehouse), read_only=True) as csv_con:
        for sql in query.values():
            assert csv_con.execute(sql).fetchall() == con.execute(sql).fetchall()


def test_page_views_quarantined_from_the_raw_file(raw_dir: Path, tmp_path: Path, con) -> None:
    """The page-view quarantine types only the raw rows of quarantined keys (quarantined_rows
    from_raw), null keys included; an instant of +/-infinity is no time at all (DuckDB's
    to_utc_timestamp gives it no value): unparseable. Every other page view stages as in the
    session build."""
    raw = tmp_path / "raw"
    raw.mkdir()
    for path in raw_dir.iterdir():
        (raw / path.name).symlink_to(path)
    (raw / "web_events.parquet").unlink()
    source = raw_dir / "web_events.parquet"
    with duckdb.connect() as scratch:
        scratch.execute("set TimeZone = 'UTC'")
        first_four = f"select distinct event_id from '{source}' order by event_id limit 4"
        ids = [row[0] for row in scratch.execute(first_four).fetchall()]
        copies = dict(
            scratch.execute(
                f"select event_id, count(*) from '{source}' where event_id in (?, ?, ?, ?) group by all",
                ids,
            ).fetchall()
        )
        scratch.execute(
            f"""copy (
                select * replace (
                    case event_id when '{ids[2]}' then null when '{ids[3]}' then '  ' else event_id end
                        as event_id,
                    case event_id when '{ids[0]}' then 'infinity'::timestamptz
                    when '{ids[1]}' then '-infinity'::timestamptz else occurred_at end as occurred_at
                )
                from '{source}'
            ) to '{raw / "web_events.parquet"}' (format parquet)"""
        )
    warehouse = tmp_path / "quarantined.duckdb"
    outcome = run_dbt(
        [
            "build",
            "--select",
            "+stg_marketing__web_events",
            "+quarantine_marketing__web_events",
            "--exclude-resource-type",
            "test",
            "unit_test",
        ],
        raw,
        warehouse,
        target="test",
        extra_env=_dbt_env(tmp_path),
    )
    assert outcome.success, outcome.failures
    staged = (
        "select * from staging.stg_marketing__web_events where web_event_id not in (?, ?, ?, ?) "
        "order by web_event_id"
    )
    expected = sorted(
        [(ids[0], "unparseable occurred_at")] * copies[ids[0]]
        + [(ids[1], "unparseable occurred_at")] * copies[ids[1]]
        + [(None, "null event_id")] * (copies[ids[2]] + copies[ids[3]]),
        key=str,
    )
    with duckdb.connect(str(warehouse), read_only=True) as built:
        reasons = built.execute(
            "select web_event_id, quarantine_reason from quarantine.quarantine_marketing__web_events"
        ).fetchall()
        assert sorted(reasons, key=str) == expected
        assert built.execute(staged, ids).fetchall() == con.execute(staged, ids).fetchall()


def test_run_summary_counts_the_quarantined_rows(dirty_build) -> None:
    from rich.console import Console

    from lead_funnel.quality.quarantine import print_quarantine_summary

    _, _, _, warehouse = dirty_build
    console = Console(record=True, width=250)
    print_quarantine_summary(console, Path(str(warehouse)))
    text = console.export_text()
    for reason, n in (
        ("null activity_id", 5),
        ("spend below its minimum", 4),
        ("occurred_at after the load", 6),
        ("close_date before created_at", 3),
        ("changed_at before lead created_at", 4),
    ):
        assert f"{reason} ({n})" in text, text
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = [(f"quarantine_{t.source}__{t.name}",) for t in TABLES_BY_NAME.values()]
        total = sum(con.execute(f'select count(*) from quarantine."{t}"').fetchall()[0][0] for (t,) in tables)
    assert total > 0 and f"{total:,} raw row(s) quarantined" in text, text


def test_duplicate_keys_that_bypass_validation_are_stopped_by_dbt_tests(
    raw_dir: Path, tmp_path: Path
) -> None:
    """Defence in depth: the catalogue says dbt's unique test stops duplicate lead ids too."""
    write_dirty(raw_dir, tmp_path / "raw", ("duplicate_keys",))
    outcome = run_dbt(
        ["build", "--select", "+stg_crm__leads"],
        tmp_path / "raw",
        tmp_path / "dup.duckdb",
        target="test",
        extra_env=_dbt_env(tmp_path),
    )
    assert not outcome.success
    assert any("unique_stg_crm__leads_lead_id" in f and "3 results" in f for f in outcome.failures), (
        outcome.failures
    )


def test_no_bad_input_reaches_a_mart(dirty_build, reference_build) -> None:
    """Every mart of the dirty build equals the reference build's, row for row: what staging
    quarantined is as if never delivered, what it repaired is as if delivered clean."""
    from warehouses import differences

    _, _, outcome, dirty = dirty_build
    assert outcome.success, outcome.failures
    assert differences(Path(str(dirty)), reference_build, ()) == {}


def test_the_reference_differs_where_a_guard_would_have_failed(dirty_build, reference_build) -> None:
    """The comparison above can fail: the reference build with one quarantined deal put back
    (its NaN amount read as a number) differs from the dirty build in the marts."""
    from warehouses import differences

    changed, _, _, dirty = dirty_build
    with duckdb.connect(str(reference_build)) as con:
        opportunity = _keys(changed, "absurd_amount", "opportunities")[0]
        con.execute(
            "insert into marts.fct_opportunities select * replace (? as opportunity_id) "
            "from marts.fct_opportunities limit 1",
            [opportunity],
        )
    assert "marts.fct_opportunities" in differences(Path(str(dirty)), reference_build, ())


WARNED_AND_QUARANTINED = [b for b in QUARANTINED if b.severity == "warn"]


@pytest.mark.parametrize("bad", WARNED_AND_QUARANTINED, ids=lambda b: b.kind)
def test_validate_counts_the_rows_staging_quarantines(dirty_build, bad) -> None:
    """Validate's words match what staging does: the rows a warning counts (and shows) are the
    rows staging set aside for that reason (children quarantined as orphans are its cascade)."""
    _, report, _, warehouse = dirty_build
    findings = [
        f for f in report.warnings if f.table == bad.table and f.rule == bad.rule and f.column == bad.column
    ]
    assert len(findings) == 1, [f.line() for f in findings]
    relation = _relation(bad.table, "quarantine")
    with duckdb.connect(str(warehouse), read_only=True) as con:
        quarantined = con.execute(
            f"select count(*) from {relation} where quarantine_reason = ?", [bad.quarantine_reason]
        ).fetchall()[0][0]
        if bad.quarantine_reason.startswith("orphan "):  # the parent's own defects cascade too
            column = bad.quarantine_reason.removeprefix("orphan ")
            parent, parent_key = TABLES_BY_NAME[bad.table].foreign_keys[column].split(".")
            raw = Path(str(warehouse)).parent / "raw" / f"{parent}.parquet"
            quarantined = con.execute(
                f"select count(*) from {relation} where quarantine_reason = ? and {column} not in "
                f"(select {parent_key} from read_parquet('{raw}'))",
                [bad.quarantine_reason],
            ).fetchall()[0][0]
        if bad.quarantine_reason in ("merge cycle", "merged into itself"):
            quarantined = con.execute(
                f"select count(*) from {relation} "
                "where quarantine_reason in ('merge cycle', 'merged into itself')"
            ).fetchall()[0][0]
        key = STAGED_KEY[bad.table]
        shown = [str(example.get(TABLES_BY_NAME[bad.table].key[0])) for example in findings[0].examples]
        if bad.kind != "null_keys" and bad.table != "ad_spend":
            marks = ", ".join("?" for _ in shown)
            reasons = con.execute(
                f"select distinct quarantine_reason from {relation} where {key} in ({marks})", shown
            ).fetchall()
            assert shown and {r[0] for r in reasons} <= {
                bad.quarantine_reason,
                "merge cycle",
                "merged into itself",
            }
    assert findings[0].failing == quarantined, findings[0].line()


def test_validate_counts_the_copies_staging_drops(dirty_build) -> None:
    _, report, _, warehouse = dirty_build
    (finding,) = [f for f in report.warnings if f.table == "web_events" and f.rule == "event delivered once"]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        dropped = con.execute(
            "select duplicate_copies_dropped from quality.row_reconciliation where table_name = 'web_events'"
        ).fetchall()[0][0]
    # validate counts every row sharing its event id (n copies of an event); staging keeps one of each
    with duckdb.connect() as con:
        raw = Path(str(warehouse)).parent / "raw" / "web_events.parquet"
        events = con.execute(
            f"select count(*) from (select event_id from read_parquet('{raw}') "
            "group by event_id having count(*) > 1)"
        ).fetchall()[0][0]
    assert finding.failing - events == dropped
