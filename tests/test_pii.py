"""PII policy (docs/pii_policy.md): no email, name or phone number reaches a mart; dim_leads carries a
keyed pseudonymous lead key and the email domain instead. The scanner is proven on planted values."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from lead_funnel.quality.pii import scan_schema

DEMO_PII_KEY = (
    "lead-funnel-demo-key-not-secret"  # the documented default of macros/cross_db/pseudonymous_key.sql
)


def test_no_mart_column_holds_personal_data(con: duckdb.DuckDBPyConnection) -> None:
    tables = con.execute(
        "select count(distinct table_name), count(*) from information_schema.columns "
        "where table_schema = 'marts'"
    ).fetchall()[0]
    assert tables[0] >= 4 and tables[1] >= 40, f"the marts schema looks unbuilt: {tables}"
    findings = scan_schema(con, "marts")
    assert findings == [], "\n".join(f.line() for f in findings)


@pytest.mark.parametrize("schema", ["intermediate", "snapshots"])
def test_personal_data_stays_in_staging(con: duckdb.DuckDBPyConnection, schema: str) -> None:
    """Emails, names and phones stay in staging: the layers built on it hold none either."""
    assert con.execute(
        "select count(*) from information_schema.tables where table_schema = ?", [schema]
    ).fetchall()[0][0]
    findings = scan_schema(con, schema)
    assert findings == [], "\n".join(f.line() for f in findings)


def test_the_scanner_sees_the_personal_data_staging_holds(con: duckdb.DuckDBPyConnection) -> None:
    """The same scan on staging finds the emails and phones there: it is not blind on real data."""
    found = {(f.table, f.column, f.kind) for f in scan_schema(con, "staging")}
    assert ("stg_crm__leads", "email", "email-shaped") in found
    assert ("stg_crm__leads", "phone", "phone-shaped") in found
    assert ("stg_crm__leads", "first_name", "PII-named column") in found


PLANTED = pd.DataFrame(
    {
        "row_id": [1, 2, 3, 4],
        "note": ["call back next week", "contact Jane.Doe@Example.co.uk asap", None, "plain text"],
        "contact": ["+44 20 7946 0958", "n/a", "(415) 555-0123", None],
        "free_text": ["meeting", "no contact", "reach me at +1 415 555 0199 after 5", "ok"],
        # values that must NOT be flagged: ids, dates, numbers, domains, hashes, URLs
        "lead_id": ["L-0000123", "0042-17", "12345678", "L-9"],
        "day": ["2026-03-31", "2026-03-31 10:00:00", "2026-03-31T10:00:00+02:00", "20260331"],
        "email_domain": ["example.com", "mail.example.co.uk", "contoso009.example.com", None],
        "lead_key": [hashlib.sha256(str(i).encode()).hexdigest() for i in range(4)],
        "amount": [-1234567.5, 1234567.0, 0.0, 5551234.0],
        "page_url": ["https://example.com/pricing?utm_source=x", "/blog/2026-03-31", "/a-b-c", None],
    }
)


def test_scanner_catches_planted_email_and_phone_and_nothing_else() -> None:
    con = duckdb.connect()
    con.execute("create schema marts")
    con.register("planted", PLANTED)
    con.execute("create table marts.fct_planted as select * from planted")
    con.execute("create table marts.dim_clean as select row_id, lead_id, day, amount from planted")
    found = {(f.table, f.column, f.kind, f.rows) for f in scan_schema(con, "marts")}
    assert found == {
        ("fct_planted", "note", "email-shaped", 1),
        ("fct_planted", "contact", "phone-shaped", 2),
        ("fct_planted", "free_text", "phone-shaped", 1),
    }


def test_scanner_flags_pii_named_columns_even_when_empty() -> None:
    con = duckdb.connect()
    con.execute("create schema marts")
    con.execute("create table marts.dim_people (lead_id varchar, first_name varchar, phone varchar)")
    found = {(f.column, f.kind) for f in scan_schema(con, "marts")}
    assert found == {("first_name", "PII-named column"), ("phone", "PII-named column")}


def test_scanner_catches_an_email_planted_in_a_real_mart(warehouse: Path, tmp_path: Path) -> None:
    copy = tmp_path / "planted.duckdb"
    shutil.copyfile(warehouse, copy)
    with duckdb.connect(str(copy)) as con:
        lead = con.execute("select min(lead_id) from marts.dim_leads").fetchall()[0][0]
        con.execute(
            "update marts.dim_leads set email_domain = 'someone@' || email_domain where lead_id = ?", [lead]
        )
        con.execute("update marts.dim_leads set lead_source = '+33 572 227 0672' where lead_id = ?", [lead])
        found = {(f.table, f.column, f.kind, f.rows) for f in scan_schema(con, "marts")}
    assert ("dim_leads", "email_domain", "email-shaped", 1) in found
    assert ("dim_leads", "lead_source", "phone-shaped", 1) in found


@pytest.fixture(scope="module")
def raw_leads(raw_dir: Path) -> pd.DataFrame:
    return duckdb.sql(f"select lead_id, email from read_parquet('{raw_dir / 'leads.parquet'}')").df()


def test_dim_leads_carries_the_keyed_lead_key_and_the_email_domain(
    con: duckdb.DuckDBPyConnection, raw_leads: pd.DataFrame
) -> None:
    """Recomputed here from the raw file: lead_key = sha256('<key>|' || lead_id), domain after '@'."""
    dim = con.execute("select lead_id, lead_key, email_domain from marts.dim_leads").df()
    assert len(dim) > 1000
    expected_key = dim["lead_id"].map(lambda i: hashlib.sha256(f"{DEMO_PII_KEY}|{i}".encode()).hexdigest())
    assert (dim["lead_key"] == expected_key).all()
    assert dim["lead_key"].is_unique
    raw = raw_leads.set_index("lead_id")["email"]
    expected_domain = (
        dim["lead_id"]
        .map(raw)
        .map(lambda e: e.strip().lower().split("@", 1)[1] if isinstance(e, str) and "@" in e else None)
    )
    assert dim["email_domain"].fillna("").tolist() == expected_domain.fillna("").tolist()


def test_lead_key_cannot_be_recomputed_without_the_key(con: duckdb.DuckDBPyConnection) -> None:
    lead_id, lead_key = con.execute("select lead_id, lead_key from marts.dim_leads limit 1").fetchall()[0]
    unkeyed = {hashlib.sha256(lead_id.encode()).hexdigest(), hashlib.md5(lead_id.encode()).hexdigest()}
    assert lead_key not in unkeyed
    assert hashlib.sha256(f"another-key|{lead_id}".encode()).hexdigest() != lead_key
