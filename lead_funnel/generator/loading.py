"""Extract/load behaviour of event tables: loaded_at, late arrivals and re-delivered duplicates."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from lead_funnel.generator.arrays import DAY, HOUR
from lead_funnel.generator.params import GeneratorParams

Columns = dict[str, pa.Array | np.ndarray]


def _cap(rng: np.random.Generator, base: np.ndarray, t: np.ndarray, load_us: int) -> np.ndarray:
    """Keep t when < load, else a uniform instant in [base, load)."""
    over = t >= load_us
    if over.any():
        t = t.copy()
        t[over] = base[over] + (rng.random(int(over.sum())) * (load_us - base[over])).astype(np.int64)
    return t


def loaded_times(
    rng: np.random.Generator, p: GeneratorParams, occurred: np.ndarray, load_us: int
) -> np.ndarray:
    """loaded_at: usually hours after the event, late_event_share days later; always in [occurred, load)."""
    n = len(occurred)
    normal = occurred + (rng.exponential(p.load_delay_mean_hours, n) * HOUR).astype(np.int64)
    lo, hi = p.late_delay_days
    late = occurred + ((lo + rng.random(n) * (hi - lo)) * DAY).astype(np.int64)
    t = np.where(rng.random(n) < p.late_event_share, late, normal)
    return _cap(rng, occurred, t, load_us)


def _take(values: pa.Array | np.ndarray, idx: np.ndarray) -> pa.Array | np.ndarray:
    if isinstance(values, pa.Array):
        return values.take(pa.array(idx, type=pa.int64()))
    return values[idx]


def add_loading(
    rng: np.random.Generator, p: GeneratorParams, cols: Columns, time_column: str, load_us: int
) -> list[Columns]:
    """Add loaded_at; returns [rows, re-delivered copies] (same id and content, strictly later loaded_at).

    The copies are returned separately (written after the originals) to avoid copying big tables.
    """
    occurred = np.asarray(cols[time_column], dtype=np.int64)
    loaded = loaded_times(rng, p, occurred, load_us)
    n = len(occurred)
    dup = np.flatnonzero(rng.random(n) < p.redelivered_share)
    lo, hi = p.redelivery_delay_hours
    again = loaded[dup] + ((lo + rng.random(len(dup)) * (hi - lo)) * HOUR).astype(np.int64)
    again = _cap(rng, loaded[dup], again, load_us)
    later = again > loaded[dup]
    dup, again = dup[later], again[later]
    main = {**cols, "loaded_at": loaded}
    copies = {name: _take(values, dup) for name, values in cols.items()}
    copies["loaded_at"] = again
    return [main, copies]
