"""Expectation suites as code, derived from the raw-data contract and the seeds.

Each delivered raw table gets three Great Expectations suites, validated on pandas batches:

* ``<table>.schema``: a one-row frame whose columns are the file's columns and whose values are
  their physical types: required columns present (error), types (error). Optional columns the
  file lacks (info: staging fills them with nulls) and columns outside the contract (warn:
  ignored) are reported by ``validate.py``.
* ``<table>.volume``: a one-row frame with the row count and the previous load's: not collapsed
  against the previous load (error), within a plausible range (warn). An empty table is "not
  provided" (info), like an absent one.
* ``<table>``: the rows, streamed from DuckDB in chunks. Rules that need the whole file or
  another file (key uniqueness, foreign keys, cross-table rules, seed vocabularies) become
  *derived columns* computed by DuckDB in the same streaming query (for example ``key_copies``:
  how many rows of the whole file share this row's key), so every rule is a per-row GX
  expectation whose counts add up exactly across chunks.

The row rules mirror staging's quarantine rules (``macros/staging/raw_staging.sql``) one for one,
with the same tolerances (dbt vars ``quality_*``), the same seeds (vocabularies,
``numeric_bounds``) and the same reference instant for "after the load": the row's ``loaded_at``,
else the file's modification time, never the wall clock.

Severity: ``error`` blocks the build; ``warn`` is reported (row-level defects staging quarantines
or repairs, facts to review); ``info`` says what the delivery lacks.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

import great_expectations.expectations as gxe
from great_expectations.expectations.metadata_types import FailureSeverity

from lead_funnel.contract import TABLES_BY_NAME, VOCABULARIES, Column, Table
from lead_funnel.paths import SEEDS_DIR, seed_path
from lead_funnel.quality.reader import DUCKDB_TYPES, FileInfo, quote_ident, quote_literal, reader_sql
from lead_funnel.quality.settings import QualitySettings

Severity = Literal["error", "warn", "info"]
Batch = Literal["schema", "volume", "rows"]

EMAIL_REGEX = r"^\s*[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\s*$"


@dataclass(frozen=True)
class Derived:
    """A column computed by DuckDB next to the raw columns of a row batch."""

    name: str
    expression: str
    joins: tuple[str, ...] = ()
    ctes: tuple[tuple[str, str], ...] = ()


@dataclass
class Check:
    """One expectation with its severity, its rule name and the message a user reads."""

    batch: Batch
    rule: str
    column: str
    severity: Severity
    expectation: Any
    message: str
    show: tuple[str, ...] = ()
    derived: tuple[Derived, ...] = ()
    max_examples: int = 5


def is_event_table(table: Table) -> bool:
    """Event tables carry ``loaded_at``: the same event id may arrive in several loads."""
    return table.is_event_table


def _expectation(cls: type, severity: Severity, rule: str, **kwargs: Any) -> Any:
    return cls(
        severity=FailureSeverity.CRITICAL if severity == "error" else FailureSeverity.WARNING,
        meta={"severity": severity, "rule": rule},
        **kwargs,
    )


def _check(
    batch: Batch,
    rule: str,
    label: str,
    severity: Severity,
    cls: type,
    message: str,
    show: tuple[str, ...] = (),
    derived: tuple[Derived, ...] = (),
    **kwargs: Any,
) -> Check:
    expectation = _expectation(cls, severity, rule, notes=f"severity: {severity}. {message}", **kwargs)
    return Check(batch, rule, label, severity, expectation, message, show, derived)


# --------------------------------------------------------------------------- seeds


def read_seed(name: str, seeds_dir: Path = SEEDS_DIR) -> list[dict[str, str]]:
    """A seed's rows as text (empty cells as '')."""
    with seed_path(name, seeds_dir).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def numeric_bounds(seeds_dir: Path = SEEDS_DIR) -> dict[tuple[str, str], tuple[float | None, float | None]]:
    """(table, column) -> (min, max) of seed numeric_bounds (None: no bound)."""

    def number(text: str) -> float | None:
        return float(text) if text.strip() else None

    return {
        (row["table_name"], row["column_name"]): (number(row["min_value"]), number(row["max_value"]))
        for row in read_seed("numeric_bounds", seeds_dir)
    }


