"""Expectation suites as code, derived from the raw-data contract.

Each raw table gets three Great Expectations suites, validated on pandas batches:

* ``<table>.schema``: a one-row frame whose columns are the file's columns and whose values are
  their physical types: columns present (error), no unexpected columns (warn), types (error).
* ``<table>.volume``: a one-row frame with the row count and the previous load's: not empty
  (error), not collapsed against the previous load (error), within a plausible range (warn).
* ``<table>``: the rows, streamed from DuckDB in chunks. Rules that need the whole file or
  another file (key uniqueness, foreign keys, cross-table rules) become *derived columns*
  computed by DuckDB in the same streaming query (for example ``key_copies``: how many rows of
  the whole file share this row's key), so every rule is a per-row GX expectation whose counts
  add up exactly across chunks.

Severity: ``error`` blocks the build; ``warn`` is reported. Row-level defects that staging
quarantines are ``warn`` (the build goes on without those rows); structural defects are ``error``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any, Literal

import great_expectations.expectations as gxe
from great_expectations.expectations.metadata_types import FailureSeverity

from lead_funnel.contract import OPPORTUNITY_STAGES, TABLES_BY_NAME, Table
from lead_funnel.paths import SEEDS_DIR
from lead_funnel.quality.reader import DUCKDB_TYPES, FileInfo, quote_ident, quote_literal, reader_sql
from lead_funnel.quality.settings import QualitySettings

Severity = Literal["error", "warn"]
Batch = Literal["schema", "volume", "rows"]

EMAIL_REGEX = r"^\s*[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\s*$"
NON_NEGATIVE: dict[tuple[str, str], int] = {
    ("accounts", "employee_count"): 1,
    ("accounts", "annual_revenue"): 0,
    ("opportunities", "amount"): 0,
    ("ad_spend", "spend"): 0,
    ("ad_spend", "impressions"): 0,
    ("ad_spend", "clicks"): 0,
}
# Required columns staging fills in rather than quarantining the row.
NULL_DEFAULTS = {("leads", "is_deleted"): "staging reads a missing is_deleted as false and keeps the rows"}
# Date columns that may legitimately lie in the future (plans and expected close dates).
FUTURE_DATES_ALLOWED = {
    ("opportunities", "close_date"),
    ("campaigns", "start_date"),
    ("campaigns", "end_date"),
}
OPPORTUNITY_STAGE_ORDER = {stage: min(i, 4) + 1 for i, stage in enumerate(OPPORTUNITY_STAGES)}


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
    return "loaded_at" in table.column_names


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


# --------------------------------------------------------------------------- schema and volume


def schema_checks(table: Table, info: FileInfo) -> list[Check]:
    """Columns present, no unexpected columns, and (Parquet) physical types."""
    from lead_funnel.quality.reader import ACCEPTED_TYPES

    checks = [
        _check(
            "schema",
            "columns present",
            "",
            "error",
            gxe.ExpectTableColumnsToMatchSet,
            "every contract column must be present",
            column_set=table.column_names,
            exact_match=False,
        ),
        _check(
            "schema",
            "no unexpected columns",
            "",
            "warn",
            gxe.ExpectTableColumnsToMatchSet,
            "columns outside the contract are ignored by staging",
            column_set=table.column_names,
            exact_match=True,
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
                        f"the contract type is {col.type} (Parquet {', '.join(accepted)}); staging's cast "
                        "would fail or change the meaning",
                        column=col.name,
                        value_set=list(accepted),
                    )
                )
    return checks


def volume_checks(previous_rows: int | None, settings: QualitySettings) -> list[Check]:
    """Row count within bounds and, when a previous load was recorded, against it."""
    checks = [
        _check(
            "volume",
            "row count",
            "",
            "error",
            gxe.ExpectColumnValuesToBeBetween,
            "the file has no rows",
            column="row_count",
            min_value=1,
        )
    ]
    if previous_rows:
        low, high = settings.volume_warn_range
        checks += [
            _check(
                "volume",
                "volume vs previous load",
                "",
                "error",
                gxe.ExpectColumnValuesToBeBetween,
                f"fewer than {settings.volume_error_ratio:.0%} of the previous load's rows: "
                "a partial export?",
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
    return checks


# --------------------------------------------------------------------------- row batches


def typed_expression(info: FileInfo, column: str, alias: str = "") -> str:
    """A raw column cast to its contract type (text from CSV is parsed with try_cast)."""
    col = info.table.column(column)
    ref = (alias + "." if alias else "") + quote_ident(column)
    duck = DUCKDB_TYPES[col.type]
    if info.fmt == "csv" and col.type != "string":
        return f"try_cast({ref} as {duck})"
    if col.type in ("timestamp", "date"):
        return f"cast({ref} as {duck})"
    return ref


def typed_cte(info: FileInfo) -> str:
    """The ``typed`` CTE: contract columns cast to their types (+ CSV values that do not parse)."""
    exprs = [f"{typed_expression(info, c.name, 'raw')} as {quote_ident(c.name)}" for c in info.table.columns]
    if info.fmt == "csv":
        for col in info.table.columns:
            if col.type != "string":
                ref = "raw." + quote_ident(col.name)
                exprs.append(
                    f"case when {ref} is not null and try_cast({ref} as {DUCKDB_TYPES[col.type]}) is null "
                    f"then {ref} end as {quote_ident(col.name + '__unparseable')}"
                )
    return f"select {', '.join(exprs)} from {reader_sql(info.path, info.fmt)} as raw"


def _seconds(delta: timedelta) -> str:
    return f"interval '{int(delta.total_seconds())} seconds'"


def _mapping_cte(settings: QualitySettings, seeds_dir: Path) -> tuple[str, str]:
    mapping = reader_sql(seeds_dir / "stage_mapping.csv", "csv")
    stages = reader_sql(seeds_dir / "canonical_stages.csv", "csv")
    return (
        "stage_map",
        "select trim(m.source_value) as source_value, min(m.canonical_stage) as canonical_stage, "
        "min(cast(c.stage_order as integer)) as stage_order, "
        "bool_or(cast(c.is_detour as boolean)) as is_detour "
        f"from {mapping} as m inner join {stages} as c on m.canonical_stage = c.stage "
        f"where m.source_system = {quote_literal(settings.crm_source_system)} group by trim(m.source_value)",
    )


def _key_copies(table: Table) -> Derived:
    keys = [quote_ident(k) for k in table.key]
    on = " and ".join(f"t.{k} = key_dups.{k}" for k in keys)
    return Derived(
        "key_copies",
        "coalesce(key_dups.n_copies, 1)",
        joins=(
            f"left join (select {', '.join(keys)}, count(*) as n_copies from typed "
            f"group by {', '.join(keys)} "
            f"having count(*) > 1) as key_dups on {on}",
        ),
    )


def _orphan(column: str, parent: FileInfo, parent_column: str) -> Derived:
    alias = f"fk_{column}"
    key = f"cast({quote_ident(parent_column)} as varchar)"
    return Derived(
        f"{column}__orphan",
        f"case when t.{quote_ident(column)} is not null and {alias}.k is null "
        f"then t.{quote_ident(column)} end",
        joins=(
            f"left join (select distinct {key} as k from {reader_sql(parent.path, parent.fmt)}) as {alias} "
            f"on t.{quote_ident(column)} = {alias}.k",
        ),
    )


def _not_null_checks(table: Table) -> list[Check]:
    checks = []
    for col in table.columns:
        if col.nullable:
            continue
        what = "key" if col.name in table.key else "required column"
        if (table.name, col.name) in NULL_DEFAULTS:
            consequence = NULL_DEFAULTS[(table.name, col.name)]
        elif col.allowed:
            consequence = "staging maps them to 'unknown' and keeps the rows"
        else:
            consequence = "staging quarantines them"
        others = [c for c in table.column_names if c not in (*table.key, col.name)][:4]
        checks.append(
            _check(
                "rows",
                "key not null" if col.name in table.key else "not null",
                col.name,
                "warn",
                gxe.ExpectColumnValuesToNotBeNull,
                f"{{failing}} of {{total}} rows have no {col.name} ({what}); {consequence}",
                show=(*table.key, col.name, *others),
                column=col.name,
            )
        )
    return checks


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


def _value_checks(table: Table, settings: QualitySettings) -> list[Check]:
    checks: list[Check] = []
    min_ts = settings.min_timestamp
    for col in table.columns:
        show = (*table.key, col.name)
        if col.allowed:
            checks.append(
                _check(
                    "rows",
                    "allowed values",
                    col.name,
                    "warn",
                    gxe.ExpectColumnValuesToBeInSet,
                    "{failing} values outside the contract's allowed values ({values}); staging maps them "
                    "to 'unknown' and keeps the rows",
                    show=show,
                    column=col.name,
                    value_set=list(col.allowed),
                )
            )
        if col.type == "timestamp":
            checks.append(
                _check(
                    "rows",
                    "timestamp not before 2000",
                    col.name,
                    "warn",
                    gxe.ExpectColumnValuesToBeBetween,
                    f"{{failing}} values of {col.name} are before {min_ts:%Y-%m-%d}; staging quarantines "
                    "these rows",
                    show=show,
                    column=col.name,
                    min_value=min_ts,
                )
            )
            checks.append(
                _check(
                    "rows",
                    "timestamp not in the future",
                    col.name,
                    "warn",
                    gxe.ExpectColumnValuesToBeBetween,
                    f"{{failing}} values of {col.name} are in the future (after the load time + "
                    f"{settings.future_tolerance.total_seconds() / 3600:g}h); staging quarantines these rows",
                    show=show,
                    column=col.name,
                    max_value=settings.max_timestamp,
                )
            )
        if col.type == "date":
            bounds: dict[str, Any] = {"min_value": min_ts.date()}
            if (table.name, col.name) not in FUTURE_DATES_ALLOWED:
                bounds["max_value"] = settings.max_timestamp.date()
            checks.append(
                _check(
                    "rows",
                    "date range",
                    col.name,
                    "warn",
                    gxe.ExpectColumnValuesToBeBetween,
                    f"{{failing}} values of {col.name} are before {min_ts:%Y-%m-%d}"
                    + (" or in the future" if "max_value" in bounds else "")
                    + "; staging quarantines these rows",
                    show=show,
                    column=col.name,
                    **bounds,
                )
            )
        if (table.name, col.name) in NON_NEGATIVE:
            low = NON_NEGATIVE[(table.name, col.name)]
            checks.append(
                _check(
                    "rows",
                    "not negative" if low == 0 else f"at least {low}",
                    col.name,
                    "warn",
                    gxe.ExpectColumnValuesToBeBetween,
                    f"{{failing}} values of {col.name} are below {low}; staging quarantines these rows",
                    show=show,
                    column=col.name,
                    min_value=low,
                )
            )
        if col.name == "email":
            checks.append(
                _check(
                    "rows",
                    "email format",
                    col.name,
                    "warn",
                    gxe.ExpectColumnValuesToMatchRegex,
                    "{failing} values do not look like an email address ({values}); kept as typed",
                    show=show,
                    column=col.name,
                    regex=EMAIL_REGEX,
                )
            )
    return checks


def _event_time_checks(table: Table, settings: QualitySettings) -> list[Check]:
    if not is_event_table(table):
        return []
    tolerance = settings.future_tolerance
    derived = Derived("loaded_at_plus_tolerance", f"t.loaded_at + {_seconds(tolerance)}")
    checks = []
    for col in table.columns:
        if col.type != "timestamp" or col.name == "loaded_at":
            continue
        checks.append(
            _check(
                "rows",
                "not after loaded_at",
                col.name,
                "warn",
                gxe.ExpectColumnPairValuesAToBeGreaterThanB,
                f"{{failing}} rows have {col.name} later than loaded_at + "
                f"{tolerance.total_seconds() / 3600:g}h "
                "(in the future when the row was loaded); staging quarantines them",
                show=(*table.key, col.name, "loaded_at"),
                derived=(derived,),
                column_A="loaded_at_plus_tolerance",
                column_B=col.name,
                or_equal=True,
                ignore_row_if="either_value_is_missing",
            )
        )
    return checks


def _foreign_key_checks(table: Table, files: dict[str, FileInfo]) -> list[Check]:
    checks = []
    for column, target in table.foreign_keys.items():
        parent_name, parent_column = target.split(".")
        parent = files.get(parent_name)
        if parent is None or not parent.has(parent_column):
            continue
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


def _csv_parse_checks(table: Table, info: FileInfo) -> list[Check]:
    if info.fmt != "csv":
        return []
    return [
        _check(
            "rows",
            "value parses as type",
            col.name,
            "error",
            gxe.ExpectColumnValuesToBeNull,
            f"{{failing}} values of {col.name} do not parse as {col.type} ({{values}}); "
            "staging's cast would fail",
            show=(*table.key, col.name + "__unparseable"),
            column=col.name + "__unparseable",
        )
        for col in table.columns
        if col.type != "string"
    ]


def _leads_checks(files: dict[str, FileInfo], settings: QualitySettings, seeds_dir: Path) -> list[Check]:
    email_dups = Derived(
        "email_shared_by_leads",
        "case when not coalesce(t.is_deleted, false) and nullif(trim(t.merged_into_lead_id), '') is null "
        "then coalesce(email_dups.n_leads, 1) else 1 end",
        joins=(
            "left join (select lower(trim(email)) as email_norm, count(*) as n_leads from typed "
            "where not coalesce(is_deleted, false) and nullif(trim(merged_into_lead_id), '') is null "
            "and email is not null group by lower(trim(email))) as email_dups "
            "on lower(trim(t.email)) = email_dups.email_norm",
        ),
    )
    unmapped = Derived(
        "status__unmapped",
        "case when t.status is not null and map_status.source_value is null then t.status end",
        joins=("left join stage_map as map_status on trim(t.status) = map_status.source_value",),
        ctes=(_mapping_cte(settings, seeds_dir),),
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
        ),
        _check(
            "rows",
            "status in stage mapping",
            "status",
            "warn",
            gxe.ExpectColumnValuesToBeNull,
            f"{{failing}} rows have a status missing from seeds/stage_mapping.csv for "
            f"{settings.crm_source_system} ({{values}}); kept, but the lifecycle cannot place them: "
            "add them to the seed",
            show=("lead_id", "status"),
            derived=(unmapped,),
            column="status__unmapped",
        ),
    ]


def _status_change_checks(
    files: dict[str, FileInfo], settings: QualitySettings, seeds_dir: Path
) -> list[Check]:
    checks: list[Check] = []
    leads = files.get("leads")
    if leads is not None and leads.has("lead_id", "created_at"):
        created = typed_expression(leads, "created_at")
        lead_life = Derived(
            "lead_created_at_minus_tolerance",
            f"lead_life.created_at - {_seconds(settings.lead_life_tolerance)}",
            joins=(
                f"left join (select cast(lead_id as varchar) as lead_id, min({created}) as created_at "
                f"from {reader_sql(leads.path, leads.fmt)} group by cast(lead_id as varchar)) as lead_life "
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
    mapping = _mapping_cte(settings, seeds_dir)
    joins = (
        "left join stage_map as map_new on trim(t.new_value) = map_new.source_value",
        "left join stage_map as map_old on trim(t.old_value) = map_old.source_value",
    )
    checks += [
        _check(
            "rows",
            "status in stage mapping",
            "new_value",
            "warn",
            gxe.ExpectColumnValuesToBeNull,
            f"{{failing}} rows have a new_value missing from seeds/stage_mapping.csv for "
            f"{settings.crm_source_system} ({{values}}); kept, but the lifecycle cannot place them: "
            "add them to the seed",
            show=("change_id", "lead_id", "new_value"),
            derived=(
                Derived(
                    "new_value__unmapped",
                    "case when t.new_value is not null and map_new.source_value is null then t.new_value end",
                    joins=joins[:1],
                    ctes=(mapping,),
                ),
            ),
            column="new_value__unmapped",
        ),
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
                    joins=joins,
                    ctes=(mapping,),
                ),
            ),
            column="status_move_backward",
        ),
    ]
    return checks


def _opportunity_checks(
    files: dict[str, FileInfo], settings: QualitySettings, seeds_dir: Path
) -> list[Check]:
    checks = [
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
    ]
    changes = files.get("lead_status_changes")
    if changes is not None and changes.has("lead_id", "new_value", "changed_at"):
        changed_at = typed_expression(changes, "changed_at", "s")
        first_mql = (
            "first_mql",
            f"select cast(s.lead_id as varchar) as lead_id, min({changed_at}) as first_mql_at "
            f"from {reader_sql(changes.path, changes.fmt)} as s "
            "inner join stage_map as m on trim(s.new_value) = m.source_value "
            "where m.canonical_stage = 'mql' group by cast(s.lead_id as varchar)",
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
                        ctes=(_mapping_cte(settings, seeds_dir), first_mql),
                    ),
                ),
                column="won_before_mql",
            )
        )
    return checks


def _opportunity_stage_checks() -> list[Check]:
    order = ", ".join(f"({quote_literal(s)}, {n})" for s, n in OPPORTUNITY_STAGE_ORDER.items())
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
                        "left join opp_stage_order as so_new on t.new_stage = so_new.stage",
                        "left join opp_stage_order as so_old on t.old_stage = so_old.stage",
                    ),
                    ctes=(("opp_stage_order", f"select * from (values {order}) as v(stage, stage_order)"),),
                ),
            ),
            column="stage_move_backward",
        )
    ]


def row_checks(
    table: Table, files: dict[str, FileInfo], settings: QualitySettings, seeds_dir: Path = SEEDS_DIR
) -> list[Check]:
    """Every row-level check of one raw table (the file must be readable with all its columns)."""
    info = files[table.name]
    checks = [
        *_csv_parse_checks(table, info),
        *_not_null_checks(table),
        _key_check(table),
        *_value_checks(table, settings),
        *_event_time_checks(table, settings),
        *_foreign_key_checks(table, files),
    ]
    if table.name == "leads":
        checks += _leads_checks(files, settings, seeds_dir)
    elif table.name == "lead_status_changes":
        checks += _status_change_checks(files, settings, seeds_dir)
    elif table.name == "opportunities":
        checks += _opportunity_checks(files, settings, seeds_dir)
    elif table.name == "opportunity_stage_changes":
        checks += _opportunity_stage_checks()
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
