"""Map a new export's own words: the seed rows its unmapped values need, as a CSV stub to fill in.

``lead-funnel mapping --raw-dir DIR`` writes one stub row per raw value no seed row maps
(``seed, vocabulary, source_system, source_value, value, rows, allowed_values``); the user fills
in ``value`` (one of ``allowed_values``) and runs ``lead-funnel mapping --apply STUB``, which
appends the rows to the seeds under ``seeds/vocabularies/``. The next build maps them.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from lead_funnel.contract import TABLES, VOCABULARIES
from lead_funnel.quality.checks import read_seed
from lead_funnel.quality.delivery import unmapped_values
from lead_funnel.quality.reader import connect, inspect_file
from lead_funnel.quality.settings import QualitySettings, load_settings, raw_format

STUB_COLUMNS = ("seed", "vocabulary", "source_system", "source_value", "value", "rows", "allowed_values")
MAX_ALLOWED_SHOWN = 40


@dataclass(frozen=True)
class StubRow:
    """One seed row to fill in."""

    seed: str
    vocabulary: str
    source_system: str
    source_value: str
    value: str
    rows: int
    allowed_values: str


def canonical_values(vocabulary: str, settings: QualitySettings) -> list[str]:
    """The values a vocabulary maps to (its seed's value column, for the configured CRM)."""
    vocab = VOCABULARIES[vocabulary]
    rows = read_seed(vocab.seed, settings.seeds_dir)
    if vocab.per_crm:
        rows = [r for r in rows if r["source_system"] == settings.crm_source_system]
    if vocab.vocabulary_filter:
        rows = [r for r in rows if r["vocabulary"] == vocab.vocabulary_filter]
    if vocabulary == "lead_stage":
        return [r["stage"] for r in read_seed("canonical_stages", settings.seeds_dir)]
    if vocabulary == "opportunity_stage":
        return ["open", "won", "lost"]
    if vocabulary == "lead_source_channel":
        return [r["channel"] for r in read_seed("channels", settings.seeds_dir)]
    return sorted({r[vocab.value_column] for r in rows})


def stub_rows(
    raw_dir: Path, settings: QualitySettings | None = None, seeds_dir: Path | None = None
) -> list[StubRow]:
    """One row per value of the delivery no seed row maps (each value once per vocabulary)."""
    settings = settings or load_settings()
    if seeds_dir is not None:
        settings = settings.with_(seeds_dir=seeds_dir)
    fmt = raw_format(raw_dir)
    con = connect(settings)
    try:
        files = {t.name: inspect_file(con, t, raw_dir.resolve(), fmt) for t in TABLES}
        found = unmapped_values(con, {n: f for n, f in files.items() if f.readable}, settings)
    finally:
        con.close()
    merged: dict[tuple[str, str], int] = {}
    for item in found:
        key = (item.vocabulary, item.value.lower())
        merged[key] = merged.get(key, 0) + item.rows
    first_spelling = {(i.vocabulary, i.value.lower()): i.value for i in reversed(found)}
    out = []
    for (vocabulary, lowered), rows in merged.items():
        vocab = VOCABULARIES[vocabulary]
        allowed = canonical_values(vocabulary, settings)
        shown = "|".join(allowed[:MAX_ALLOWED_SHOWN]) + ("|..." if len(allowed) > MAX_ALLOWED_SHOWN else "")
        out.append(
            StubRow(
                vocab.seed,
                vocabulary,
                settings.crm_source_system if vocab.per_crm else "",
                first_spelling[(vocabulary, lowered)],
                "",
                rows,
                shown,
            )
        )
    return out


def write_stub(rows: list[StubRow], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(STUB_COLUMNS)
        for row in rows:
            writer.writerow([getattr(row, c) for c in STUB_COLUMNS])
    return path


def read_stub(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


class StubError(ValueError):
    """A stub row cannot be applied (its value is missing or outside the vocabulary)."""


def _seed_row(stub: dict[str, str], header: list[str]) -> dict[str, str]:
    vocab = VOCABULARIES[stub["vocabulary"]]
    row = dict.fromkeys(header, "")
    row[vocab.match_column] = stub["source_value"]
    row[vocab.value_column] = stub["value"].strip()
    if vocab.per_crm:
        row["source_system"] = stub["source_system"]
    if vocab.vocabulary_filter:
        row["vocabulary"] = vocab.vocabulary_filter
    if "note" in row:
        row["note"] = f"added by lead-funnel mapping ({stub.get('rows', '?')} rows)"
    return row


def apply_stub(path: Path, seeds_dir: Path, settings: QualitySettings | None = None) -> dict[str, int]:
    """Append the filled rows of a stub to their seeds; returns rows added per seed file.

    Every row must have a value among the vocabulary's canonical values; nothing is written when
    any row is wrong (the error names each)."""
    settings = (settings or load_settings()).with_(seeds_dir=seeds_dir)
    stubs = read_stub(path)
    problems = []
    for number, stub in enumerate(stubs, start=2):
        allowed = canonical_values(stub["vocabulary"], settings)
        if stub["value"].strip() not in allowed:
            problems.append(
                f"line {number}: {stub['vocabulary']} {stub['source_value']!r} -> {stub['value']!r}: "
                f"fill in one of {', '.join(allowed[:12])}{'...' if len(allowed) > 12 else ''}"
            )
    if problems:
        raise StubError("the stub cannot be applied:\n" + "\n".join(problems))
    added: dict[str, int] = {}
    for stub in stubs:
        seed_file = next(seeds_dir.rglob(f"{stub['seed']}.csv"))
        with seed_file.open(encoding="utf-8", newline="") as handle:
            header = next(csv.reader(handle))
        text = seed_file.read_text(encoding="utf-8")
        with seed_file.open("a", encoding="utf-8", newline="") as handle:
            if text and not text.endswith("\n"):
                handle.write("\n")
            csv.DictWriter(handle, fieldnames=header, lineterminator="\n").writerow(_seed_row(stub, header))
        added[str(seed_file)] = added.get(str(seed_file), 0) + 1
    return added