def vocabulary_sql(name: str, settings: QualitySettings) -> str:
    """The seed rows of a vocabulary as staging reads them: one mapped value per source value."""
    vocab = VOCABULARIES[name]
    where = ""
    if vocab.per_crm:
        where = f"where source_system = {quote_literal(settings.crm_source_system)}"
    elif vocab.vocabulary_filter:
        where = f"where vocabulary = {quote_literal(vocab.vocabulary_filter)}"
    match = quote_ident(vocab.match_column)
    return (
        f"select lower(trim({match})) as match_value, min({quote_ident(vocab.value_column)}) as mapped_value "
        f"from {reader_sql(seed_path(vocab.seed, settings.seeds_dir), 'csv')} {where} "
        f"group by lower(trim({match}))"
    )


# --------------------------------------------------------------------------- schema and volume


def schema_checks(table: Table, info: FileInfo) -> list[Check]:
    """Required columns present, no unexpected columns, and (Parquet) physical types."""
    from lead_funnel.quality.reader import ACCEPTED_TYPES

    checks = [
        _check(
            "schema",
            "columns present",
            "",
            "error",
            gxe.ExpectTableColumnsToMatchSet,
            "every required contract column must be present",
            column_set=table.required_columns,
            exact_match=False,
        ),
    ]
    if info.fmt == "parquet":
        for col in table.columns:
            if col.name in info.columns:
                accepted = ACCEPTED_TYPES[col.type]
                checks.append(
                    _check(
                        "schema",
                        "column type",
                        col.name,
                        "error",
                        gxe.ExpectColumnValuesToBeInSet,
                        f"the contract type is {col.type} (Parquet {', '.join(accepted)}); staging could not "
                        "parse a single value: every row would be quarantined",
                        column=col.name,
                        value_set=list(accepted),
                    )
                )
    return checks


def volume_checks(previous_rows: int | None, settings: QualitySettings) -> list[Check]:
    """Row count against the previous validated load of the same folder."""
    if not previous_rows:
        return []
    low, high = settings.volume_warn_range
    return [
        _check(
            "volume",
            "volume vs previous load",
            "",
            "error",
            gxe.ExpectColumnValuesToBeBetween,
            f"fewer than {settings.volume_error_ratio:.0%} of the previous load's rows: a partial export?",
            column="ratio_to_previous",
            min_value=settings.volume_error_ratio,
        ),
        _check(
            "volume",
            "volume vs previous load",
            "",
            "warn",
            gxe.ExpectColumnValuesToBeBetween,
            f"row count outside {low:.0%}..{high:.0%} of the previous load",
            column="ratio_to_previous",
            min_value=low,
            max_value=high,
        ),
    ]


# --------------------------------------------------------------------------- row batches


def typed_expression(info: FileInfo, column: str, alias: str = "") -> str:
    """A raw column as staging types it: text trimmed (empty -> null), other values try_cast;
    a column the file lacks is a typed null (or its default)."""
    col = info.table.column(column)
    duck = DUCKDB_TYPES[col.type]
    if column not in info.columns:
        value = f"cast(null as {duck})"
    else:
        ref = (alias + "." if alias else "") + quote_ident(column)
        value = (
            f"nullif(trim(cast({ref} as varchar)), '')"
            if col.type == "string"
            else f"try_cast({ref} as {duck})"
        )
        if col.clean in ("lower", "email"):
            value = f"lower({value})"
    default = _default_sql(col)
    return f"coalesce({value}, {default})" if default else value


def _default_sql(col: Column) -> str | None:
    if col.default is None:
        return None
    if col.default.startswith("var:"):
        from lead_funnel.quality.settings import dbt_vars

        return quote_literal(str(dbt_vars()[col.default[4:]]))
    return col.default


