"""Vectorised helpers: time units, random draws, ids and string columns built without Python loops."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

SECOND = 1_000_000  # timestamps are int64 microseconds since the Unix epoch (UTC)
MINUTE = 60 * SECOND
HOUR = 60 * MINUTE
DAY = 24 * HOUR
NEVER = np.iinfo(np.int64).max  # "did not happen" marker for event times

_HEX_DIGITS = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)
_MASK64 = np.uint64(0xFFFFFFFFFFFFFFFF)


def rng_for(seed: int, *path: int) -> np.random.Generator:
    """Independent, reproducible stream for (seed, *path), e.g. (seed, chunk, stream)."""
    return np.random.default_rng(np.random.SeedSequence([seed, *path]))


def categorical(rng: np.random.Generator, probs: Sequence[float] | np.ndarray, n: int) -> np.ndarray:
    """n draws of a category index with the given probabilities (need not be normalised)."""
    p = np.asarray(probs, dtype=np.float64)
    cdf = np.cumsum(p / p.sum())
    cdf[-1] = 1.0
    return np.searchsorted(cdf, rng.random(n), side="right").astype(np.int64)


def categorical_rows(rng: np.random.Generator, cdfs: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """One categorical draw per element, each using the CDF ``cdfs[rows[i]]`` (k x m matrix)."""
    u = rng.random(len(rows))
    out = np.empty(len(rows), dtype=np.int64)
    for r in range(cdfs.shape[0]):
        sel = rows == r
        out[sel] = np.searchsorted(cdfs[r], u[sel], side="right")
    return np.minimum(out, cdfs.shape[1] - 1)


def to_cdf(probs: Sequence[float] | np.ndarray) -> np.ndarray:
    p = np.asarray(probs, dtype=np.float64)
    cdf = np.cumsum(p / p.sum())
    cdf[-1] = 1.0
    return cdf


def lognormal_median(rng: np.random.Generator, median: float, sigma: float, n: int) -> np.ndarray:
    return median * np.exp(sigma * rng.standard_normal(n))


def mean_one_noise(rng: np.random.Generator, sigma: float, n: int) -> np.ndarray:
    """LogNormal noise with expectation 1."""
    return np.exp(sigma * rng.standard_normal(n) - sigma * sigma / 2)


def modulated(rate: float, weight: np.ndarray, mean_weight: float, cap: float = 0.98) -> np.ndarray:
    """Per-row probability rate * weight / mean_weight, clipped to [0, cap] (population mean ~ rate)."""
    return np.clip(rate * weight / max(mean_weight, 1e-12), 0.0, cap)


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-9, 1 - 1e-9)
    return np.log(p / (1 - p))


def group_rank(keys: np.ndarray) -> np.ndarray:
    """0-based rank of every element among the elements with the same key, in array order."""
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    starts = np.r_[True, sorted_keys[1:] != sorted_keys[:-1]]
    idx = np.arange(len(keys))
    first = np.maximum.accumulate(np.where(starts, idx, 0))
    rank = np.empty(len(keys), dtype=np.int64)
    rank[order] = idx - first
    return rank


def expand(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For counts per parent: (parent index per child, 0-based position of the child in its parent)."""
    counts = counts.astype(np.int64)
    parent = np.repeat(np.arange(len(counts)), counts)
    starts = np.cumsum(counts) - counts
    pos = np.arange(len(parent)) - starts[parent]
    return parent, pos


def group_exclusive_cumsum(groups_sorted: np.ndarray, flags: np.ndarray) -> np.ndarray:
    """Per group (array sorted by group), the number of flagged rows strictly before each row."""
    c = np.cumsum(flags.astype(np.int64))
    excl = c - flags
    starts = np.r_[True, groups_sorted[1:] != groups_sorted[:-1]]
    base = np.maximum.accumulate(np.where(starts, excl, np.iinfo(np.int64).min))
    return excl - base


# ---------------------------------------------------------------------- strings
def _fixed_width(body: np.ndarray, prefix: str = "", suffix: str = "") -> pa.Array:
    """String array from an (n, w) uint8 matrix of ASCII bytes plus a constant prefix/suffix."""
    n = body.shape[0]
    parts = []
    if prefix:
        parts.append(np.broadcast_to(np.frombuffer(prefix.encode(), dtype=np.uint8), (n, len(prefix))))
    parts.append(body)
    if suffix:
        parts.append(np.broadcast_to(np.frombuffer(suffix.encode(), dtype=np.uint8), (n, len(suffix))))
    mat = np.ascontiguousarray(np.concatenate(parts, axis=1) if len(parts) > 1 else body)
    width = mat.shape[1]
    if n * width >= 2**31:
        raise ValueError("string column too large for one chunk; lower chunk_size")
    offsets = np.arange(0, (n + 1) * width, width, dtype=np.int32)
    return pa.StringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(mat.reshape(-1)))


def _splitmix64(x: np.ndarray) -> np.ndarray:
    """Bijective 64-bit mixer: distinct inputs give distinct, random-looking outputs."""
    z = x.astype(np.uint64)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def hex_ids(counters: np.ndarray, key: int, prefix: str = "") -> pa.Array:
    """Random-looking 16-hex-digit ids; unique for distinct counters (the mixer is a bijection)."""
    z = _splitmix64(counters.astype(np.uint64) ^ np.uint64(key & 0xFFFFFFFFFFFFFFFF))
    body = np.empty((len(z), 16), dtype=np.uint8)
    for i in range(16):
        body[:, i] = _HEX_DIGITS[((z >> np.uint64(60 - 4 * i)) & np.uint64(0xF)).astype(np.intp)]
    return _fixed_width(body, prefix)


def decimal_ids(numbers: np.ndarray, prefix: str, width: int, suffix: str = "") -> pa.Array:
    """Zero-padded decimal ids such as '00Q000000001234' (sortable within a width)."""
    numbers = numbers.astype(np.int64)
    if len(numbers) and int(numbers.max()) >= 10**width:
        raise ValueError(f"id {numbers.max()} does not fit {width} digits")
    digits = np.empty((len(numbers), width), dtype=np.uint8)
    for i in range(width):
        digits[:, i] = (numbers // 10 ** (width - 1 - i)) % 10 + 48
    return _fixed_width(digits, prefix, suffix)


def random_digits(rng: np.random.Generator, n: int, width: int) -> pa.Array:
    return _fixed_width(rng.integers(48, 58, size=(n, width), dtype=np.uint8))


def take(
    values: Sequence[str | None] | pa.Array, idx: np.ndarray, null_mask: np.ndarray | None = None
) -> pa.Array:
    """values[idx] as a string array; rows where null_mask is true (or idx < 0) are null."""
    arr = values if isinstance(values, pa.Array) else pa.array(list(values), type=pa.string())
    idx = np.asarray(idx, dtype=np.int64)
    mask = idx < 0 if null_mask is None else (null_mask | (idx < 0))
    indices = pa.array(np.where(mask, 0, idx), mask=mask) if mask.any() else pa.array(idx)
    if len(arr) == 0:
        return pa.nulls(len(idx), pa.string())
    return arr.take(indices)


def concat(*parts: pa.Array | str) -> pa.Array:
    """Element-wise string concatenation (null if any part is null)."""
    return pc.binary_join_element_wise(*parts, "")


def where(mask: np.ndarray, if_true: pa.Array, if_false: pa.Array) -> pa.Array:
    return pc.if_else(pa.array(mask, type=pa.bool_()), if_true, if_false)
