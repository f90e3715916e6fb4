"""What a delivery holds, beyond per-row rules: what it lacks, the values no seed maps, the deal
currencies without a rate, and the quarantine cascade a defect will cause.

Used by ``lead-funnel validate`` (report lines) and ``lead-funnel mapping`` (the seed rows to
add). Every query reads the raw files in place with DuckDB, typed as staging types them
(``checks.typed_expression``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb

from lead_funnel.contract import TABLES, VOCABULARIES, Table, children_of
from lead_funnel.quality.checks import typed_expression, vocabulary_sql
from lead_funnel.quality.reader import FileInfo, reader_sql
from lead_funnel.quality.settings import QualitySettings

MAX_LISTED_VALUES = 20


@dataclass(frozen=True)
class UnmappedValue:
    """A raw value no seed row maps (staging: kept as given, mapped to 'unmapped')."""

    table: str
    column: str
    vocabulary: str
    value: str
    rows: int


def unmapped_values(
    con: duckdb.DuckDBPyConnection, files: dict[str, FileInfo], settings: QualitySettings
) -> list[UnmappedValue]:
    """Every unmapped value of every vocabulary column of the delivery, with its row count."""
    found: list[UnmappedValue] = []
    for tbl in TABLES:
        info = files.get(tbl.name)
        if info is None or not info.readable:
            continue
        for col in tbl.columns:
            if not col.vocabulary or col.name not in info.columns:
                continue
            value = typed_expression(info, col.name, "raw")
            rows = con.execute(
                f"select {value} as raw_value, count(*) as n from {reader_sql(info.path, info.fmt)} as raw "
                f"left join ({vocabulary_sql(col.vocabulary, settings)}) as vocab "
                f"on lower({value}) = vocab.match_value "
                f"where {value} is not null and vocab.match_value is null "
                "group by 1 order by 2 desc, 1"
            ).fetchall()
            found += [UnmappedValue(tbl.name, col.name, col.vocabulary, str(v), int(n)) for v, n in rows]
    return found


def seed_row_hint(item: UnmappedValue, settings: QualitySettings) -> str:
    """The seed row to add for an unmapped value, with the value to fill in as <...>."""
    vocab = VOCABULARIES[item.vocabulary]
    value = item.value if "," not in item.value else '"' + item.value.replace('"', '""') + '"'
    target = f"<{vocab.value_column}>"
    if vocab.per_crm:
        return f"{settings.crm_source_system},{value},{target}"
    if vocab.vocabulary_filter:
        return f"{vocab.vocabulary_filter},{value},{target}"
    return f"{value},{target}"


# --------------------------------------------------------------------------- money


@dataclass(frozen=True)
class RateGap:
    """Deals whose currency has no USD rate for their month: amount_usd will be null."""

    currency: str
    months: tuple[str, ...]
    rows: int


def currency_rate_gaps(
    con: duckdb.DuckDBPyConnection, files: dict[str, FileInfo], settings: QualitySettings
) -> list[RateGap]:
    """Currencies and months of deals with an amount but no rate (seed currency_usd_rates).

    The month is staging's: of the close date for a closed deal, else of the creation (else of
    the close date); a closed deal's exact close instant may come from its stage history, so
    near a month boundary the mart can differ by one month."""
    from lead_funnel.paths import seed_path

    info = files.get("opportunities")
    if info is None or not info.readable or "amount" not in info.columns:
        return []
    amount = typed_expression(info, "amount", "raw")
    currency = typed_expression(info, "currency", "raw")
    created = typed_expression(info, "created_at", "raw")
    close = typed_expression(info, "close_date", "raw")
    closed = f"coalesce({typed_expression(info, 'is_closed', 'raw')}, stage.mapped_value in ('won', 'lost'))"
    stage = typed_expression(info, "stage_name", "raw")
    month = (
        f"date_trunc('month', coalesce(case when {closed} then cast({close} as timestamp) end, "
        f"cast({created} as timestamp), cast({close} as timestamp)))"
    )
    rates = reader_sql(seed_path("currency_usd_rates", settings.seeds_dir), "csv")
    rows = con.execute(
        f"with deals as (select coalesce(code.mapped_value, {currency}) as currency, "
        f"cast({month} as date) as amount_month from {reader_sql(info.path, info.fmt)} as raw "
        f"left join ({vocabulary_sql('currency', settings)}) as code on lower({currency}) = code.match_value "
        f"left join ({vocabulary_sql('opportunity_stage', settings)}) as stage "
        f"on lower({stage}) = stage.match_value where {amount} is not null), "
        "rates as (select currency_code, try_cast(nullif(rate_month, '') as date) as rate_month "
        f"from {rates}) "
        "select deals.currency, deals.amount_month, count(*) from deals "
        "left join rates as monthly on deals.currency = monthly.currency_code "
        "and deals.amount_month = monthly.rate_month "
        "left join rates as standing on deals.currency = standing.currency_code "
        "and standing.rate_month is null "
        "where monthly.currency_code is null and standing.currency_code is null "
        "group by 1, 2 order by 1, 2"
    ).fetchall()
    gaps: dict[str, tuple[list[str], int]] = {}
    for code, amount_month, n in rows:
        months, total = gaps.get(str(code), ([], 0))
        months.append(f"{amount_month:%Y-%m}" if amount_month is not None else "no date")
        gaps[str(code)] = (months, total + int(n))
    return [RateGap(code, tuple(months), total) for code, (months, total) in gaps.items()]


# --------------------------------------------------------------------------- cascade


@dataclass
class Cascade:
    """Rows a required-column defect quarantines, and the child rows orphaned through them."""

    table: Table
    rows: int
    reasons: dict[str, int]
    children: dict[str, int] = field(default_factory=dict)

    @property
    def child_rows(self) -> int:
        return sum(self.children.values())


def _defect_condition(info: FileInfo) -> dict[str, str]:
    """Per required column, the condition under which staging quarantines the row as 'null <column>'."""
    return {
        col.name: f"{typed_expression(info, col.name, 'raw')} is null"
        for col in info.table.columns
        if col.required
    }


def predict_cascades(con: duckdb.DuckDBPyConnection, files: dict[str, FileInfo]) -> list[Cascade]:
    """For each delivered table with rows lacking a required value: how many rows, why, and how many
    rows of its children (and grandchildren) will be quarantined as orphans through them."""
    cascades = []
    for tbl in TABLES:
        info = files.get(tbl.name)
        if info is None or not info.provided:
            continue
        conditions = _defect_condition(info)
        source = reader_sql(info.path, info.fmt)
        reasons = {}
        for column, condition in conditions.items():
            n = int(con.execute(f"select count(*) from {source} as raw where {condition}").fetchall()[0][0])
            if n:
                reasons[f"null {column}"] = n
        if not reasons:
            continue
        any_defect = " or ".join(conditions.values())
        rows = int(con.execute(f"select count(*) from {source} as raw where {any_defect}").fetchall()[0][0])
        cascade = Cascade(tbl, rows, reasons)
        key = typed_expression(info, tbl.key[0], "raw")
        keys_sql = f"select distinct {key} from {source} as raw where {any_defect}"
        _count_children(con, files, tbl.name, keys_sql, cascade.children)
        cascades.append(cascade)
    return cascades


def _count_children(
    con: duckdb.DuckDBPyConnection,
    files: dict[str, FileInfo],
    parent: str,
    parent_keys_sql: str,
    counts: dict[str, int],
) -> None:
    """Child rows referencing a key of ``parent_keys_sql``, and, through them, their children."""
    for child, column in children_of(parent):
        info = files.get(child.name)
        if info is None or not info.provided or column not in info.columns or len(child.key) != 1:
            continue
        ref = typed_expression(info, column, "raw")
        source = reader_sql(info.path, info.fmt)
        orphaned = f"{ref} in ({parent_keys_sql})"
        n = int(con.execute(f"select count(*) from {source} as raw where {orphaned}").fetchall()[0][0])
        if not n:
            continue
        counts[child.name] = counts.get(child.name, 0) + n
        key = typed_expression(info, child.key[0], "raw")
        child_keys_sql = f"select distinct {key} from {source} as raw where {orphaned}"
        _count_children(con, files, child.name, child_keys_sql, counts)


def cascade_line(cascade: Cascade) -> str:
    """One line: the root cause, the cascade, and the fix."""
    reasons = ", ".join(f"{reason} on {n:,} rows" for reason, n in cascade.reasons.items())
    text = f"{cascade.rows:,} {cascade.table.name} quarantined: {reasons}"
    if cascade.children:
        parts = ", ".join(f"{name} {n:,}" for name, n in cascade.children.items())
        text += f"; {cascade.child_rows:,} child rows orphaned through them ({parts})"
    columns = ", ".join(r.removeprefix("null ") for r in cascade.reasons)
    return (
        f"{text}. Fix: deliver {columns} in {cascade.table.name} (map your export's column onto the "
        "contract name, docs/raw_data_contract.md)"
    )