def typed_cte(info: FileInfo) -> str:
    """The ``typed`` CTE: contract columns as staging types them, plus each delivered value that
    does not parse as its type (``<column>__unparseable``)."""
    exprs = [f"{typed_expression(info, c.name, 'raw')} as {quote_ident(c.name)}" for c in info.table.columns]
    for col in info.table.columns:
        if col.type != "string" and col.name in info.columns:
            ref = "raw." + quote_ident(col.name)
            exprs.append(
                f"case when {ref} is not null and try_cast({ref} as {DUCKDB_TYPES[col.type]}) is null "
                f"then cast({ref} as varchar) end as {quote_ident(col.name + '__unparseable')}"
            )
    return f"select {', '.join(exprs)} from {reader_sql(info.path, info.fmt)} as raw"


def load_instant_sql(info: FileInfo) -> str:
    """The reference of "after the load": the row's loaded_at, else the file's modification time."""
    if is_event_table(info.table) and "loaded_at" in info.columns:
        return f"coalesce(t.loaded_at, {file_time_sql(info)})"
    return file_time_sql(info)


def file_time_sql(info: FileInfo) -> str:
    return f"timestamptz {quote_literal(file_loaded_at(info).isoformat())}"


def file_loaded_at(info: FileInfo) -> datetime:
    """The file's modification time (UTC): the load time of rows that have no loaded_at."""
    return datetime.fromtimestamp(info.path.stat().st_mtime, UTC)


def _seconds(delta: timedelta) -> str:
    return f"interval '{int(delta.total_seconds())} seconds'"


def _key_copies(table: Table) -> Derived:
    keys = [quote_ident(k) for k in table.key]
    on = " and ".join(f"t.{k} = key_dups.{k}" for k in keys)
    return Derived(
        "key_copies",
        "coalesce(key_dups.n_copies, 1)",
        joins=(
            f"left join (select {', '.join(keys)}, count(*) as n_copies from typed "
            f"where {' and '.join(f'{k} is not null' for k in keys)} "
            f"group by {', '.join(keys)} having count(*) > 1) as key_dups on {on}",
        ),
    )


def _orphan(column: str, parent: FileInfo, parent_column: str) -> Derived:
    alias = f"fk_{column}"
    key = f"nullif(trim(cast({quote_ident(parent_column)} as varchar)), '')"
    return Derived(
        f"{column}__orphan",
        f"case when t.{quote_ident(column)} is not null and {alias}.k is null "
        f"then t.{quote_ident(column)} end",
        joins=(
            f"left join (select distinct {key} as k from {reader_sql(parent.path, parent.fmt)}) as {alias} "
            f"on t.{quote_ident(column)} = {alias}.k",
        ),
    )


def _not_null_checks(table: Table, info: FileInfo) -> list[Check]:
    checks = []
    for col in table.columns:
        if not col.required or col.name not in info.columns:
            continue  # a missing required column is a schema error
        what = "key" if col.name in table.key else "required column"
        others = [c for c in table.column_names if c not in (*table.key, col.name)][:4]
        checks.append(
            _check(
                "rows",
                "key not null" if col.name in table.key else "not null",
                col.name,
                "warn",
                gxe.ExpectColumnValuesToNotBeNull,
                f"{{failing}} of {{total}} rows have no {col.name} ({what}); staging quarantines them",
                show=(*table.key, col.name, *others),
                column=col.name,
            )
        )
    return checks


def _parse_checks(table: Table, info: FileInfo) -> list[Check]:
    return [
        _check(
            "rows",
            "value parses as type",
            col.name,
            "warn",
            gxe.ExpectColumnValuesToBeNull,
            f"{{failing}} values of {col.name} do not parse as {col.type} ({{values}}); staging quarantines "
            "these rows",
            show=(*table.key, col.name + "__unparseable"),
            column=col.name + "__unparseable",
        )
        for col in table.columns
        if col.type != "string" and col.name in info.columns
    ]


