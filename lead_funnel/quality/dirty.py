"""Bad inputs on demand: corrupted copies of a clean raw data set, one kind of defect each.

``write_dirty(clean_dir, out_dir, kinds)`` copies a clean landing folder (never modifying it)
and applies each defect of ``kinds`` to the copy. Row-level kinds compose: every kind picks its
rows deterministically and never a row another kind already touched, so one copy can carry many
defects at once (that is how the quarantine build test uses them). ``CATALOGUE`` documents each
kind: the guard that catches it, the message a user reads, and what happens to the build;
``docs/bad_inputs.md`` is the same catalogue for people and the tests prove every entry.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

import duckdb

from lead_funnel.contract import TABLES, TABLES_BY_NAME, table
from lead_funnel.paths import seed_path
from lead_funnel.quality.reader import quote_ident, quote_literal
from lead_funnel.quality.settings import dbt_vars

Outcome = Literal["build stops", "rows quarantined", "handled", "reported"]
# What the marts of a dirty copy must equal: the build of the copy with the defective rows removed
# (quarantined rows), restored to their clean values (repairs), only the latest loaded copy of a
# re-delivered row kept, or kept as delivered (rows that can be true, or repairs that keep the
# delivered text: tested on their own).
Reference = Literal["remove", "restore", "latest", "keep"]
# Rules whose message is the file or the column, not a count of failing rows.
STRUCTURAL_RULES = frozenset(
    {
        "columns present",
        "column type",
        "readable file",
        "not provided",
        "optional columns not delivered",
        "naive local time",
    }
)
# Rules that say what a delivery lacks (severity info for optional tables and columns).
INFO_RULES = frozenset({"not provided", "optional columns not delivered"})
DIRTY_MANIFEST = "_dirty.json"


@dataclass(frozen=True)
class BadInput:
    """One entry of the catalogue of bad inputs."""

    kind: str
    defect: str
    table: str
    guard: str
    message: str  # the text the user reads (a fragment of the `lead-funnel validate` line)
    outcome: Outcome
    handling: str
    quarantine_reason: str | None = None
    fmt: str = "parquet"
    needs_previous_load: bool = False
    # The defect is late arrival: the dirty copy is the second of two deliveries, and the first is
    # the same folder without the changed rows (write_previous_delivery); build both in turn.
    arrives_late: bool = False
    rule: str = ""  # the `lead-funnel validate` rule that reports it ("" = nothing to report)
    column: str = ""  # the column the finding names ("" = the file as a whole)
    reference: Reference | None = None  # default: remove when quarantined, else keep

    @property
    def reference_rows(self) -> Reference:
        """How the reference data set treats the rows this kind changed (see ``reference_copy``)."""
        if self.reference is not None:
            return self.reference
        return "remove" if self.outcome == "rows quarantined" else "keep"

    @property
    def severity(self) -> str:
        """``error`` (blocks the build), ``warn`` (reported), ``info`` (what the delivery lacks) or
        ``""`` (validation passes silently)."""
        if not self.rule:
            return ""
        if self.rule in INFO_RULES:
            return "info"
        return "error" if self.outcome == "build stops" else "warn"

    def report_line(self) -> str:
        """The shape of the line `lead-funnel validate` prints: severity, where, [rule], message.

        Row-level messages start with the failing count and end with example values; the
        catalogue's ``message`` is the fixed text in between."""
        if not self.rule:
            return self.message
        source = TABLES_BY_NAME[self.table].source
        where = f"{source}.{self.table}" + (f".{self.column}" if self.column else "")
        lead = "" if self.starts_message else "…"
        return f"{self.severity.upper()} {where} [{self.rule}]: {lead}{self.message}…"

    @property
    def starts_message(self) -> bool:
        """Structural findings start with the catalogue's text; row-level ones with a count."""
        return self.rule in STRUCTURAL_RULES


@dataclass
class DirtyContext:
    """The copy being corrupted, and which rows each kind touched."""

    out_dir: Path
    fmt: str
    now: datetime
    vocabulary: str
    con: duckdb.DuckDBPyConnection
    touched: dict[str, set[str]] = field(default_factory=dict)
    changed: dict[str, list[str]] = field(default_factory=dict)

    def path(self, name: str) -> Path:
        return self.out_dir / f"{name}.parquet"

    def src(self, name: str) -> str:
        return f"read_parquet({quote_literal(str(self.path(name)))})"

    def key_expr(self, name: str, alias: str = "") -> str:
        prefix = alias + "." if alias else ""
        keys = [f"cast({prefix}{quote_ident(k)} as varchar)" for k in table(name).key]
        return keys[0] if len(keys) == 1 else " || '|' || ".join(keys)

    def pick(self, name: str, n: int, salt: str, where: str = "true") -> list[str]:
        """``n`` keys of ``name``, chosen deterministically, none touched by another kind."""
        key = self.key_expr(name)
        rows = self.con.execute(
            f"select distinct {key} as k from {self.src(name)} where {key} is not null and ({where}) "
            f"order by md5({key} || {quote_literal(salt)}) limit {n + len(self.touched.get(name, ()))}"
        ).fetchall()
        taken = self.touched.setdefault(name, set())
        keys = [str(r[0]) for r in rows if str(r[0]) not in taken][:n]
        if len(keys) < n:
            raise ValueError(f"dirty {salt}: only {len(keys)} candidate rows in {name} (wanted {n})")
        taken.update(keys)
        self.changed.setdefault(salt, []).extend(f"{name}:{k}" for k in keys)
        return keys

    def in_keys(self, name: str, keys: list[str]) -> str:
        return f"{self.key_expr(name)} in ({', '.join(quote_literal(k) for k in keys)})"

    def rewrite(self, name: str, select_sql: str) -> None:
        """Replace ``<name>.parquet`` of the copy with ``select_sql`` (``{src}`` = the current file)."""
        tmp = self.out_dir / f".{name}.tmp.parquet"
        query = select_sql.format(src=self.src(name))
        self.con.execute(f"copy ({query}) to {quote_literal(str(tmp))} (format parquet, compression zstd)")
        os.replace(tmp, self.path(name))

    def ts(self, moment: datetime) -> str:
        return f"timestamptz {quote_literal(moment.isoformat())}"


