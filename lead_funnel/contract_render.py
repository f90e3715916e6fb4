"""Render the raw-data contract into the files that mirror it.

Generated from :mod:`lead_funnel.contract` by ``lead-funnel contract-docs`` (``make docs``);
``tests/test_contract.py`` fails when a committed file drifts from the contract:

* ``docs/raw_data_contract.md``: the contract for people;
* ``models/staging/<source>/_<source>__sources.yml``: the dbt sources;
* ``macros/contract/raw_contract.sql``: the contract as a dbt macro, read by the staging macros
  (``macros/staging/``), so the base, clean and quarantine models never repeat a column list;
* ``models/staging/<source>/_<source>__models.yml`` and the ``base/`` and ``quarantine/`` YAML:
  every staging column documented and tested (keys, required columns, references, vocabularies).

Adding a raw column is one edit: add it to the contract and run ``make docs``.
"""

from __future__ import annotations

from pathlib import Path

from lead_funnel.contract import TABLES, VOCABULARIES, Column, Source, Table

REPO_ROOT = Path(__file__).resolve().parent.parent
GENERATED = "Generated from lead_funnel/contract.py by `lead-funnel contract-docs`; do not edit by hand."

SOURCE_DESCRIPTIONS: dict[Source, str] = {
    "crm": "CRM export (accounts, leads, users, status history, opportunities, activities).",
    "marketing": "Marketing-automation and web-analytics export (web, email, forms, campaigns, spend).",
}

DUCKDB_TYPES = {
    "string": "varchar",
    "int64": "bigint",
    "float64": "double",
    "bool": "boolean",
    "timestamp": "timestamptz",
    "date": "date",
}

# Rendered by dbt at parse time, then formatted by dbt-duckdb with the table's {name}.
# Parquet by default; LEAD_FUNNEL_RAW_FORMAT=csv reads every column as text and
# leaves the casting to staging. The same path is built by macro raw_file_path().
FRESHNESS_COUNT = "{{{{ var('{var}') | int }}}}"
LOADED_AT_QUERY = "{{{{ raw_loaded_at_query('{table}') }}}}"