def _key_check(table: Table) -> Check:
    key = ", ".join(table.key)
    if is_event_table(table):
        check = _check(
            "rows",
            "event delivered once",
            key,
            "warn",
            gxe.ExpectColumnValuesToBeBetween,
            f"{{failing}} rows share their {key} with another delivery of the same event; staging keeps the "
            "latest loaded copy of each and counts the others as dropped duplicate copies",
            show=(*table.key, "loaded_at", "key_copies"),
            derived=(_key_copies(table),),
            column="key_copies",
            max_value=1,
        )
        check.max_examples = 2  # routine: re-deliveries are expected, a couple of examples suffice
        return check
    return _check(
        "rows",
        "key unique",
        key,
        "error",
        gxe.ExpectColumnValuesToBeBetween,
        f"{{failing}} rows share their {key} with another row: the key must be unique (a fanned-out export?)",
        show=(*table.key, "key_copies"),
        derived=(_key_copies(table),),
        column="key_copies",
        max_value=1,
    )


def vocabulary_check(table: Table, col: Column, settings: QualitySettings) -> Check:
    """Values no seed row maps: kept as given, mapped to 'unmapped'."""
    vocab = VOCABULARIES[col.vocabulary or ""]
    cte = f"vocab_{col.vocabulary}"
    alias = f"map_{col.name}"
    return _check(
        "rows",
        "value in vocabulary",
        col.name,
        "warn",
        gxe.ExpectColumnValuesToBeNull,
        f"{{failing}} values are not mapped by seeds/vocabularies/{vocab.seed}.csv ({{values}}); staging "
        "keeps "
        f"them in {col.staged_name} and maps them to 'unmapped' (lead-funnel mapping writes the rows to add)",
        show=(*table.key, col.name),
        derived=(
            Derived(
                f"{col.name}__unmapped",
                f"case when t.{quote_ident(col.name)} is not null and {alias}.match_value is null "
                f"then t.{quote_ident(col.name)} end",
                joins=(
                    f"left join {cte} as {alias} on lower(t.{quote_ident(col.name)}) = {alias}.match_value",
                ),
                ctes=((cte, vocabulary_sql(col.vocabulary or "", settings)),),
            ),
        ),
        column=f"{col.name}__unmapped",
    )


def _time_checks(table: Table, info: FileInfo, settings: QualitySettings) -> list[Check]:
    checks: list[Check] = []
    min_ts = settings.min_timestamp
    tolerance = settings.future_tolerance
    hours = tolerance.total_seconds() / 3600
    for col in table.columns:
        if col.type not in ("timestamp", "date") or col.name not in info.columns:
            continue
        show = (*table.key, col.name)
        low = min_ts if col.type == "timestamp" else min_ts.date()
        checks.append(
            _check(
                "rows",
                "not before the earliest date",
                col.name,
                "warn",
                gxe.ExpectColumnValuesToBeBetween,
                f"{{failing}} values of {col.name} are before {min_ts:%Y-%m-%d} (var quality_min_timestamp); "
                "staging quarantines these rows",
                show=show,
                column=col.name,
                min_value=low,
            )
        )
        if col.name == "loaded_at" or col.future_ok:
            continue
        limit = f"({load_instant_sql(info)} + {_seconds(tolerance)})"
        if col.type == "date":
            limit = f"cast({limit} as date)"
        checks.append(
            _check(
                "rows",
                "not after the load",
                col.name,
                "warn",
                gxe.ExpectColumnPairValuesAToBeGreaterThanB,
                f"{{failing}} values of {col.name} are later than the row's load time + {hours:g}h (its "
                "loaded_at, or the file's modification time): in the future when loaded; staging quarantines "
                "these rows",
                show=(*show, f"{col.name}__latest"),
                derived=(Derived(f"{col.name}__latest", limit),),
                column_A=f"{col.name}__latest",
                column_B=col.name,
                or_equal=True,
                ignore_row_if="either_value_is_missing",
            )
        )
    return checks


