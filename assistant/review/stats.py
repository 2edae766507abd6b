"""Review outcome statistics: acceptance, edit and rejection rates, edit distance, findings.

Pure functions over `StatsRow`s, which the store reads from its table; grouping by
language, script, tone, FAQ entry, guideline snippet, channel or source is a dictionary
away. A review counts in the group of every snippet shown with it. `most_edited` ranks
FAQ entries and snippets by how many of their drafts agents edited before sending.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from statistics import fmean
from typing import Any, ClassVar

from assistant.errors import InputError
from assistant.review.models import (
    DESK,
    DIMENSIONS,
    SOURCE_FILTERS,
    EditedKind,
    FindingCount,
    ReviewStats,
    ReviewStatus,
    SourceFilter,
    StatsDimension,
    StatsGroup,
)

__all__ = ["NO_FAQ", "NO_SNIPPET", "StatsRow", "compute_stats", "dimensions", "source_filter"]

NO_FAQ = "(none)"
NO_SNIPPET = "(none shown)"
UNKNOWN_SCRIPT = "Zyyy"  # ISO 15924 "undetermined": a review stored before scripts were


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
    script: str | None = None
    channel: str = "twitter"
    source: str = DESK
    snippets: tuple[tuple[str, str], ...] = field(default=())  # (id, text) shown

    COLUMNS: ClassVar[tuple[str, ...]] = (
        "status", "decision", "edit_distance", "language", "tone", "faq_id", "draft",
        "script", "channel", "source", "snippets",
    )  # fmt: skip

    @classmethod
    def from_row(cls, row: Mapping[Any, Any]) -> StatsRow:
        """From a row of the reviews table with `COLUMNS` (draft and snippets as JSON)."""
        findings = tuple((f["id"], f["severity"]) for f in row["draft"].get("findings", []))
        snippets = tuple((s["id"], s["text"]) for s in row["snippets"] or ())
        fields = {name: row[name] for name in cls.COLUMNS if name not in ("draft", "snippets")}
        fields["source"] = fields["source"] or DESK
        return cls(**fields, findings=findings, snippets=snippets)

    def keys(self, dimension: StatsDimension) -> tuple[str, ...]:
        """The groups of `dimension` this review belongs to (several for snippets)."""
        if dimension == "snippet":
            return tuple(sid for sid, _ in self.snippets) or (NO_SNIPPET,)
        if dimension == "script":
            return (f"{self.language}-{self.script or UNKNOWN_SCRIPT}",)
        if dimension == "faq":
            return (self.faq_id or NO_FAQ,)
        single: dict[str, str] = {
            "language": self.language,
            "tone": self.tone,
            "channel": self.channel,
            "source": self.source,
        }
        return (single[dimension],)

    def counted(self, source: SourceFilter) -> bool:
        """Whether `source` ("all", "desk" or "helpdesk") counts this review."""
        if source == "all":
            return True
        return (self.source == DESK) == (source == "desk")


def dimensions(by: str | Iterable[str] | None) -> tuple[StatsDimension, ...]:
    """The known dimensions in `by` (one name or several), in their canonical order."""
    dims: tuple[str, ...] = () if by is None else (by,) if isinstance(by, str) else tuple(by)
    unknown = [d for d in dims if d not in DIMENSIONS]
    if unknown:
        raise InputError(
            f"cannot group statistics by {unknown[0]!r}; use one of {', '.join(DIMENSIONS)}"
        )
    return tuple(d for d in DIMENSIONS if d in dims)


def source_filter(source: str) -> SourceFilter:
    """`source` checked: all, desk or helpdesk."""
    for known in SOURCE_FILTERS:
        if source == known:
            return known
    raise InputError(f"unknown source {source!r}; use one of {', '.join(SOURCE_FILTERS)}")


def compute_stats(
    rows: Sequence[StatsRow],
    by: Iterable[StatsDimension] = (),
    *,
    top: int = 5,
    source: SourceFilter = "all",
) -> ReviewStats:
    """Overall figures, one group per value of each dimension in `by`, and the FAQ entries
    and snippets edited most; only reviews from `source` count."""
    rows = [row for row in rows if row.counted(source)]
    groups = {dim: _split(rows, dim, top) for dim in by}
    edited: dict[EditedKind, list[StatsGroup]] = {
        "faq": _most_edited(_split(rows, "faq", top), top),
        "snippet": _most_edited(_split(rows, "snippet", top), top),
    }
    overall = summarise("all", rows, top=top)
    return ReviewStats(source=source, overall=overall, by=groups, most_edited=edited)


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
    labels: dict[str, str] = dict(s for row in rows for s in row.snippets)
    for row in rows:
        for key in row.keys(dimension):
            members[key].append(row)
    ordered = sorted(members.items(), key=lambda item: (-len(item[1]), item[0]))
    groups = [summarise(key, group, top=top) for key, group in ordered]
    if dimension == "snippet":
        groups = [g.model_copy(update={"label": labels.get(g.key)}) for g in groups]
    return groups


def _most_edited(groups: Sequence[StatsGroup], top: int) -> list[StatsGroup]:
    """Groups with edited replies, most edits first, then the highest edit rate."""
    edited = [g for g in groups if g.edited and g.key not in (NO_FAQ, NO_SNIPPET)]
    return sorted(edited, key=lambda g: (-g.edited, -(g.edit_rate or 0.0), g.key))[:top]


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _top_findings(rows: Sequence[StatsRow], top: int) -> list[FindingCount]:
    # Counted once per review: "in how many drafts did this finding appear".
    counts: Counter[tuple[str, str]] = Counter()
    for row in rows:
        counts.update(set(row.findings))
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:top]
    return [FindingCount(id=fid, severity=sev, count=n) for (fid, sev), n in ranked]
