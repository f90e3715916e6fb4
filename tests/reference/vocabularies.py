"""Independent pandas mapping of raw values through the vocabulary seeds (as documented in
docs/raw_data_contract.md, "Vocabularies"): trimmed, case-insensitive; a value no seed row maps is
'unmapped'; a null (or blank) value stays null. Written from the documentation, not the SQL."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd

from lead_funnel import contract
from lead_funnel.paths import SEEDS_DIR


@cache
def lookup(vocabulary: str, crm: str = "salesforce", seeds_dir: Path = SEEDS_DIR) -> dict[str, str]:
    """lower(trim(source value)) -> canonical value, from the vocabulary's seed."""
    vocab = contract.VOCABULARIES[vocabulary]
    seed = pd.read_csv(next(seeds_dir.rglob(f"{vocab.seed}.csv")), dtype=str, keep_default_na=False)
    if vocab.per_crm:
        seed = seed[seed["source_system"] == crm]
    if vocab.vocabulary_filter:
        seed = seed[seed["vocabulary"] == vocab.vocabulary_filter]
    mapping: dict[str, str] = {}
    for source, value in zip(seed[vocab.match_column], seed[vocab.value_column], strict=True):
        key = source.strip().lower()
        mapping[key] = min(mapping.get(key, value), value)
    return mapping


def map_values(
    series: pd.Series, vocabulary: str, crm: str = "salesforce", seeds_dir: Path = SEEDS_DIR
) -> pd.Series:
    """Each value mapped through the seed; unmapped values 'unmapped'; nulls null."""
    table = lookup(vocabulary, crm, seeds_dir)

    def one(value: object) -> object:
        if not isinstance(value, str) or not value.strip():
            return None
        return table.get(value.strip().lower(), "unmapped")

    return series.map(one)


def column_vocabulary(table: str, column: str) -> str:
    vocabulary = contract.table(table).column(column).vocabulary
    assert vocabulary, (table, column)
    return vocabulary