def _numeric_checks(table: Table, info: FileInfo, settings: QualitySettings) -> list[Check]:
    checks: list[Check] = []
    bounds = numeric_bounds(settings.seeds_dir)
    for col in table.columns:
        if col.type not in ("int64", "float64") or col.name not in info.columns:
            continue
        name = quote_ident(col.name)
        finite = Derived(f"{col.name}__finite", f"case when isfinite(t.{name}) then t.{name} end")
        if col.type == "float64":
            checks.append(
                _check(
                    "rows",
                    "finite number",
                    col.name,
                    "warn",
                    gxe.ExpectColumnValuesToBeNull,
                    f"{{failing}} values of {col.name} are not finite (NaN or Infinity: {{values}}); staging "
                    "quarantines these rows",
                    show=(*table.key, col.name),
                    derived=(
                        Derived(
                            f"{col.name}__not_finite",
                            f"case when not isfinite(t.{name}) then cast(t.{name} as varchar) end",
                        ),
                    ),
                    column=f"{col.name}__not_finite",
                )
            )
        low, high = bounds.get((table.name, col.name), (None, None))
        if low is None and high is None:
            continue
        checks.append(
            _check(
                "rows",
                "within bounds",
                col.name,
                "warn",
                gxe.ExpectColumnValuesToBeBetween,
                f"{{failing}} values of {col.name} lie outside [{_bound(low)}, {_bound(high)}] (seed "
                f"numeric_bounds: {{values}}); staging quarantines these rows",
                show=(*table.key, col.name),
                derived=(finite,),
                column=f"{col.name}__finite",
                min_value=low,
                max_value=high,
            )
        )
    return checks


def _bound(value: float | None) -> str:
    return "unbounded" if value is None else f"{value:g}"


def _email_checks(table: Table, info: FileInfo) -> list[Check]:
    if "email" not in info.columns:
        return []
    return [
        _check(
            "rows",
            "email format",
            "email",
            "warn",
            gxe.ExpectColumnValuesToMatchRegex,
            "{failing} values do not look like an email address ({values}); kept as typed",
            show=(*table.key, "email"),
            column="email",
            regex=EMAIL_REGEX,
        )
    ]


def _foreign_key_checks(table: Table, files: dict[str, FileInfo]) -> list[Check]:
    checks = []
    for column, target in table.foreign_keys.items():
        parent_name, parent_column = target.split(".")
        parent = files.get(parent_name)
        if column not in files[table.name].columns or parent is None or not parent.has(parent_column):
            continue  # a reference to a table the delivery lacks is not an orphan
        checks.append(
            _check(
                "rows",
                "foreign key",
                column,
                "warn",
                gxe.ExpectColumnValuesToBeNull,
                f"{{failing}} rows reference a {column} that is not in {parent_name}.{parent_column} "
                "({values}); staging quarantines them",
                show=(*table.key, column),
                derived=(_orphan(column, parent, parent_column),),
                column=f"{column}__orphan",
            )
        )
    return checks


def merge_cycles_sql(depth: int) -> str:
    """Per lead with a merge pointer: 'merged into itself', 'merge cycle' (on a cycle or running
    into one within 2 * (depth + 1) hops) or null, as staging's rule
    (macros/staging/merge_cycle_rules.sql) decides it."""
    hops = 2 * (depth + 1)
    nodes = ["links.lead_id", "links.merged_into_lead_id"]
    nodes += [f"hop_{hop}.merged_into_lead_id" for hop in range(1, hops)]
    met_twice = " or ".join(f"{nodes[i]} = {nodes[j]}" for j in range(1, len(nodes)) for i in range(j))
    pointers = "select distinct lead_id, merged_into_lead_id from typed where merged_into_lead_id is not null"
    joins = " ".join(
        f"left join ({pointers}) as hop_{hop} on {nodes[hop]} = hop_{hop}.lead_id" for hop in range(1, hops)
    )
    return (
        "select links.lead_id, min(case when links.lead_id = links.merged_into_lead_id "
        f"then 'merged into itself' when {met_twice} then 'merge cycle' end) as reason "
        f"from ({pointers}) as links {joins} group by links.lead_id"
    )