EXTERNAL_LOCATION = (
    "{%- set fmt = env_var('LEAD_FUNNEL_RAW_FORMAT', 'parquet') -%}"
    "{%- set dir = env_var('LEAD_FUNNEL_RAW_DIR', 'data/raw') -%}"
    "{%- if fmt == 'csv' -%}"
    "read_csv('{{ dir }}/{name}.csv', header = true, all_varchar = true)"
    "{%- else -%}"
    "read_parquet('{{ dir }}/{name}.parquet')"
    "{%- endif -%}"
)


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _jinja(value: object) -> str:
    """A Python value as a Jinja literal."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_jinja(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_jinja(k)}: {_jinja(v)}" for k, v in value.items()) + "}"
    raise TypeError(value)


def _vocabulary_note(col: Column) -> str:
    vocab = VOCABULARIES[col.vocabulary or ""]
    return f"seed {vocab.seed}" + (" (rows of var crm_source_system)" if vocab.per_crm else "")


def _describe(table: Table, col: Column) -> str:
    parts = [col.description]
    if col.vocabulary:
        parts.append(f"Mapped by {_vocabulary_note(col)} into {col.mapped_name}.")
    if col.name in table.key:
        parts.append("Key." if len(table.key) == 1 else "Part of the key.")
    if col.name in table.foreign_keys:
        parts.append(f"References {table.foreign_keys[col.name]}.")
    parts.append("Required." if col.required else "Optional (may be absent or null).")
    return " ".join(parts)


# --------------------------------------------------------------------------- sources


def render_sources_yml(source: Source) -> str:
    """The dbt sources file of one raw source, mirroring the contract."""
    lines = [
        f"# {GENERATED}",
        "version: 2",
        "",
        "sources:",
        f"  - name: {source}",
        f"    description: {_quote(SOURCE_DESCRIPTIONS[source])}",
        "    config:",
        f"      external_location: {_quote(EXTERNAL_LOCATION)}",
        "      # `dbt source freshness`: the latest loaded_at (else the file's load time) against",
        "      # vars raw_freshness_warn_after_hours / raw_freshness_error_after_hours (raw_freshness.sql).",
        "      freshness:",
        "        warn_after:",
        f"          count: {_quote(FRESHNESS_COUNT.format(var='raw_freshness_warn_after_hours'))}",
        "          period: hour",
        "        error_after:",
        f"          count: {_quote(FRESHNESS_COUNT.format(var='raw_freshness_error_after_hours'))}",
        "          period: hour",
        "    tables:",
    ]
    for tbl in (t for t in TABLES if t.source == source):
        kind = f"Required for {tbl.needed_for}." if tbl.required else "Optional."
        lines += [
            f"      - name: {tbl.name}",
            f"        description: {_quote(tbl.description + ' Key: ' + ', '.join(tbl.key) + '. ' + kind)}",
            "        config:",
            f"          loaded_at_query: {_quote(LOADED_AT_QUERY.format(table=tbl.name))}",
            "        columns:",
        ]
        for col in tbl.columns:
            lines += [
                f"          - name: {col.name}",
                f"            data_type: {DUCKDB_TYPES[col.type]}",
                f"            description: {_quote(_describe(tbl, col))}",
            ]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- the macro


def _column_spec(col: Column) -> dict[str, object]:
    return {
        "name": col.name,
        "type": col.type,
        "required": col.required,
        "staged": col.staged_name,
        "clean": col.clean,
        "vocabulary": col.vocabulary,
        "mapped": col.mapped_name if col.vocabulary else None,
        "default": col.default,
        "future_ok": col.future_ok,
        "money": col.money,
    }


def _table_spec(tbl: Table) -> dict[str, object]:
    from lead_funnel.contract import table

    foreign_keys = []
    for column, target in tbl.foreign_keys.items():
        parent_name, parent_column = target.split(".")
        parent = table(parent_name)
        foreign_keys.append(
            {
                "column": column,
                "staged": tbl.column(column).staged_name,
                "parent": parent_name,
                "parent_source": parent.source,
                "parent_staged": parent.column(parent_column).staged_name,
            }
        )
    return {
        "source": tbl.source,
        "key": list(tbl.key),
        "staged_key": tbl.staged_key(),
        "required": tbl.required,
        "event": tbl.is_event_table,
        "as_of_columns": [tbl.column(c).staged_name for c in tbl.as_of_columns],
        "foreign_keys": foreign_keys,
        "columns": [_column_spec(c) for c in tbl.columns],
    }


def render_contract_macro() -> str:
    """``raw_contract()``: the contract as a dbt macro (tables, columns, vocabularies)."""
    lines = [
        f"{{#- {GENERATED}",
        "    The raw-data contract as data, for the staging macros (macros/staging/raw_staging.sql):",
        "    per table its source, key, foreign keys and columns (type, required, staging name,",
        "    cleaning, vocabulary and mapped name, default); per vocabulary its seed and columns. -#}",
        "{% macro raw_contract() -%}",
        "    {%- set tables = {",
    ]
    for tbl in TABLES:
        lines.append(f"        {_jinja(tbl.name)}: {_jinja(_table_spec(tbl))},")
    lines += ["    } -%}", "    {%- set vocabularies = {"]
    for vocab in VOCABULARIES.values():
        spec = {
            "seed": vocab.seed,
            "match": vocab.match_column,
            "value": vocab.value_column,
            "per_crm": vocab.per_crm,
            "filter": vocab.vocabulary_filter,
        }
        lines.append(f"        {_jinja(vocab.name)}: {_jinja(spec)},")
    lines += [
        "    } -%}",
        "    {{ return({'tables': tables, 'vocabularies': vocabularies}) }}",
        "{%- endmacro %}",
    ]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- staging YAML


def _staging_model_yml(tbl: Table) -> list[str]:
    name = f"stg_{tbl.source}__{tbl.name}"
    dedupe = " Re-delivered copies of an event id dropped (latest loaded kept)." if tbl.is_event_table else ""
    kind = f"Required for {tbl.needed_for}." if tbl.required else "Optional table."
    lines = [
        f"  - name: {name}",
        "    description: >-",
        f"      {tbl.description} Renamed, cast, timestamps in UTC, vocabularies mapped by their seeds."
        f"{dedupe} The clean rows of base_{tbl.source}__{tbl.name}; columns the export lacks are null."
        f" {kind}",
        "    data_tests:",
    ]
    if len(tbl.key) > 1:
        lines += [
            "      - unique_combination_of_columns:",
            "          arguments:",
            f"            combination_of_columns: [{', '.join(tbl.staged_key())}]",
        ]
    required = [c.staged_name for c in tbl.columns if c.required]
    lines += [
        "      - not_null_columns:",
        "          arguments:",
        f"            column_names: [{', '.join(required)}]",
        "    columns:",
    ]
    for col in tbl.columns:
        lines += _staging_column_yml(tbl, col)
    for derived, description in (*tbl.derived, *tbl.staged_extra_columns):
        lines += [f"      - name: {derived}", f"        description: {_quote(description)}"]
    return lines


def _staging_column_yml(tbl: Table, col: Column) -> list[str]:
    from lead_funnel.contract import table

    tests: list[str] = []
    if len(tbl.key) == 1 and col.name == tbl.key[0]:
        tests.append("          - unique")
    if col.name in tbl.foreign_keys:
        parent_name, parent_column = tbl.foreign_keys[col.name].split(".")
        parent = table(parent_name)
        tests += [
            "          - references_if_delivered:",
            "              arguments:",
            f"                to: ref('stg_{parent.source}__{parent.name}')",
            f"                field: {parent.column(parent_column).staged_name}",
            f"                parent_table: {parent_name}",
        ]
    text = col.description + (" Required." if col.required else " Optional: null when the export lacks it.")
    if col.vocabulary:
        text += f" As given (trimmed); mapped into {col.mapped_name}."
    lines = [f"      - name: {col.staged_name}", f"        description: {_quote(text)}"]
    if tests:
        lines += ["        data_tests:", *tests]
    if col.vocabulary:
        mapped = (
            f"{col.staged_name} mapped by {_vocabulary_note(col)} (case and surrounding spaces ignored): "
            "'unmapped' when no seed row maps the value; null when it is null."
        )
        lines += [
            f"      - name: {col.mapped_name}",
            f"        description: {_quote(mapped)}",
            "        data_tests:",
            "          - in_vocabulary:",
            "              arguments:",
            f"                vocabulary: {col.vocabulary}",
        ]
    return lines


def render_staging_models_yml(source: Source) -> str:
    lines = [f"# {GENERATED}", "version: 2", "", "models:"]
    for tbl in (t for t in TABLES if t.source == source):
        lines += _staging_model_yml(tbl)
    return "\n".join(lines) + "\n"


def render_base_models_yml(source: Source) -> str:
    lines = [f"# {GENERATED}", "version: 2", "", "models:"]
    for tbl in (t for t in TABLES if t.source == source):
        suffix = f"{tbl.source}__{tbl.name}"
        lines += [
            f"  - name: base_{suffix}",
            "    description: >-",
            f"      The raw {tbl.source}.{tbl.name} rows renamed, cast and mapped (macro raw_typed_rows;",
            "      columns the export lacks are typed nulls, an absent table gives no rows), each with",
            "      quarantine_reason: the first quarantine rule the row breaks, null when clean.",
            f"      Feeds stg_{suffix} (clean rows) and quarantine_{suffix} (the others).",
            "    columns:",
            "      - name: quarantine_reason",
            "        description: >-",
            "          Why the row is quarantined (docs/bad_inputs.md); null for clean rows and for rows",
            "          after the as-of (var kpi_as_of), which did not exist yet.",
            "      - name: raw_parse_error",
            '        description: "The first delivered value that does not parse as its contract type."',
            "      - name: is_after_as_of",
            "        description: >-",
            "          The row came into existence (or was loaded) after var kpi_as_of: not staged, not",
            "          quarantined (counted in row_reconciliation.after_as_of_rows); false when unset.",
        ]
        if tbl.is_event_table:
            lines += [
                "      - name: raw_loaded_at",
                "        description: >-",
                "          loaded_at as delivered, before it is typed (null when the export lacks it):",
                "          read only by the incremental filters (macros/staging/raw_loaded_at.sql), never",
                "          staged.",
            ]
    return "\n".join(lines) + "\n"


def render_quarantine_models_yml(source: Source) -> str:
    lines = [f"# {GENERATED}", "version: 2", "", "models:"]
    for tbl in (t for t in TABLES if t.source == source):
        lines += [
            f"  - name: quarantine_{tbl.source}__{tbl.name}",
            "    description: >-",
            f"      Raw {tbl.source}.{tbl.name} rows staging set aside (value that does not parse, null",
            "      required column, orphan foreign key, out-of-range value, broken cross-field rule),",
            "      with the reason. Counted in the run summary and in row_reconciliation.",
            "    columns:",
            "      - name: quarantine_reason",
            '        description: "The first quarantine rule the row breaks (see docs/bad_inputs.md)."',
            "        data_tests:",
            "          - not_null",
        ]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- the document


def render_contract_md() -> str:
    """The human-readable raw-data contract (docs/raw_data_contract.md)."""
    out = [
        "# Raw-data contract",
        "",
        "Generated from `lead_funnel/contract.py` by `lead-funnel contract-docs`; do not edit by hand.",
        "",
        "Raw files land in one folder (default `data/raw/`, or `LEAD_FUNNEL_RAW_DIR`, or "
        "`lead-funnel build --raw-dir`), one file per table named `<table>.parquet` "
        "(or `<table>.csv`: CSV is detected, or forced with `LEAD_FUNNEL_RAW_FORMAT=csv`). dbt reads "
        "them in place through dbt-duckdb `external_location`; nothing is copied and raw files are "
        "never modified.",
        "",
        "**Required and optional.** A *required table* is one a family of marts cannot do without; every "
        "other table is optional. Any table may be absent from a delivery (or empty): the marts that "
        "depend on it build with zero rows or null measures, and `lead-funnel validate` names them. A "
        "*required column* (keys, the references a row is meaningless without, the timestamps that place "
        "it in time) must be present and not null: a row with a null required column is quarantined. An "
        "*optional column* may be absent from the file or null: staging fills it with a typed null. "
        "Without `loaded_at`, staging uses the file's modification time (validate warns). A foreign key "
        "to a table that was not delivered is not checked.",
        "",
        "**Vocabularies.** Enumerated business values are not fixed here: each is mapped by a seed "
        "(below). Staging keeps the value as given (trimmed) and maps it case-insensitively; a value no "
        "seed row maps becomes `unmapped`, a null stays null. `lead-funnel validate` lists every unmapped "
        "value with its count and `lead-funnel mapping --raw-dir DIR` writes the seed rows to fill in.",
        "",
        "Types: `string`, `int64`, `float64`, `bool`, `date`, and `timestamp`: an instant. In Parquet a "
        "`timestamp[us, tz=UTC]`; in CSV ISO-8601 text with or without an offset. Values without an "
        "offset are read as UTC. Staging converts every timestamp to UTC. Money columns (`amount`, "
        "`spend`) are delivered as numbers (`float64`); staging quarantines a value that is not finite or "
        "outside its bounds (seed `numeric_bounds`) and stages the others as the exact money type "
        "(`DECIMAL(18,2)`, macro `type_money`), so every sum of money is exact and repeatable.",
        "",
        "## Vocabularies",
        "",
        "| vocabulary | seed | maps | meaning |",
        "| --- | --- | --- | --- |",
    ]
    for vocab in VOCABULARIES.values():
        seed = f"`seeds/vocabularies/{vocab.seed}.csv`" + (" (per CRM)" if vocab.per_crm else "")
        what = f"`{vocab.match_column}` -> `{vocab.value_column}`"
        if vocab.vocabulary_filter:
            what += f" (rows `vocabulary = {vocab.vocabulary_filter}`)"
        out.append(f"| `{vocab.name}` | {seed} | {what} | {vocab.description} |")
    out.append("")
    for source in ("crm", "marketing"):
        out += [f"## Source `{source}`", "", SOURCE_DESCRIPTIONS[source], ""]
        for tbl in (t for t in TABLES if t.source == source):
            kind = f"**Required** for {tbl.needed_for}." if tbl.required else "Optional."
            out += [f"### `{tbl.name}`", "", tbl.description, "", f"{kind} Key: `{', '.join(tbl.key)}`", ""]
            if tbl.feeds:
                out += [
                    "Not provided, these are empty (or have null measures): " + "; ".join(tbl.feeds) + ".",
                    "",
                ]
            if tbl.foreign_keys:
                fks = ", ".join(f"`{c}` -> `{r}`" for c, r in tbl.foreign_keys.items())
                out += [f"Foreign keys: {fks}", ""]
            out += ["| column | type | required | staged as | meaning |", "| --- | --- | --- | --- | --- |"]
            for col in tbl.columns:
                staged = ", ".join(f"`{n}`" for n in col.staged_names)
                required = "yes" if col.required else "no"
                meaning = col.description
                if col.vocabulary:
                    meaning += f" Vocabulary `{col.vocabulary}`."
                out.append(f"| `{col.name}` | {col.type} | {required} | {staged} | {meaning} |")
            out.append("")
    return "\n".join(out)


def rendered_files() -> dict[Path, str]:
    """Every file rendered from the contract (and the catalogue of bad inputs), keyed by path."""
    from lead_funnel.quality.catalogue_docs import render_bad_inputs_md

    files = {
        REPO_ROOT / "docs" / "raw_data_contract.md": render_contract_md(),
        REPO_ROOT / "macros" / "contract" / "raw_contract.sql": render_contract_macro(),
        REPO_ROOT / "docs" / "bad_inputs.md": render_bad_inputs_md(),
    }
    for source in ("crm", "marketing"):
        folder = REPO_ROOT / "models" / "staging" / source
        files[folder / f"_{source}__sources.yml"] = render_sources_yml(source)
        files[folder / f"_{source}__models.yml"] = render_staging_models_yml(source)
        files[folder / "base" / f"_{source}__base.yml"] = render_base_models_yml(source)
        files[folder / "quarantine" / f"_{source}__quarantine.yml"] = render_quarantine_models_yml(source)
    return files


def write_rendered_files() -> list[Path]:
    """Write every rendered file; return the paths written."""
    written = []
    for path, text in rendered_files().items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