def _stage_values(ctx: DirtyContext, canonical: str) -> list[str]:
    rows = ctx.con.execute(
        f"select source_value from read_csv({quote_literal(str(seed_path('stage_mapping')))}, "
        "header = true, all_varchar = true) where source_system = ? and canonical_stage = ? "
        "order by source_value",
        [ctx.vocabulary, canonical],
    ).fetchall()
    return [str(r[0]) for r in rows]


# --------------------------------------------------------------------------- structural defects


def _missing_column(ctx: DirtyContext) -> None:
    ctx.rewrite("leads", "select * exclude (created_at) from {src}")


def _missing_optional_column(ctx: DirtyContext) -> None:
    ctx.rewrite("leads", "select * exclude (email) from {src}")


def _renamed_column(ctx: DirtyContext) -> None:
    ctx.rewrite("leads", "select * exclude (created_at), created_at as created_date from {src}")


def _wrong_type(ctx: DirtyContext) -> None:
    ctx.rewrite("opportunities", "select * replace (format('{{:,.2f}} USD', amount) as amount) from {src}")


def _empty_file(ctx: DirtyContext) -> None:
    ctx.path("leads").write_bytes(b"")


def _empty_table(ctx: DirtyContext) -> None:
    ctx.rewrite("web_events", "select * from {src} limit 0")


def _truncated_parquet(ctx: DirtyContext) -> None:
    path = ctx.path("web_events")
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * 0.6)])


def _duplicate_keys(ctx: DirtyContext) -> None:
    keys = ctx.pick("leads", 3, "duplicate_keys")
    ctx.rewrite(
        "leads",
        f"select * from {{src}} union all select * replace ('other.' || email as email) from {{src}} "
        f"where {ctx.in_keys('leads', keys)}",
    )


def _volume_drop(ctx: DirtyContext) -> None:
    ctx.rewrite("web_events", "select * from {src} using sample 5 percent (reservoir, 42)")


# --------------------------------------------------------------------------- row-level defects


def _null_keys(ctx: DirtyContext) -> None:
    keys = ctx.pick("activities", 5, "null_keys")
    ctx.rewrite(
        "activities",
        f"select * replace (case when {ctx.in_keys('activities', keys)} then null else activity_id end "
        "as activity_id) from {src}",
    )


def _orphan_foreign_keys(ctx: DirtyContext) -> None:
    keys = ctx.pick("campaign_members", 4, "orphan_foreign_keys")
    ctx.rewrite(
        "campaign_members",
        f"select * replace (case when {ctx.in_keys('campaign_members', keys)} "
        "then 'L-DOES-NOT-EXIST-' || campaign_member_id else lead_id end as lead_id) from {src}",
    )


def _future_timestamps(ctx: DirtyContext) -> None:
    keys = ctx.pick("web_events", 6, "future_timestamps")
    ctx.rewrite(
        "web_events",
        f"select * replace (case when {ctx.in_keys('web_events', keys)} then loaded_at + interval 30 day "
        "else occurred_at end as occurred_at) from {src}",
    )


def _duplicate_event_ids(ctx: DirtyContext) -> None:
    keys = ctx.pick("web_events", 20, "duplicate_event_ids")
    ctx.rewrite(
        "web_events",
        "select * from {src} union all "
        "select * replace (loaded_at + interval 2 day as loaded_at, 'redelivered' as session_id) from {src} "
        f"where {ctx.in_keys('web_events', keys)}",
    )


def _same_person_twice(ctx: DirtyContext) -> None:
    keys = ctx.pick("leads", 5, "same_person_twice", "not is_deleted and merged_into_lead_id is null")
    ctx.rewrite(
        "leads",
        "select * from {src} union all "
        "select * replace ('DUP-' || lead_id as lead_id, '  ' || upper(email) || ' ' as email, "
        "created_at + interval 3 day as created_at, updated_at + interval 3 day as updated_at) "
        f"from {{src}} where {ctx.in_keys('leads', keys)}",
    )
    ctx.changed["same_person_twice"] += [f"leads:DUP-{k}" for k in keys]


def _unknown_stage_values(ctx: DirtyContext) -> None:
    changes = ctx.pick("lead_status_changes", 5, "unknown_stage_values")
    ctx.rewrite(
        "lead_status_changes",
        f"select * replace (case when {ctx.in_keys('lead_status_changes', changes)} then 'Hot Prospect' "
        "else new_value end as new_value) from {src}",
    )
    opps = ctx.pick("opportunities", 3, "unknown_stage_values", "not is_closed")
    ctx.rewrite(
        "opportunities",
        f"select * replace (case when {ctx.in_keys('opportunities', opps)} then 'Verbal Commit' "
        "else stage_name end as stage_name) from {src}",
    )


def _backward_stage_moves(ctx: DirtyContext) -> None:
    opps = ctx.pick(
        "opportunities",
        3,
        "backward_stage_moves",
        f"opportunity_id in (select opportunity_id from {ctx.src('opportunity_stage_changes')})",
    )
    ctx.rewrite(
        "opportunity_stage_changes",
        "select * from {src} union all "
        "select 'BACK-' || opportunity_id as change_id, opportunity_id, 'Negotiation' as old_stage, "
        "'Discovery' as new_stage, max(changed_at) + interval 1 hour as changed_at, "
        "max(changed_at) + interval 1 day as loaded_at "
        f"from {{src}} where {ctx.in_keys('opportunities', opps)} "
        "group by opportunity_id",
    )
    mql, later = _stage_values(ctx, "mql"), _stage_values(ctx, "sql")
    if not mql or not later:
        return
    candidates = ", ".join(quote_literal(v) for v in later)
    leads = ctx.pick(
        "leads",
        3,
        "backward_stage_moves",
        f"lead_id in (select lead_id from {ctx.src('lead_status_changes')} "
        f"where new_value in ({candidates}))",
    )
    ctx.rewrite(
        "lead_status_changes",
        "select * from {src} union all "
        "select 'BACK-' || lead_id as change_id, lead_id, arg_max(new_value, changed_at) as old_value, "
        f"{quote_literal(mql[0])} as new_value, max(changed_at) + interval 1 hour as changed_at, "
        "'system' as changed_by, "
        "max(changed_at) + interval 1 day as loaded_at "
        f"from {{src}} where {ctx.in_keys('leads', leads)} group by lead_id",
    )