def _merge_cycle_check(settings: QualitySettings) -> Check:
    return _check(
        "rows",
        "merge pointer resolves",
        "merged_into_lead_id",
        "warn",
        gxe.ExpectColumnValuesToBeNull,
        "{failing} leads are merged into themselves, or sit on a merge cycle (A -> B -> A) or run into "
        "one ({values}): no surviving record; staging quarantines them ('merged into itself', "
        "'merge cycle')",
        show=("lead_id", "merged_into_lead_id", "merge_cycle"),
        derived=(
            Derived(
                "merge_cycle",
                "case when merge_cycles.reason is not null "
                "then merge_cycles.reason || ': ' || t.lead_id || ' -> ' || t.merged_into_lead_id end",
                joins=("left join merge_cycles on t.lead_id = merge_cycles.lead_id",),
                ctes=(("merge_cycles", merge_cycles_sql(settings.lead_merge_max_depth)),),
            ),
        ),
        column="merge_cycle",
    )


def _leads_checks(info: FileInfo, settings: QualitySettings) -> list[Check]:
    checks = [_merge_cycle_check(settings)] if info.has("lead_id", "merged_into_lead_id") else []
    return checks + _email_twice_checks(info)


def _email_twice_checks(info: FileInfo) -> list[Check]:
    if not info.has("email"):
        return []
    live = (
        "not coalesce(try_cast(is_deleted as boolean), false) "
        "and nullif(trim(merged_into_lead_id), '') is null"
        if info.has("is_deleted", "merged_into_lead_id")
        else "true"
    )
    live_t = live.replace("is_deleted", "t.is_deleted").replace(
        "merged_into_lead_id", "t.merged_into_lead_id"
    )
    email_dups = Derived(
        "email_shared_by_leads",
        f"case when {live_t} then coalesce(email_dups.n_leads, 1) else 1 end",
        joins=(
            "left join (select lower(trim(email)) as email_norm, count(*) as n_leads from typed "
            f"where {live} and email is not null group by lower(trim(email))) as email_dups "
            "on lower(trim(t.email)) = email_dups.email_norm",
        ),
    )
    return [
        _check(
            "rows",
            "same person twice",
            "email",
            "warn",
            gxe.ExpectColumnValuesToBeBetween,
            "{failing} active, unmerged leads share their email with another lead once trimmed and "
            "lower-cased (the same person twice?); staging normalises the emails and keeps both",
            show=("lead_id", "email", "email_shared_by_leads"),
            derived=(email_dups,),
            column="email_shared_by_leads",
            max_value=1,
        )
    ]


def _stage_order_cte(settings: QualitySettings) -> tuple[str, str]:
    mapping = reader_sql(seed_path("stage_mapping", settings.seeds_dir), "csv")
    stages = reader_sql(seed_path("canonical_stages", settings.seeds_dir), "csv")
    return (
        "stage_map",
        "select lower(trim(m.source_value)) as match_value, min(m.canonical_stage) as canonical_stage, "
        "min(cast(c.stage_order as integer)) as stage_order, "
        "bool_or(cast(c.is_detour as boolean)) as is_detour "
        f"from {mapping} as m inner join {stages} as c on m.canonical_stage = c.stage "
        f"where m.source_system = {quote_literal(settings.crm_source_system)} "
        "group by lower(trim(m.source_value))",
    )


