"""Render the raw-data contract into the files that mirror it.

``docs/raw_data_contract.md`` and ``models/staging/<source>/_<source>__sources.yml``
are generated from :mod:`lead_funnel.contract` by ``lead-funnel contract-docs``;
``tests/test_contract.py`` fails when a committed file drifts from the contract.
"""

from __future__ import annotations

from pathlib import Path

from lead_funnel.contract import TABLES, Source, Table

REPO_ROOT = Path(__file__).resolve().parent.parent

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
# leaves the casting to staging.
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


def _describe(table: Table, column_name: str) -> str:
    col = table.column(column_name)
    parts = [col.description]
    if col.allowed:
        parts.append("Allowed: " + ", ".join(col.allowed) + ".")
    if col.name in table.key:
        parts.append("Key." if len(table.key) == 1 else "Part of the key.")
    if col.name in table.foreign_keys:
        parts.append(f"References {table.foreign_keys[col.name]}.")
    parts.append("Nullable." if col.nullable else "Not null.")
    return " ".join(parts)


def render_sources_yml(source: Source) -> str:
    """The dbt sources file of one raw source, mirroring the contract."""
    lines = [
        "# Generated from lead_funnel/contract.py by `lead-funnel contract-docs`; do not edit by hand.",
        "version: 2",
        "",
        "sources:",
        f"  - name: {source}",
        f"    description: {_quote(SOURCE_DESCRIPTIONS[source])}",
        "    config:",
        f"      external_location: {_quote(EXTERNAL_LOCATION)}",
        "    tables:",
    ]
    for tbl in (t for t in TABLES if t.source == source):
        lines += [
            f"      - name: {tbl.name}",
            f"        description: {_quote(tbl.description + ' Key: ' + ', '.join(tbl.key) + '.')}",
            "        columns:",
        ]
        for col in tbl.columns:
            lines += [
                f"          - name: {col.name}",
                f"            data_type: {DUCKDB_TYPES[col.type]}",
                f"            description: {_quote(_describe(tbl, col.name))}",
            ]
    return "\n".join(lines) + "\n"


def render_contract_md() -> str:
    """The human-readable raw-data contract (docs/raw_data_contract.md)."""
    out = [
        "# Raw-data contract",
        "",
        "Generated from `lead_funnel/contract.py` by `lead-funnel contract-docs`; do not edit by hand.",
        "",
        "Raw files land in one folder (default `data/raw/`, or `LEAD_FUNNEL_RAW_DIR`, or "
        "`lead-funnel build --raw-dir`), one file per table named `<table>.parquet` "
        "(or `<table>.csv` with `LEAD_FUNNEL_RAW_FORMAT=csv`). dbt reads them in place through "
        "dbt-duckdb `external_location`; nothing is copied and raw files are never modified.",
        "",
        "Types: `string`, `int64`, `float64`, `bool`, `date`, and `timestamp`: an instant. In Parquet a "
        "`timestamp[us, tz=UTC]`; in CSV ISO-8601 text with or without an offset. Values without an "
        "offset are read as UTC. Staging converts every timestamp to UTC.",
        "",
        "Stage and status values in `leads.status` and `lead_status_changes` are the source "
        "system's own names; `seeds/stage_mapping.csv` maps them to canonical stages for "
        "Salesforce, HubSpot and Marketo (var `crm_source_system`).",
        "",
    ]
    for source in ("crm", "marketing"):
        out += [f"## Source `{source}`", "", SOURCE_DESCRIPTIONS[source], ""]
        for tbl in (t for t in TABLES if t.source == source):
            out += [f"### `{tbl.name}`", "", tbl.description, "", f"Key: `{', '.join(tbl.key)}`", ""]
            if tbl.foreign_keys:
                fks = ", ".join(f"`{c}` -> `{r}`" for c, r in tbl.foreign_keys.items())
                out += [f"Foreign keys: {fks}", ""]
            out += ["| column | type | null | meaning | allowed values |", "| --- | --- | --- | --- | --- |"]
            for col in tbl.columns:
                allowed = ", ".join(f"`{v}`" for v in col.allowed) if col.allowed else ""
                null = "yes" if col.nullable else "no"
                out.append(f"| `{col.name}` | {col.type} | {null} | {col.description} | {allowed} |")
            out.append("")
    return "\n".join(out)


def render_accepted_values_macro() -> str:
    """A dbt macro returning the contract's allowed values of a raw column."""
    lines = [
        "{#- Generated from lead_funnel/contract.py by `lead-funnel contract-docs`; do not edit by hand.",
        "    The contract's allowed values of an enumerated raw column, used by map_unknown(). -#}",
        "{% macro raw_accepted_values(table_name, column_name) -%}",
        "    {%- set allowed = {",
    ]
    for tbl in TABLES:
        for col in tbl.columns:
            if col.allowed:
                values = ", ".join(f"'{v}'" for v in col.allowed)
                lines.append(f"        '{tbl.name}.{col.name}': [{values}],")
    lines += [
        "    } -%}",
        "    {%- set key = table_name ~ '.' ~ column_name -%}",
        "    {%- if key not in allowed -%}",
        "        {{ exceptions.raise_compiler_error('raw_accepted_values: no allowed values for ' ~ key) }}",
        "    {%- endif -%}",
        "    {{ return(allowed[key]) }}",
        "{%- endmacro %}",
    ]
    return "\n".join(lines) + "\n"


def rendered_files() -> dict[Path, str]:
    """Every file rendered from the contract (and the catalogue of bad inputs), keyed by path."""
    from lead_funnel.quality.catalogue_docs import render_bad_inputs_md

    files = {
        REPO_ROOT / "docs" / "raw_data_contract.md": render_contract_md(),
        REPO_ROOT / "macros" / "contract" / "raw_accepted_values.sql": render_accepted_values_macro(),
        REPO_ROOT / "docs" / "bad_inputs.md": render_bad_inputs_md(),
    }
    for source in ("crm", "marketing"):
        path = REPO_ROOT / "models" / "staging" / source / f"_{source}__sources.yml"
        files[path] = render_sources_yml(source)
    return files


def write_rendered_files() -> list[Path]:
    """Write every rendered file; return the paths written."""
    written = []
    for path, text in rendered_files().items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