def _close_before_created(ctx: DirtyContext) -> None:
    opps = ctx.pick("opportunities", 3, "close_before_created", "close_date is not null")
    ctx.rewrite(
        "opportunities",
        f"select * replace (case when {ctx.in_keys('opportunities', opps)} "
        "then cast(created_at as date) - 10 else close_date end as close_date) from {src}",
    )


def _won_before_mql(ctx: DirtyContext) -> None:
    mql = _stage_values(ctx, "mql")
    values = ", ".join(quote_literal(v) for v in mql) or "''"
    first_mql = (
        f"select lead_id, min(changed_at) as first_mql_at from {ctx.src('lead_status_changes')} "
        f"where new_value in ({values}) group by lead_id"
    )
    opps = ctx.pick(
        "opportunities", 3, "won_before_mql", f"primary_lead_id in (select lead_id from ({first_mql}))"
    )
    leads = ", ".join(
        quote_literal(r[0])
        for r in ctx.con.execute(
            f"select primary_lead_id from {ctx.src('opportunities')} "
            f"where {ctx.in_keys('opportunities', opps)}"
        ).fetchall()
    )
    # Keep later kinds off these leads' status history: it defines their first MQL.
    ctx.touched.setdefault("lead_status_changes", set()).update(
        str(r[0])
        for r in ctx.con.execute(
            f"select change_id from {ctx.src('lead_status_changes')} where lead_id in ({leads})"
        ).fetchall()
    )
    ctx.rewrite(
        "opportunities",
        f"with first_mql as ({first_mql}) "
        "select * exclude (picked, first_mql_at) replace ("
        "case when picked then 'Closed Won' else stage_name end as stage_name, "
        "case when picked then true else is_closed end as is_closed, "
        "case when picked then true else is_won end as is_won, "
        "case when picked then cast(first_mql_at as date) - 5 else close_date end as close_date, "
        "case when picked then first_mql_at - interval 15 day else created_at end as created_at) "
        f"from (select o.*, {ctx.in_keys('opportunities', opps)} as picked, f.first_mql_at "
        "from {src} as o left join first_mql as f on o.primary_lead_id = f.lead_id)",
    )


def _negative_spend(ctx: DirtyContext) -> None:
    keys = ctx.pick("ad_spend", 4, "negative_spend", "spend > 0")
    ctx.rewrite(
        "ad_spend",
        f"select * replace (case when {ctx.in_keys('ad_spend', keys)} then -spend else spend end as spend) "
        "from {src}",
    )


def _set_value(ctx: DirtyContext, kind: str, table: str, column: str, value_sql: str, where: str) -> None:
    keys = ctx.pick(table, 4, kind, where)
    ctx.rewrite(
        table,
        f"select * replace (case when {ctx.in_keys(table, keys)} then {value_sql} else {column} end "
        f"as {column}) from {{src}}",
    )


def _nan_spend(ctx: DirtyContext) -> None:
    _set_value(ctx, "nan_spend", "ad_spend", "spend", "cast('nan' as double)", "spend > 0")


def _inf_spend(ctx: DirtyContext) -> None:
    _set_value(ctx, "inf_spend", "ad_spend", "spend", "cast('inf' as double)", "spend > 0")


def _nan_amount(ctx: DirtyContext) -> None:
    _set_value(ctx, "nan_amount", "opportunities", "amount", "cast('nan' as double)", "amount > 0")


def _absurd_amount(ctx: DirtyContext) -> None:
    _set_value(ctx, "absurd_amount", "opportunities", "amount", "cast(1e18 as double)", "amount > 0")


# How far before the table's latest load the late rows are stamped: beyond the default lookback
# (var incremental_lookback_hours, 72 h), within the late window (incremental_late_window_days, 30).
LATE_DAYS = 10


def _late_rows(ctx: DirtyContext, kind: str, table_name: str, occurred: str, n: int) -> None:
    """Rows that arrive late: stamped LATE_DAYS before the table's latest load (the events
    happened earlier still), delivered only now (the previous delivery lacks them)."""
    key = table(table_name).key[0]
    latest = f"(select max(loaded_at) from {ctx.src(table_name)})"
    single = f"{key} in (select {key} from {ctx.src(table_name)} group by {key} having count(*) = 1)"
    keys = ctx.pick(table_name, n, kind, f"{occurred} < {latest} - interval {LATE_DAYS + 1} day and {single}")
    ctx.rewrite(
        table_name,
        f"select * replace (case when {ctx.in_keys(table_name, keys)} "
        f"then {latest} - interval {LATE_DAYS} day else loaded_at end as loaded_at) from {{src}}",
    )


def _late_form_submissions(ctx: DirtyContext) -> None:
    _late_rows(ctx, "late_form_submissions", "form_submissions", "submitted_at", 8)


def _late_page_views(ctx: DirtyContext) -> None:
    _late_rows(ctx, "late_page_views", "web_events", "occurred_at", 25)


def write_previous_delivery(dirty_dir: Path, out_dir: Path, from_dir: Path | None = None) -> Path:
    """The delivery before a dirty copy of late-arriving kinds: the same folder without the rows
    those kinds changed (they arrive with the dirty copy, stamped before the previous load).
    ``from_dir``: filter this folder instead (e.g. an earlier cut of the dirty copy, in place)."""
    note = json.loads((dirty_dir / DIRTY_MANIFEST).read_text(encoding="utf-8"))
    late = [k for k in note["kinds"] if KINDS[k].arrives_late]
    source = (from_dir or dirty_dir).resolve()
    out_dir = out_dir.resolve()
    if out_dir != source:
        if out_dir.exists():
            shutil.rmtree(out_dir)
        out_dir.mkdir(parents=True)
        for item in source.glob("*.json"):
            if item.name != DIRTY_MANIFEST:
                shutil.copyfile(item, out_dir / item.name)
    con = duckdb.connect()
    try:
        for item in sorted(source.glob("*.parquet")):
            keys = [
                k.split(":", 1)[1]
                for kind in late
                for k in note["changed_rows"].get(kind, [])
                if k.split(":", 1)[0] == item.stem
            ]
            target = out_dir / item.name
            if not keys:
                if target != item:
                    shutil.copyfile(item, target)
                continue
            key = table(item.stem).key[0]
            marks = ", ".join(quote_literal(k) for k in keys)
            tmp = out_dir / f".{item.stem}.tmp.parquet"
            con.execute(
                f"copy (select * from read_parquet({quote_literal(str(item))}) "
                f"where cast({quote_ident(key)} as varchar) not in ({marks})) "
                f"to {quote_literal(str(tmp))} (format parquet, compression zstd)"
            )
            os.replace(tmp, target)
    finally:
        con.close()
    return out_dir