def _status_change_checks(files: dict[str, FileInfo], settings: QualitySettings) -> list[Check]:
    checks: list[Check] = []
    info = files["lead_status_changes"]
    leads = files.get("leads")
    if leads is not None and leads.has("lead_id", "created_at") and info.has("lead_id", "changed_at"):
        created = typed_expression(leads, "created_at")
        lead_life = Derived(
            "lead_created_at_minus_tolerance",
            f"lead_life.created_at - {_seconds(settings.lead_life_tolerance)}",
            joins=(
                f"left join (select nullif(trim(cast(lead_id as varchar)), '') as lead_id, min({created}) "
                f"as created_at from {reader_sql(leads.path, leads.fmt)} "
                "group by nullif(trim(cast(lead_id as varchar)), '')) as lead_life "
                "on t.lead_id = lead_life.lead_id",
            ),
        )
        hours = settings.lead_life_tolerance.total_seconds() / 3600
        checks.append(
            _check(
                "rows",
                "within the lead's life",
                "changed_at",
                "warn",
                gxe.ExpectColumnPairValuesAToBeGreaterThanB,
                f"{{failing}} status changes happen more than {hours:g}h before their lead was created; "
                "staging quarantines them",
                show=("change_id", "lead_id", "changed_at", "lead_created_at_minus_tolerance"),
                derived=(lead_life,),
                column_A="changed_at",
                column_B="lead_created_at_minus_tolerance",
                or_equal=True,
                ignore_row_if="either_value_is_missing",
            )
        )
    if info.has("old_value", "new_value"):
        checks.append(
            _check(
                "rows",
                "no backward stage move",
                "new_value",
                "warn",
                gxe.ExpectColumnValuesToBeNull,
                "{failing} status changes move backward in the funnel ({values}); kept: the stage history "
                "records both moves",
                show=("change_id", "lead_id", "old_value", "new_value", "changed_at"),
                derived=(
                    Derived(
                        "status_move_backward",
                        "case when map_new.stage_order < map_old.stage_order and not map_new.is_detour "
                        "and not map_old.is_detour then t.old_value || ' -> ' || t.new_value end",
                        joins=(
                            "left join stage_map as map_new on lower(t.new_value) = map_new.match_value",
                            "left join stage_map as map_old on lower(t.old_value) = map_old.match_value",
                        ),
                        ctes=(_stage_order_cte(settings),),
                    ),
                ),
                column="status_move_backward",
            )
        )
    return checks


def _opportunity_checks(files: dict[str, FileInfo], settings: QualitySettings) -> list[Check]:
    info = files["opportunities"]
    checks: list[Check] = []
    if info.has("close_date", "created_at"):
        checks.append(
            _check(
                "rows",
                "closed after created",
                "close_date",
                "warn",
                gxe.ExpectColumnPairValuesAToBeGreaterThanB,
                "{failing} opportunities have a close_date before their created_at; staging quarantines them",
                show=("opportunity_id", "created_at", "close_date"),
                derived=(Derived("created_date", "cast(t.created_at as date)"),),
                column_A="close_date",
                column_B="created_date",
                or_equal=True,
                ignore_row_if="either_value_is_missing",
            )
        )
    changes = files.get("lead_status_changes")
    if (
        changes is not None
        and changes.has("lead_id", "new_value", "changed_at")
        and info.has("is_won", "close_date", "primary_lead_id")
    ):
        changed_at = typed_expression(changes, "changed_at", "s")
        first_mql = (
            "first_mql",
            f"select nullif(trim(cast(s.lead_id as varchar)), '') as lead_id, "
            f"min({changed_at}) as first_mql_at "
            f"from {reader_sql(changes.path, changes.fmt)} as s "
            "inner join stage_map as m on lower(trim(s.new_value)) = m.match_value "
            "where m.canonical_stage = 'mql' group by nullif(trim(cast(s.lead_id as varchar)), '')",
        )
        checks.append(
            _check(
                "rows",
                "won after MQL",
                "close_date",
                "warn",
                gxe.ExpectColumnValuesToBeNull,
                "{failing} won opportunities closed before their primary lead first reached MQL "
                "({values}); kept and reported: check the lead's status history",
                show=("opportunity_id", "primary_lead_id", "close_date", "won_before_mql"),
                derived=(
                    Derived(
                        "won_before_mql",
                        "case when t.is_won and t.close_date < cast(first_mql.first_mql_at as date) "
                        "then 'won ' || cast(t.close_date as varchar) || ', first MQL ' "
                        "|| cast(cast(first_mql.first_mql_at as date) as varchar) end",
                        joins=("left join first_mql on t.primary_lead_id = first_mql.lead_id",),
                        ctes=(_stage_order_cte(settings), first_mql),
                    ),
                ),
                column="won_before_mql",
            )
        )
    return checks


