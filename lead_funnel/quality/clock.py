"""Naive local-time timestamps: a table whose 24-hour activity profile is offset from the others.

Staging reads a timestamp without an offset as UTC (the contract). An export that wrote local
time instead (a CRM in New York writing 09:00 for 14:00 UTC) moves every instant of that table by
the zone's offset; nothing else in the data says so. People work by the clock, so the tables that
record what people do (leads created, status changes, form fills, identifications, page views,
sales activities) share one hour-of-day profile. A table whose profile matches the others best
when shifted by whole hours is flagged: an error (the build would shift every KPI that table
feeds), naming the table, the column and the offset.

The rule: for each activity column with at least ``MIN_ROWS`` values, its hour-of-day share
profile is compared with the pooled profile of the other activity columns (each normalised, equal
weights) by Pearson correlation at every circular shift of -12..+11 hours. It is flagged when the
best shift is not 0, correlates at least ``MIN_CORRELATION``, and beats the unshifted profile by
at least ``MIN_GAIN``. Profiles without a daily rhythm (flat, or batch-scheduled sends: email
events, campaign memberships) are not compared.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import numpy as np

from lead_funnel.quality.checks import typed_expression
from lead_funnel.quality.reader import FileInfo, reader_sql

# The columns that record when people did something (table -> timestamp column).
ACTIVITY_COLUMNS: dict[str, str] = {
    "leads": "created_at",
    "lead_status_changes": "changed_at",
    "form_submissions": "submitted_at",
    "identities": "identified_at",
    "web_events": "occurred_at",
    "activities": "occurred_at",
}
MIN_ROWS = 500
MIN_CORRELATION = 0.8
MIN_GAIN = 0.3
# A profile with a daily rhythm: its busiest hour has at least this multiple of its quietest.
MIN_PEAK_RATIO = 1.5


@dataclass(frozen=True)
class ClockOffset:
    """An activity column whose hour-of-day profile fits the others best shifted by ``hours``."""

    table: str
    column: str
    hours: int
    correlation: float
    unshifted_correlation: float
    rows: int

    def message(self) -> str:
        zone = f"UTC{'+' if self.hours > 0 else '-'}{abs(self.hours)}"
        return (
            f"the hour-of-day profile of {self.column} matches the other tables' only when moved by "
            f"{-self.hours:+d} h (correlation {self.correlation:.2f}, "
            f"unshifted {self.unshifted_correlation:.2f}, "
            f"{self.rows:,} rows): its timestamps look like naive local time ({zone}), which staging would "
            "read as UTC and shift every KPI it feeds; re-export them in UTC or with their offset "
            "(e.g. 2026-03-01T09:00:00-05:00)"
        )


def hour_profile(con: duckdb.DuckDBPyConnection, info: FileInfo, column: str) -> np.ndarray:
    """Rows per hour of the day (0..23) of a raw timestamp column, typed as staging types it."""
    value = typed_expression(info, column, "raw")
    rows = con.execute(
        f"select hour({value}) as h, count(*) from {reader_sql(info.path, info.fmt)} as raw "
        f"where {value} is not null group by 1"
    ).fetchall()
    profile = np.zeros(24)
    for hour, count in rows:
        profile[int(hour)] = count
    return profile


def _has_rhythm(profile: np.ndarray) -> bool:
    return profile.sum() >= MIN_ROWS and profile.min() > 0 and profile.max() / profile.min() >= MIN_PEAK_RATIO


def _correlation(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.corrcoef(a, b)[0, 1])


def best_shift(profile: np.ndarray, reference: np.ndarray) -> tuple[int, float, float]:
    """(hours, correlation, unshifted correlation): the circular shift of ``profile`` (moving its
    hour h to h - hours) that correlates best with ``reference``."""
    scores = {hours: _correlation(np.roll(profile, -hours), reference) for hours in range(-12, 12)}
    hours = max(scores, key=lambda h: (scores[h], -abs(h)))
    return hours, scores[hours], scores[0]


def clock_offsets(con: duckdb.DuckDBPyConnection, files: dict[str, FileInfo]) -> list[ClockOffset]:
    """Every activity column whose profile is offset from the pooled profile of the others."""
    profiles = {
        table: hour_profile(con, files[table], column)
        for table, column in ACTIVITY_COLUMNS.items()
        if table in files and files[table].readable and files[table].has(column)
    }
    rhythmic = {table: p / p.sum() for table, p in profiles.items() if _has_rhythm(p)}
    found: list[ClockOffset] = []
    for table, profile in rhythmic.items():
        others = [p for name, p in rhythmic.items() if name != table]
        if not others:
            continue
        hours, correlation, unshifted = best_shift(profile, np.sum(others, axis=0))
        if hours != 0 and correlation >= MIN_CORRELATION and correlation - unshifted >= MIN_GAIN:
            found.append(
                ClockOffset(
                    table, ACTIVITY_COLUMNS[table], hours, correlation, unshifted, int(profiles[table].sum())
                )
            )
    return found