def _status_before_lead_created(ctx: DirtyContext) -> None:
    leads = f"select lead_id, created_at from {ctx.src('leads')}"
    keys = ctx.pick(
        "lead_status_changes",
        4,
        "status_before_lead_created",
        f"lead_id in (select lead_id from ({leads}))",
    )
    ctx.rewrite(
        "lead_status_changes",
        f"with leads as ({leads}) select * exclude (lead_created) replace ("
        f"case when {ctx.in_keys('lead_status_changes', keys)} then lead_created - interval 10 day "
        "else changed_at end as changed_at) "
        "from (select c.*, l.created_at as lead_created from {src} as c "
        "left join leads as l on c.lead_id = l.lead_id)",
    )


def _unmerged_leads(ctx: DirtyContext) -> str:
    """Live leads nothing is merged into (a merge defect then touches only the picked records)."""
    return (
        "not is_deleted and merged_into_lead_id is null and lead_id not in "
        f"(select merged_into_lead_id from {ctx.src('leads')} where merged_into_lead_id is not null)"
    )


def _merge_cycle(ctx: DirtyContext) -> None:
    """A -> B -> A, and C merged into A (a chain running into the cycle)."""
    a, b, c = ctx.pick("leads", 3, "merge_cycle", _unmerged_leads(ctx))
    pointer = {a: b, b: a, c: a}
    cases = " ".join(f"when lead_id = {quote_literal(k)} then {quote_literal(v)}" for k, v in pointer.items())
    ctx.rewrite(
        "leads",
        f"select * replace (case {cases} else merged_into_lead_id end as merged_into_lead_id) from {{src}}",
    )


def _self_merge(ctx: DirtyContext) -> None:
    keys = ctx.pick("leads", 2, "self_merge", _unmerged_leads(ctx))
    ctx.rewrite(
        "leads",
        f"select * replace (case when {ctx.in_keys('leads', keys)} then lead_id else merged_into_lead_id end "
        "as merged_into_lead_id) from {src}",
    )


def _status_case_variants(ctx: DirtyContext) -> None:
    """The CRM's status words in other letter cases and with spaces: 'MQL', '  marketing qualified '."""
    changes = ctx.pick("lead_status_changes", 40, "status_case_variants")
    picked = ctx.in_keys("lead_status_changes", changes)
    ctx.rewrite(
        "lead_status_changes",
        f"select * replace (case when {picked} then upper(new_value) else new_value end as new_value, "
        f"case when {picked} then '  ' || lower(old_value) || ' ' else old_value end as old_value) "
        "from {src}",
    )
    leads = ctx.pick("leads", 20, "status_case_variants", "status is not null")
    ctx.rewrite(
        "leads",
        f"select * replace (case when {ctx.in_keys('leads', leads)} then ' ' || upper(status) || '  ' "
        "else status end as status) from {src}",
    )


def _naive_local_timestamps(ctx: DirtyContext) -> None:
    """The CRM export wrote its instants as naive New York time (UTC-5 / UTC-4), without offset."""
    local = "timezone('America/New_York', {column})"
    ctx.rewrite(
        "leads", "select * replace (" + local.format(column="created_at") + " as created_at) from {src}"
    )
    ctx.changed["naive_local_timestamps"] = ["leads:*created_at"]


# --------------------------------------------------------------------------- CSV defects


def _to_csv(
    ctx: DirtyContext, delimiters: dict[str, str] | None = None, zones: dict[str, str] | None = None
) -> None:
    """Rewrite the whole copy as CSV (the raw format is per folder), optionally with per-table
    delimiters and time zones (instants are written in local time with their offset)."""
    try:
        for tbl in TABLES:
            zone = (zones or {}).get(tbl.name, "UTC")
            delimiter = (delimiters or {}).get(tbl.name, ",")
            ctx.con.execute(f"set TimeZone = {quote_literal(zone)}")
            parquet = ctx.path(tbl.name)
            csv = ctx.out_dir / f"{tbl.name}.csv"
            ctx.con.execute(
                f"copy (select * from read_parquet({quote_literal(str(parquet))})) "
                f"to {quote_literal(str(csv))} "
                f"(header, delimiter {quote_literal(delimiter)})"
            )
            parquet.unlink()
    finally:
        ctx.con.execute("set TimeZone = 'UTC'")
    ctx.fmt = "csv"


def _csv_wrong_delimiter(ctx: DirtyContext) -> None:
    _to_csv(ctx, delimiters={"leads": ";"})


def _csv_wrong_encoding(ctx: DirtyContext) -> None:
    keys = ctx.pick("leads", 5, "csv_wrong_encoding", "first_name is not null")
    ctx.rewrite(
        "leads",
        f"select * replace (case when {ctx.in_keys('leads', keys)} then 'José' else first_name end "
        "as first_name, "
        f"case when {ctx.in_keys('leads', keys)} then 'Müller' else last_name end as last_name) from {{src}}",
    )
    _to_csv(ctx)
    csv = ctx.out_dir / "leads.csv"
    csv.write_bytes(csv.read_text(encoding="utf-8").encode("latin-1", errors="replace"))


def _timestamp_offsets(ctx: DirtyContext) -> None:
    """CSV with instants written in local time with offsets (+05:30, -05:00): the same instants."""
    _to_csv(ctx, zones={"leads": "Asia/Kolkata", "activities": "America/New_York"})


# --------------------------------------------------------------------------- the catalogue

QUARANTINE = "expectation (warn) + staging quarantine rule"
STOPS = "expectation (error)"

