"""Review outcome statistics: acceptance, edit and rejection rates, edit distance, findings.

Pure functions over `StatsRow`s, which the store reads from its table; grouping by
language, tone or FAQ entry is a dictionary away.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from statistics import fmean
from typing import Any, ClassVar

from assistant.errors import InputError
from assistant.review.models import (
    DIMENSIONS,
    FindingCount,
    ReviewStats,
    ReviewStatus,
    StatsDimension,
    StatsGroup,
)

__all__ = ["NO_FAQ", "StatsRow", "compute_stats", "dimensions"]

NO_FAQ = "(none)"


@dataclass(frozen=True)
class StatsRow:
    """The few fields of one review that statistics need."""

    status: ReviewStatus
    decision: str | None
    edit_distance: float | None
    language: str
    tone: str
    faq_id: str | None
    findings: tuple[tuple[str, str], ...] = field(default=())  # (id, severity) on the draft

    COLUMNS: ClassVar[tuple[str, ...]] = (
        "status", "decision", "edit_distance", "language", "tone", "faq_id", "draft"
    )  # fmt: skip

    @classmethod
    def from_row(cls, row: Mapping[Any, Any]) -> StatsRow:
        """From a row of the reviews table with `COLUMNS` (the draft as JSON)."""
        findings = tuple((f["id"], f["severity"]) for f in row["draft"].get("findings", []))
        fields = {name: row[name] for name in cls.COLUMNS if name != "draft"}
        return cls(**fields, findings=findings)

    def key(self, dimension: StatsDimension) -> str:
        if dimension == "language":
            return self.language
        if dimension == "tone":
            return self.tone
        return self.faq_id or NO_FAQ


def dimensions(by: str | Iterable[str] | None) -> tuple[StatsDimension, ...]:
    """The known dimensions in `by` (one name or several), in their canonical order."""
    dims: tuple[str, ...] = () if by is None else (by,) if isinstance(by, str) else tuple(by)
    unknown = [d for d in dims if d not in DIMENSIONS]
    if unknown:
        raise InputError(
            f"cannot group statistics by {unknown[0]!r}; use one of {', '.join(DIMENSIONS)}"
        )
    return tuple(d for d in DIMENSIONS if d in dims)


def compute_stats(
    rows: Sequence[StatsRow], by: Iterable[StatsDimension] = (), *, top: int = 5
) -> ReviewStats:
    """Overall figures, plus one group per value of each dimension in `by`."""
    groups = {dim: _split(rows, dim, top) for dim in by}
    return ReviewStats(overall=summarise("all", rows, top=top), by=groups)


def summarise(key: str, rows: Sequence[StatsRow], *, top: int = 5) -> StatsGroup:
    """Counts, rates and most frequent draft findings of one group of reviews."""
    decisions = Counter(r.decision for r in rows if r.decision)
    decided = sum(decisions.values())
    distances = [r.edit_distance for r in rows if r.edit_distance is not None]
    return StatsGroup(
        key=key,
        total=len(rows),
        pending=sum(1 for r in rows if r.status == "pending"),
        decided=decided,
        approved=decisions["approved"],
        edited=decisions["edited"],
        rejected=decisions["rejected"],
        exported=sum(1 for r in rows if r.status == "exported"),
        acceptance_rate=_rate(decisions["approved"], decided),
        edit_rate=_rate(decisions["edited"], decided),
        rejection_rate=_rate(decisions["rejected"], decided),
        mean_edit_distance=fmean(distances) if distances else None,
        top_findings=_top_findings(rows, top),
    )


def _split(rows: Sequence[StatsRow], dimension: StatsDimension, top: int) -> list[StatsGroup]:
    members: dict[str, list[StatsRow]] = defaultdict(list)
    for row in rows:
        members[row.key(dimension)].append(row)
    ordered = sorted(members.items(), key=lambda item: (-len(item[1]), item[0]))
    return [summarise(key, group, top=top) for key, group in ordered]


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _top_findings(rows: Sequence[StatsRow], top: int) -> list[FindingCount]:
    # Counted once per review: "in how many drafts did this finding appear".
    counts: Counter[tuple[str, str]] = Counter()
    for row in rows:
        counts.update(set(row.findings))
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:top]
    return [FindingCount(id=fid, severity=sev, count=n) for (fid, sev), n in ranked]
