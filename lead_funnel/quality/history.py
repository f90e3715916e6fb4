"""The previous-run record: row counts of the last load that passed validation, per landing folder."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path


@dataclass(frozen=True)
class PreviousLoad:
    """Row counts of the last validated load of one landing folder."""

    validated_at: str
    row_counts: dict[str, int]


def _read(history_file: Path) -> dict[str, dict[str, object]]:
    if not history_file.exists():
        return {}
    try:
        data = json.loads(history_file.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def previous_load(history_file: Path | None, raw_dir: Path) -> PreviousLoad | None:
    """The record of the last load of ``raw_dir`` that passed validation, if any."""
    if history_file is None:
        return None
    entry = _read(history_file).get(str(raw_dir.resolve()))
    if not isinstance(entry, dict):
        return None
    counts = entry.get("row_counts")
    if not isinstance(counts, dict):
        return None
    return PreviousLoad(str(entry.get("validated_at", "")), {str(k): int(v) for k, v in counts.items()})


def record_load(
    history_file: Path, raw_dir: Path, validated_at: datetime, row_counts: dict[str, int]
) -> None:
    """Record a load that passed validation (written atomically)."""
    data = _read(history_file)
    data[str(raw_dir.resolve())] = {"validated_at": validated_at.isoformat(), "row_counts": row_counts}
    history_file.parent.mkdir(parents=True, exist_ok=True)
    tmp = history_file.with_name(history_file.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(tmp, history_file)