CATALOGUE: tuple[BadInput, ...] = (
    BadInput(
        "missing_column",
        "missing required column",
        "leads",
        f"{STOPS}: columns present",
        "missing required column(s) created_at in leads.parquet: staging would quarantine every row",
        "build stops",
        "`lead-funnel validate` exits 1 and predicts the cascade; `run` never starts dbt (past validation, "
        "`lead-funnel build --skip-validate` prints the cascade and the fix)",
        rule="columns present",
        column="created_at",
    ),
    BadInput(
        "missing_optional_column",
        "missing optional column",
        "leads",
        "validate (info) + staging: typed null",
        "optional column(s) not in leads.parquet: email; staging fills them with null",
        "handled",
        "rows kept; email and email_domain are null in staging",
        rule="optional columns not delivered",
        column="email",
    ),
    BadInput(
        "renamed_column",
        "renamed column",
        "leads",
        f"{STOPS}: columns present",
        "missing required column(s) created_at in leads.parquet: staging would quarantine every row; "
        "the file has unexpected column(s) created_date: renamed?",
        "build stops",
        "the message names the missing and the unexpected column",
        rule="columns present",
        column="created_at",
    ),
    BadInput(
        "wrong_type",
        "wrong type",
        "opportunities",
        f"{STOPS}: column type",
        "amount has type VARCHAR in opportunities.parquet; the contract type is float64",
        "build stops",
        "row checks of the table are skipped: they would only repeat the problem",
        rule="column type",
        column="amount",
    ),
    BadInput(
        "null_keys",
        "null keys",
        "activities",
        f"{QUARANTINE} `null activity_id`",
        "rows have no activity_id (key); staging quarantines them",
        "rows quarantined",
        "rows in `quarantine.quarantine_crm__activities`",
        "null activity_id",
        rule="key not null",
        column="activity_id",
    ),
    BadInput(
        "duplicate_event_ids",
        "duplicate event ids (re-delivered events)",
        "web_events",
        "expectation (warn) + staging `keep_latest_loaded`",
        "rows share their event_id with another delivery of the same event; "
        "staging keeps the latest loaded copy",
        "handled",
        "one row per event id in staging (the latest loaded copy); the other copies are counted in "
        "`quality.row_reconciliation.duplicate_copies_dropped`",
        rule="event delivered once",
        column="event_id",
        reference="latest",
    ),
    BadInput(
        "duplicate_keys",
        "duplicate keys in a current-state table",
        "leads",
        f"{STOPS}: key unique",
        "rows share their lead_id with another row: the key must be unique (a fanned-out export?)",
        "build stops",
        "a fanned-out export: which copy is right cannot be decided; past validation, dbt's `unique` "
        "test on `stg_crm__leads.lead_id` fails and the build is not published",
        rule="key unique",
        column="lead_id",
    ),
    BadInput(
        "same_person_twice",
        "the same person twice (email differs in case/whitespace)",
        "leads",
        "expectation (warn) + staging `clean_email`",
        "leads share their email with another lead once trimmed and lower-cased",
        "handled",
        "both rows kept; staging trims and lower-cases the emails, so they are equal downstream",
        rule="same person twice",
        column="email",
    ),
    BadInput(
        "orphan_foreign_keys",
        "orphan foreign keys",
        "campaign_members",
        f"{QUARANTINE} `orphan lead_id`",
        "rows reference a lead_id that is not in leads.lead_id",
        "rows quarantined",
        "rows in `quarantine.quarantine_marketing__campaign_members`; a child of a quarantined parent is "
        "quarantined as an orphan too",
        "orphan lead_id",
        rule="foreign key",
        column="lead_id",
    ),
    BadInput(
        "future_timestamps",
        "future timestamps",
        "web_events",
        f"{QUARANTINE} `occurred_at after the load`",
        "values of occurred_at are later than the row's load time + 24h",
        "rows quarantined",
        "compared with the row's own loaded_at (or the file's load time), never the wall clock",
        "occurred_at after the load",
        rule="not after the load",
        column="occurred_at",
    ),
    BadInput(
        "timestamp_offsets",
        "timestamps with offsets (CSV)",
        "leads",
        "staging `to_utc_timestamp`",
        "validation passed",
        "handled",
        "`+05:30` / `-05:00` offsets are converted to the same UTC instants as the Parquet export",
        fmt="csv",
        reference="restore",
    ),
    BadInput(
        "unknown_stage_values",
        "unknown stage values",
        "lead_status_changes",
        "expectation (warn) + staging vocabulary mapping",
        "values are not mapped by seeds/vocabularies/stage_mapping.csv",
        "handled",
        "status rows kept with their raw value in new_source_status and stage `unmapped` (add a seed "
        "row: `lead-funnel mapping`); an opportunity stage no seed maps keeps its name, stage_category "
        "`unmapped`",
        rule="value in vocabulary",
        column="new_value",
    ),
    BadInput(
        "backward_stage_moves",
        "backward stage moves",
        "opportunity_stage_changes",
        "expectation (warn)",
        "stage changes move the opportunity backward",
        "reported",
        "rows kept: the stage history records both moves (lead statuses moving back from SQL to MQL too)",
        rule="no backward stage move",
        column="new_stage",
    ),
    BadInput(
        "close_before_created",
        "opportunity closed before created",
        "opportunities",
        f"{QUARANTINE} `close_date before created_at`",
        "opportunities have a close_date before their created_at; staging quarantines them",
        "rows quarantined",
        "their stage changes are quarantined as `orphan opportunity_id`",
        "close_date before created_at",
        rule="closed after created",
        column="close_date",
    ),
    BadInput(
        "won_before_mql",
        "a deal won before the lead's MQL",
        "opportunities",
        "expectation (warn)",
        "won opportunities closed before their primary lead first reached MQL",
        "reported",
        "rows kept: a sales-sourced deal can skip MQL; the report lists them for review",
        rule="won after MQL",
        column="close_date",
    ),
    BadInput(
        "negative_spend",
        "negative spend",
        "ad_spend",
        f"{QUARANTINE} `spend below its minimum`",
        "values of spend lie outside [0, 1e+08] (seed numeric_bounds",
        "rows quarantined",
        "rows in `quarantine.quarantine_marketing__ad_spend`",
        "spend below its minimum",
        rule="within bounds",
        column="spend",
    ),
    BadInput(
        "nan_spend",
        "NaN ad spend",
        "ad_spend",
        f"{QUARANTINE} `spend not finite`",
        "values of spend are not finite (NaN or Infinity",
        "rows quarantined",
        "rows in `quarantine.quarantine_marketing__ad_spend`; spend and cost per lead stay finite",
        "spend not finite",
        rule="finite number",
        column="spend",
    ),
    BadInput(
        "inf_spend",
        "infinite ad spend",
        "ad_spend",
        f"{QUARANTINE} `spend not finite`",
        "values of spend are not finite (NaN or Infinity",
        "rows quarantined",
        "rows in `quarantine.quarantine_marketing__ad_spend`",
        "spend not finite",
        rule="finite number",
        column="spend",
    ),
    BadInput(
        "nan_amount",
        "NaN opportunity amount",
        "opportunities",
        f"{QUARANTINE} `amount not finite`",
        "values of amount are not finite (NaN or Infinity",
        "rows quarantined",
        "rows in `quarantine.quarantine_crm__opportunities`",
        "amount not finite",
        rule="finite number",
        column="amount",
    ),
    BadInput(
        "absurd_amount",
        "opportunity amount of 1e18",
        "opportunities",
        f"{QUARANTINE} `amount above its maximum`",
        "values of amount lie outside [0, 1e+09] (seed numeric_bounds",
        "rows quarantined",
        "rows in `quarantine.quarantine_crm__opportunities`",
        "amount above its maximum",
        rule="within bounds",
        column="amount",
    ),
    BadInput(
        "late_form_submissions",
        "late form submissions (loaded_at older than the lookback)",
        "form_submissions",
        "incremental copies: anti-join on the key over var incremental_late_window_days; "
        "`row_reconciliation` beyond it",
        "validation passed",
        "handled",
        f"rows stamped {LATE_DAYS} days before the latest load that the previous delivery lacked: the "
        "incremental build picks them up (`int_form_submissions_deduplicated` finds them when it is "
        "compiled and records them in `quality.incremental_late_rows`; touches, score ledger and "
        "lifecycle re-read them): "
        "0 rows lost, the marts equal a full refresh. Rows missing from beyond the late window fail "
        "`row_reconciliation` naming the table and the count. Reproduce: build "
        "`write_previous_delivery(dirty)` first, then the dirty copy",
        arrives_late=True,
    ),
    BadInput(
        "late_page_views",
        "late page views (loaded_at older than the lookback)",
        "web_events",
        "incremental copies: anti-join on the key over var incremental_late_window_days; "
        "`row_reconciliation` beyond it",
        "validation passed",
        "handled",
        f"rows stamped {LATE_DAYS} days before the latest load that the previous delivery lacked: "
        "`stg_marketing__web_events` picks them up, sessions and the score ledger re-read them: 0 rows "
        "lost, the marts equal a full refresh (previously the build failed on an unnamed reconciliation "
        "test). Reproduce: build `write_previous_delivery(dirty)` first, then the dirty copy",
        arrives_late=True,
    ),
    BadInput(
        "status_before_lead_created",
        "status change before the lead existed",
        "lead_status_changes",
        f"{QUARANTINE} `changed_at before lead created_at`",
        "status changes happen more than 24h before their lead was created",
        "rows quarantined",
        "rows in `quarantine.quarantine_crm__lead_status_changes`",
        "changed_at before lead created_at",
        rule="within the lead's life",
        column="changed_at",
    ),
    BadInput(
        "merge_cycle",
        "a merge cycle (A -> B -> A, C -> A)",
        "leads",
        f"{QUARANTINE} `merge cycle`",
        "leads are merged into themselves, or sit on a merge cycle (A -> B -> A) or run into one",
        "rows quarantined",
        "rows in `quarantine.quarantine_crm__leads` (their status changes and deals follow as orphans); the "
        "rest of the merge graph resolves",
        "merge cycle",
        rule="merge pointer resolves",
        column="merged_into_lead_id",
    ),
    BadInput(
        "self_merge",
        "a lead merged into itself",
        "leads",
        f"{QUARANTINE} `merged into itself`",
        "leads are merged into themselves, or sit on a merge cycle (A -> B -> A) or run into one",
        "rows quarantined",
        "rows in `quarantine.quarantine_crm__leads` (their status changes and deals follow as orphans)",
        "merged into itself",
        rule="merge pointer resolves",
        column="merged_into_lead_id",
    ),
    BadInput(
        "status_case_variants",
        "status values in another letter case, with spaces",
        "lead_status_changes",
        "staging vocabulary mapping (case and surrounding spaces ignored)",
        "validation passed",
        "handled",
        "each value maps to its stage through seed stage_mapping, as its canonical spelling does; the raw "
        "value is kept in new_source_status",
    ),
    BadInput(
        "naive_local_timestamps",
        "naive local-time timestamps (no offset)",
        "leads",
        f"{STOPS}: naive local time",
        "the hour-of-day profile of created_at matches the other tables' only when moved by",
        "build stops",
        "`lead-funnel validate` names the table, the column and the offset; read as UTC they would shift "
        "every KPI the table feeds",
        rule="naive local time",
        column="created_at",
    ),
    BadInput(
        "empty_file",
        "an empty file (0 bytes)",
        "leads",
        f"{STOPS}: readable file",
        "leads.parquet is empty (0 bytes): the export wrote nothing",
        "build stops",
        "nothing to read",
        rule="readable file",
    ),
    BadInput(
        "empty_table",
        "an empty export (0 rows)",
        "web_events",
        "validate (info): not provided",
        "not provided (web_events.parquet has no rows): these marts will be empty",
        "reported",
        "the table is not provided: the marts that depend on it build empty; the others are unaffected",
        rule="not provided",
    ),
    BadInput(
        "truncated_parquet",
        "a truncated Parquet file",
        "web_events",
        f"{STOPS}: readable file",
        "web_events.parquet cannot be read as Parquet (truncated or corrupt file?)",
        "build stops",
        "the DuckDB error is quoted",
        rule="readable file",
    ),
    BadInput(
        "csv_wrong_delimiter",
        "a CSV with the wrong delimiter",
        "leads",
        f"{STOPS}: readable file",
        "leads.csv is semicolon-delimited",
        "build stops",
        "read strictly as comma-separated: the header parses as one column",
        fmt="csv",
        rule="readable file",
    ),
    BadInput(
        "csv_wrong_encoding",
        "a CSV with the wrong encoding",
        "leads",
        f"{STOPS}: readable file",
        "leads.csv is not valid UTF-8 (the contract expects UTF-8 CSV; re-export it as UTF-8)",
        "build stops",
        "latin-1 bytes are rejected, never guessed",
        fmt="csv",
        rule="readable file",
    ),
    BadInput(
        "volume_drop",
        "a partial export (volume vs the previous load)",
        "web_events",
        f"{STOPS}: volume vs previous load",
        "of the previous load's rows: a partial export?",
        "build stops",
        "needs a previous validated load of the same landing folder",
        needs_previous_load=True,
        rule="volume vs previous load",
    ),
)
KINDS: dict[str, BadInput] = {b.kind: b for b in CATALOGUE}