def _opportunity_stage_checks(info: FileInfo, settings: QualitySettings) -> list[Check]:
    if not info.has("old_stage", "new_stage"):
        return []
    order = (
        "select lower(trim(source_value)) as match_value, "
        "min(try_cast(stage_order as integer)) as stage_order "
        f"from {reader_sql(seed_path('opportunity_stage_mapping', settings.seeds_dir), 'csv')} "
        f"where source_system = {quote_literal(settings.crm_source_system)} "
        "group by lower(trim(source_value))"
    )
    return [
        _check(
            "rows",
            "no backward stage move",
            "new_stage",
            "warn",
            gxe.ExpectColumnValuesToBeNull,
            "{failing} stage changes move the opportunity backward ({values}); kept: the stage history "
            "records both moves",
            show=("change_id", "opportunity_id", "old_stage", "new_stage", "changed_at"),
            derived=(
                Derived(
                    "stage_move_backward",
                    "case when so_new.stage_order < so_old.stage_order "
                    "then t.old_stage || ' -> ' || t.new_stage end",
                    joins=(
                        "left join opp_stage_order as so_new on lower(t.new_stage) = so_new.match_value",
                        "left join opp_stage_order as so_old on lower(t.old_stage) = so_old.match_value",
                    ),
                    ctes=(("opp_stage_order", order),),
                ),
            ),
            column="stage_move_backward",
        )
    ]


def row_checks(table: Table, files: dict[str, FileInfo], settings: QualitySettings) -> list[Check]:
    """Every row-level check of one raw table (the file must be readable)."""
    info = files[table.name]
    checks = [
        *_parse_checks(table, info),
        *_not_null_checks(table, info),
        _key_check(table),
        *(
            vocabulary_check(table, col, settings)
            for col in table.columns
            if col.vocabulary and col.name in info.columns
        ),
        *_time_checks(table, info, settings),
        *_numeric_checks(table, info, settings),
        *_email_checks(table, info),
        *_foreign_key_checks(table, files),
    ]
    if table.name == "leads":
        checks += _leads_checks(info, settings)
    elif table.name == "lead_status_changes":
        checks += _status_change_checks(files, settings)
    elif table.name == "opportunities":
        checks += _opportunity_checks(files, settings)
    elif table.name == "opportunity_stage_changes":
        checks += _opportunity_stage_checks(info, settings)
    return checks


def rows_sql(info: FileInfo, checks: list[Check]) -> str:
    """One streaming DuckDB query: the typed raw columns plus every derived column the checks need."""
    ctes: dict[str, str] = {"typed": typed_cte(info)}
    derived: dict[str, Derived] = {}
    joins: list[str] = []
    for check in checks:
        for item in check.derived:
            derived.setdefault(item.name, item)
            for name, sql in item.ctes:
                ctes.setdefault(name, sql)
            for join in item.joins:
                if join not in joins:
                    joins.append(join)
    columns = ["t.*", *(f"{d.expression} as {quote_ident(d.name)}" for d in derived.values())]
    # NOT MATERIALIZED: DuckDB would otherwise materialise a CTE referenced twice (``typed`` by the
    # rows and by the key-copies aggregate): the whole file in memory before the first chunk.
    # Inlined, each reference is its own streaming scan of the file (only the columns it needs).
    with_clause = ",\n".join(f"{name} as not materialized ({sql})" for name, sql in ctes.items())
    return f"with {with_clause}\nselect {', '.join(columns)}\nfrom typed as t\n" + "\n".join(joins)


def table_for(name: str) -> Table:
    return TABLES_BY_NAME[name]
