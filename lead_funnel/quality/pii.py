"""Scan a schema for personal data: email- or phone-shaped values and PII column names.

The PII policy (docs/pii_policy.md): emails, names and phone numbers stay in staging; marts
carry the CRM's opaque ``lead_id``, a pseudonymous ``lead_key`` and the email domain.
``scan_schema`` checks every column of every table of a schema (each value cast to text, all
rows, one DuckDB query per table) and reports what it finds.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

# An email anywhere in the value (also inside free text or a URL).
EMAIL_PATTERN = r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
# A whole value that is a phone number: digits with phone punctuation, 7 to 15 digits, and a
# '+', space, dash or parenthesis (so plain numeric ids, amounts and ISO dates do not match).
PHONE_PATTERN = r"\s*\+?\(?[0-9][0-9 ().-]{5,}[0-9]\s*"
# A phone number inside free text: an international number (+ country code, groups of digits).
PHONE_IN_TEXT_PATTERN = r"\+[0-9]{1,3}[ .-]?\(?[0-9]{1,4}\)?([ .-]?[0-9]{2,4}){2,4}"
PII_COLUMN_NAMES = frozenset(
    {
        "email",
        "email_address",
        "phone",
        "phone_number",
        "mobile",
        "first_name",
        "last_name",
        "full_name",
        "title",
        "job_title",
    }
)


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


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def email_condition(ref: str) -> str:
    """SQL: the text ``ref`` holds an email address."""
    return f"regexp_matches({ref}, '{EMAIL_PATTERN}')"


def phone_condition(ref: str) -> str:
    """SQL: the text ``ref`` is a phone number, or holds an international one."""
    digits = f"length(regexp_replace({ref}, '[^0-9]', '', 'g'))"
    whole = (
        f"(regexp_full_match({ref}, '{PHONE_PATTERN}') and regexp_matches({ref}, '[+ ()-]') "
        f"and {digits} between 7 and 15 "
        f"and not regexp_matches({ref}, '^\\s*[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}'))"
    )
    return f"({whole} or regexp_matches({ref}, '{PHONE_IN_TEXT_PATTERN}'))"


def _scan_table(
    con: duckdb.DuckDBPyConnection, schema: str, table: str, columns: list[str]
) -> list[PiiFinding]:
    checks = {"email-shaped": email_condition, "phone-shaped": phone_condition}
    selects: list[str] = []
    labels: list[tuple[str, str]] = []
    for column in columns:
        ref = f"cast({_quote(column)} as varchar)"
        for kind, condition in checks.items():
            cond = condition(ref)
            selects += [f"count(*) filter (where {cond})", f"any_value({ref}) filter (where {cond})"]
            labels.append((column, kind))
    if not selects:
        return []
    row = con.execute(f"select {', '.join(selects)} from {_quote(schema)}.{_quote(table)}").fetchall()[0]
    findings = []
    for index, (column, kind) in enumerate(labels):
        count, example = row[2 * index], row[2 * index + 1]
        if count:
            findings.append(PiiFinding(table, column, kind, int(count), str(example)))
    return findings


def scan_schema(con: duckdb.DuckDBPyConnection, schema: str) -> list[PiiFinding]:
    """Every email- or phone-shaped value, and every PII-named column, in ``schema``."""
    rows = con.execute(
        "select table_name, column_name from information_schema.columns "
        "where table_schema = ? order by table_name, ordinal_position",
        [schema],
    ).fetchall()
    by_table: dict[str, list[str]] = {}
    findings: list[PiiFinding] = []
    for table, column in rows:
        by_table.setdefault(str(table), []).append(str(column))
        if str(column).lower() in PII_COLUMN_NAMES:
            findings.append(PiiFinding(table, column, "PII-named column", 0, column))
    for table, columns in by_table.items():
        findings += _scan_table(con, schema, table, columns)
    return findings