@dataclass(frozen=True)
class OperationalFault:
    """A fault of the machine rather than of the data: no ``--dirty`` copy, a documented test."""

    kind: str
    fault: str
    guard: str
    message: str
    outcome: str
    test: str  # tests/<module>.py::<test function> that feeds the fault and fails on the old code


OPERATIONAL_FAULTS: tuple[OperationalFault, ...] = (
    OperationalFault(
        "disk_full",
        "disk full while copying the build, building the candidate or writing the served file",
        "`lead_funnel/publish.py` (ENOSPC -> `PublishError`)",
        "not published: disk full while writing the build in DIR: partial files removed; free space, "
        "build again",
        "exit 1, no traceback; the partial copy is removed (even with `--keep-failed`) so the next "
        "build is not blocked by it; the served file is unchanged",
        "tests/test_publish_faults.py::test_disk_full_while_building_removes_the_candidate",
    ),
    OperationalFault(
        "read_only_folder",
        "the warehouse folder is not writable (permissions, read-only mount)",
        "`lead_funnel/publish.py` (EACCES / EROFS / EPERM -> `PublishError`)",
        "not published: cannot write to DIR (Read-only file system): make the folder writable or pass "
        "--warehouse",
        "exit 1, no traceback, nothing written",
        "tests/test_publish_faults.py::test_read_only_folder_gives_one_line",
    ),
    OperationalFault(
        "concurrent_build",
        "a second build starts while one holds the publish lock",
        "lock file `.<name>.lock` holding the owner's pid (`fcntl.flock`)",
        "waiting for another build (pid N) to release LOCK; with `--lock-timeout S`: not published: "
        "another build (pid N) holds LOCK; gave up after S s (--lock-timeout)",
        "the second build waits (one message naming the holder) or exits 1 after the timeout",
        "tests/test_publish_faults.py::test_concurrent_build_names_the_holder_and_times_out",
    ),
    OperationalFault(
        "clock_shifted",
        "the machine's clock set to an instant inside the data's range",
        "no rule reads the wall clock: \"after the load\" compares with the row's loaded_at or the file's "
        "modification time; the as-of is the data's latest event",
        "none (nothing to report)",
        "the same marts, quality counts and snapshot as a build at the true time",
        "tests/test_no_wall_clock.py::test_a_moved_clock_changes_no_mart",
    ),
    OperationalFault(
        "raw_folder_removed",
        "the raw landing folder moved away or deleted after a publish",
        "the served file holds tables only, of the schemas marts and quality (`lead_funnel/publish.py`)",
        "none: every relation of the served file still answers",
        "BI keeps working; the build (warehouse/build/) needs the folder again only for the next build",
        "tests/test_real_exports.py::test_the_served_file_stands_alone",
    ),
    OperationalFault(
        "failed_build_debris",
        "a build whose tests fail leaves a full copy of the warehouse behind",
        "`lead-funnel build` (`--keep-failed`)",
        "removed WAREHOUSE_DIR/build/failed/lead_funnel.duckdb (--keep-failed keeps it)",
        "the failed copy is removed after its failures are explained, unless `--keep-failed`",
        "tests/test_publish_faults.py::test_failed_build_is_removed_unless_kept",
    ),
)

