"""Scan a schema for personal data: email- or phone-shaped values and PII column names.

The PII policy (docs/pii_policy.md): emails, names and phone numbers stay in staging; marts
carry a pseudonymous lead key and the email domain. ``scan_schema`` checks every text column of
every table of a schema (all rows, in DuckDB) and reports what it finds.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

# An email anywhere in the value (also inside free text).
EMAIL_PATTERN = r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
# A whole value that is a phone number: digits with phone punctuation, 7 to 15 digits, and a
# '+', space, dash or parenthesis (so plain numeric ids and ISO dates do not match).
PHONE_PATTERN = r"\s*\+?\(?[0-9][0-9 ().-]{5,}[0-9]\s*"
PII_COLUMN_NAMES = frozenset({"email", "phone", "first_name", "last_name", "full_name", "phone_number"})


@dataclass(frozen=True)
class PiiFinding:
    """Personal data found in one column."""

    table: str
    column: str
    kind: str
    rows: int
    example: str

    def line(self) -> str:
        return f"{self.table}.{self.column}: {self.rows:,} {self.kind} value(s), e.g. {self.example!r}"


def _phone_condition(ref: str) -> str:
    digits = f"length(regexp_replace({ref}, '[^0-9]', '', 'g'))"
    return (
        f"(regexp_full_match({ref}, '{PHONE_PATTERN}') and regexp_matches({ref}, '[+ ()-]') "
        f"and {digits} between 7 and 15 "
        f"and not regexp_matches({ref}, '^\\s*[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}'))"
    )


def _scan_column(con: duckdb.DuckDBPyConnection, schema: str, table: str, column: str) -> list[PiiFinding]:
    ref = f'cast("{column}" as varchar)'
    checks = {
        "email-shaped": f"regexp_matches({ref}, '{EMAIL_PATTERN}')",
        "phone-shaped": _phone_condition(ref),
    }
    findings = []
    for kind, condition in checks.items():
        row = con.execute(
            f'select count(*), any_value({ref}) from "{schema}"."{table}" '
            f"where {ref} is not null and {condition}"
        ).fetchall()[0]
        if row[0]:
            findings.append(PiiFinding(table, column, kind, int(row[0]), str(row[1])))
    return findings


def scan_schema(con: duckdb.DuckDBPyConnection, schema: str) -> list[PiiFinding]:
    """Every email- or phone-shaped value, and every PII-named column, in ``schema``."""
    columns = con.execute(
        "select table_name, column_name, data_type from information_schema.columns "
        "where table_schema = ? order by table_name, ordinal_position",
        [schema],
    ).fetchall()
    findings: list[PiiFinding] = []
    for table, column, data_type in columns:
        if column.lower() in PII_COLUMN_NAMES:
            findings.append(PiiFinding(table, column, "PII-named column", 0, column))
        if str(data_type).upper() in ("VARCHAR", "TEXT") or str(data_type).upper().startswith("VARCHAR"):
            findings += _scan_column(con, schema, table, column)
    return findings