_APPLY: dict[str, Callable[[DirtyContext], None]] = {
    "missing_column": _missing_column,
    "missing_optional_column": _missing_optional_column,
    "renamed_column": _renamed_column,
    "wrong_type": _wrong_type,
    "null_keys": _null_keys,
    "duplicate_event_ids": _duplicate_event_ids,
    "duplicate_keys": _duplicate_keys,
    "same_person_twice": _same_person_twice,
    "orphan_foreign_keys": _orphan_foreign_keys,
    "future_timestamps": _future_timestamps,
    "timestamp_offsets": _timestamp_offsets,
    "unknown_stage_values": _unknown_stage_values,
    "backward_stage_moves": _backward_stage_moves,
    "close_before_created": _close_before_created,
    "won_before_mql": _won_before_mql,
    "negative_spend": _negative_spend,
    "nan_spend": _nan_spend,
    "inf_spend": _inf_spend,
    "nan_amount": _nan_amount,
    "absurd_amount": _absurd_amount,
    "status_before_lead_created": _status_before_lead_created,
    "late_form_submissions": _late_form_submissions,
    "late_page_views": _late_page_views,
    "merge_cycle": _merge_cycle,
    "self_merge": _self_merge,
    "status_case_variants": _status_case_variants,
    "naive_local_timestamps": _naive_local_timestamps,
    "empty_file": _empty_file,
    "empty_table": _empty_table,
    "truncated_parquet": _truncated_parquet,
    "csv_wrong_delimiter": _csv_wrong_delimiter,
    "csv_wrong_encoding": _csv_wrong_encoding,
    "volume_drop": _volume_drop,
}
# Row-level kinds that compose into one Parquet copy (the quarantine build test uses them all).
ROW_LEVEL_KINDS: tuple[str, ...] = tuple(
    b.kind
    for b in CATALOGUE
    if b.fmt == "parquet"
    and b.outcome in ("rows quarantined", "handled", "reported")
    and b.rule not in STRUCTURAL_RULES
)


def _vocabulary(clean_dir: Path) -> str:
    manifest = clean_dir / "_manifest.json"
    if manifest.exists():
        value = json.loads(manifest.read_text(encoding="utf-8")).get("crm_vocabulary")
        if value:
            return str(value)
    return str(dbt_vars().get("crm_source_system", "salesforce"))


def write_dirty(
    clean_dir: Path, out_dir: Path, kinds: tuple[str, ...], now: datetime | None = None
) -> dict[str, list[str]]:
    """Copy ``clean_dir`` to ``out_dir`` and apply ``kinds``; returns the rows each kind changed."""
    unknown = [k for k in kinds if k not in _APPLY]
    if unknown:
        raise ValueError(f"unknown dirty kind(s): {', '.join(unknown)}; known: {', '.join(_APPLY)}")
    clean_dir, out_dir = clean_dir.resolve(), out_dir.resolve()
    if out_dir == clean_dir:
        raise ValueError("the dirty copy must go to another folder than the clean data set")
    missing = [t.name for t in TABLES if not (clean_dir / f"{t.name}.parquet").exists()]
    if missing:
        raise FileNotFoundError(f"{clean_dir} is not a clean Parquet data set (missing {', '.join(missing)})")
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)
    for item in clean_dir.iterdir():
        if item.is_file() and (item.suffix == ".parquet" or item.name == "_manifest.json"):
            shutil.copyfile(item, out_dir / item.name)
    con = duckdb.connect()
    con.execute("set TimeZone = 'UTC'")
    ctx = DirtyContext(
        out_dir, "parquet", (now or datetime.now(UTC)).astimezone(UTC), _vocabulary(clean_dir), con
    )
    try:
        for kind in kinds:
            ctx.changed.setdefault(kind, [])
            _APPLY[kind](ctx)
    finally:
        con.close()
    note = {"clean_dir": str(clean_dir), "kinds": list(kinds), "changed_rows": ctx.changed}
    (out_dir / DIRTY_MANIFEST).write_text(json.dumps(note, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return ctx.changed


def write_all(clean_dir: Path, out_dir: Path, now: datetime | None = None) -> dict[str, Path]:
    """One dirty copy per kind: ``<out_dir>/<kind>/``."""
    return {kind: _write_one(clean_dir, out_dir / kind, kind, now) for kind in _APPLY}


def _write_one(clean_dir: Path, out: Path, kind: str, now: datetime | None) -> Path:
    write_dirty(clean_dir, out, (kind,), now)
    return out


def generate_dirty(
    out_dir: Path,
    kinds: tuple[str, ...],
    clean_dir: Path | None = None,
    make_clean: Callable[[Path], object] | None = None,
) -> list[Path]:
    """``--dirty``: corrupt a copy of ``clean_dir`` (or of a clean set ``make_clean`` writes to a
    temporary folder). ``all`` writes one folder per kind under ``out_dir``; several kinds go
    into one folder together."""
    with tempfile.TemporaryDirectory(prefix="lead_funnel_clean_") as tmp:
        if clean_dir is None:
            if make_clean is None:
                raise ValueError("need a clean data set: clean_dir or make_clean")
            clean_dir = Path(tmp)
            make_clean(clean_dir)
        if "all" in kinds:
            return list(write_all(clean_dir, out_dir).values())
        write_dirty(clean_dir, out_dir, kinds)
        return [out_dir]


def reference_copy(clean_dir: Path, dirty_dir: Path, out_dir: Path) -> Path:
    """The data set the marts of ``dirty_dir`` must equal, from its ``_dirty.json``: per table, the
    dirty rows without those the kinds changed whose reference is ``remove`` (and without the rows
    whose key a defect nulled), with the clean rows back for kinds whose reference is ``restore``,
    and only the latest loaded copy of the rows of ``latest`` kinds; rows of ``keep`` kinds stay
    as delivered."""
    note = json.loads((dirty_dir / DIRTY_MANIFEST).read_text(encoding="utf-8"))
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)
    con = duckdb.connect()
    ctx = DirtyContext(out_dir, "parquet", datetime.now(UTC), _vocabulary(clean_dir), con)
    try:
        for tbl in TABLES:
            keys: dict[str, set[str]] = {"remove": set(), "restore": set(), "latest": set(), "keep": set()}
            for kind, rows in note["changed_rows"].items():
                keys[KINDS[kind].reference_rows] |= {
                    row.split(":", 1)[1] for row in rows if row.startswith(tbl.name + ":")
                }
            con.execute(
                f"copy ({_reference_sql(ctx, tbl.name, clean_dir, dirty_dir, keys)}) "
                f"to {quote_literal(str(ctx.path(tbl.name)))} (format parquet)"
            )
    finally:
        con.close()
    manifest = clean_dir / "_manifest.json"
    if manifest.exists():
        shutil.copyfile(manifest, out_dir / manifest.name)
    return out_dir


def _reference_sql(
    ctx: DirtyContext, name: str, clean_dir: Path, dirty_dir: Path, keys: dict[str, set[str]]
) -> str:
    key = ctx.key_expr(name)

    def listed(values: set[str]) -> str:
        return ", ".join(quote_literal(k) for k in sorted(values))

    dropped = keys["remove"] | keys["restore"]
    kept = f"{key} is not null" + (f" and {key} not in ({listed(dropped)})" if dropped else "")
    dirty = f"read_parquet({quote_literal(str(dirty_dir / f'{name}.parquet'))})"
    sql = f"select * from {dirty} where {kept}"
    if keys["latest"]:
        sql = (
            f"select * exclude (copy_rank) from (select *, case when {key} in ({listed(keys['latest'])}) "
            f"then row_number() over (partition by {key} order by loaded_at desc) else 1 end as copy_rank "
            f"from ({sql})) where copy_rank = 1"
        )
    if keys["restore"]:
        clean = f"read_parquet({quote_literal(str(clean_dir / f'{name}.parquet'))})"
        sql += f" union all by name select * from {clean} where {key} in ({listed(keys['restore'])})"
    return sql
