"""Statistics on a store the tests fill: rates and edit distances overall and per group."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from assistant.errors import InputError
from assistant.review import ReviewStore, edit_distance
from assistant.review.stats import NO_FAQ
from assistant.types import Finding, Message
from tests.review.review_support import BLOCK, WARN, invoke, make_draft

ES, HY, ZH = "Hola Ana, tu pedido está en camino.", "Բարև Անի, պատվերը ճանապարհին է։", "您好"
ES_FINAL = "Hola Ana, tu pedido llega mañana."
HY_FINALS = ("Բարև Անի, պատվերը ճանապարհին է։ Շնորհակալություն։", "Բարև, պատվերը ուշանում է։")


def fill(store: ReviewStore) -> None:
    """es: approved, edited, rejected, pending · hy: edited twice · zh: approved."""
    message = Message(text="Where is my order?", customer_name="Ana")

    def add(
        text: str, language: str, tone: str, faq: str | None, findings: Sequence[Finding] = ()
    ) -> int:
        citations = (faq,) if faq else ()
        draft = make_draft(text, language, tone, citations, tuple(findings))
        return store.add_draft(message, draft).id

    store.approve(add(ES, "es", "friendly", "order-status", [WARN]), "alice")
    store.edit(add(ES, "es", "formal", "order-status"), "alice", ES_FINAL)
    store.reject(add(ES, "es", "friendly", "returns", [BLOCK, WARN]), "bob", "wrong FAQ")
    add(ES, "es", "friendly", "returns", [WARN])
    for final in HY_FINALS:
        store.edit(add(HY, "hy", "formal", "order-status"), "carol", final)
    store.approve(add(ZH, "zh", "friendly", None), "dave")


@pytest.fixture
def filled(db_path: Path) -> Path:
    with ReviewStore(db_path) as store:
        fill(store)
    return db_path


def test_overall_and_per_language(filled: Path) -> None:
    with ReviewStore(filled) as store:
        figures = store.stats()
    overall = figures.overall
    assert (overall.total, overall.pending, overall.decided) == (7, 1, 6)
    assert (overall.approved, overall.edited, overall.rejected) == (2, 3, 1)
    assert overall.acceptance_rate == pytest.approx(2 / 6)
    assert overall.edit_rate == pytest.approx(3 / 6)
    assert overall.rejection_rate == pytest.approx(1 / 6)
    es_edit = edit_distance(ES, ES_FINAL)
    hy_edits = [edit_distance(HY, final) for final in HY_FINALS]
    assert overall.mean_edit_distance == pytest.approx((0 + es_edit + sum(hy_edits) + 0) / 5)
    assert [(f.id, f.count) for f in overall.top_findings] == [("length", 3), ("private-data", 1)]

    by_language = {g.key: g for g in figures.by["language"]}
    assert list(by_language) == ["es", "hy", "zh"]  # biggest group first
    es, hy, zh = by_language["es"], by_language["hy"], by_language["zh"]
    assert (es.acceptance_rate, es.edit_rate, es.rejection_rate) == (1 / 3, 1 / 3, 1 / 3)
    assert es.mean_edit_distance == pytest.approx(es_edit / 2)
    assert (hy.acceptance_rate, hy.edit_rate, hy.rejection_rate) == (0.0, 1.0, 0.0)
    assert hy.mean_edit_distance == pytest.approx(sum(hy_edits) / 2)
    assert (zh.acceptance_rate, zh.mean_edit_distance) == (1.0, 0.0)


def test_per_tone_and_faq(filled: Path) -> None:
    with ReviewStore(filled) as store:
        figures = store.stats(by=["faq", "tone"])
    assert list(figures.by) == ["language", "tone", "faq"][1:]
    tones = {g.key: (g.total, g.decided, g.edit_rate) for g in figures.by["tone"]}
    assert tones == {"friendly": (4, 3, 0.0), "formal": (3, 3, 1.0)}
    faqs = {g.key: (g.total, g.acceptance_rate) for g in figures.by["faq"]}
    assert faqs == {"order-status": (4, 0.25), "returns": (2, 0.0), NO_FAQ: (1, 1.0)}


def test_exported_reviews_count_under_their_decision(filled: Path, tmp_path: Path) -> None:
    with ReviewStore(filled) as store:
        before = store.stats(by=None).overall
        store.export(tmp_path / "out.jsonl", "exporter")
        after = store.stats(by=None).overall
    assert after.exported == 5
    assert after.model_copy(update={"exported": 0}) == before


def test_empty_store_and_bad_dimension(store: ReviewStore) -> None:
    overall = store.stats().overall
    assert overall.total == overall.decided == 0
    assert overall.acceptance_rate is None
    assert overall.mean_edit_distance is None
    with pytest.raises(InputError, match="cannot group statistics by 'agent'"):
        store.stats(by="agent")
    with pytest.raises(InputError, match="unknown source 'zendesk'; use one of all, desk"):
        store.stats(source="zendesk")


def row(output: str, key: str) -> list[str]:
    for line in output.splitlines():
        cells = [c.strip() for c in line.strip("│┃ \n").split("│")]
        if cells[0] == key:
            return cells
    raise AssertionError(f"no row {key!r} in:\n{output}")


def test_cli_prints_edit_rates_per_language(filled: Path) -> None:
    result = invoke("review", "stats", "--by", "language", "--db", str(filled))
    assert result.exit_code == 0, result.output
    es_edit = edit_distance(ES, ES_FINAL)
    hy_mean = sum(edit_distance(HY, f) for f in HY_FINALS) / 2
    # group, reviews, decided, accepted, edited, rejected, edit dist, top findings
    assert row(result.output, "all")[:6] == ["all", "7", "6", "33.3%", "50.0%", "16.7%"]
    assert row(result.output, "es")[:7] == [
        "es", "4", "3", "33.3%", "33.3%", "33.3%", f"{es_edit / 2:.2f}"
    ]  # fmt: skip
    assert row(result.output, "hy")[:7] == [
        "hy",
        "2",
        "2",
        "0.0%",
        "100.0%",
        "0.0%",
        f"{hy_mean:.2f}",
    ]
    assert row(result.output, "zh")[:7] == ["zh", "1", "1", "100.0%", "0.0%", "0.0%", "0.00"]
    assert "by tone" not in result.output


def test_cli_stats_json(filled: Path) -> None:
    result = invoke("review", "stats", "--json", "--db", str(filled))
    assert result.exit_code == 0, result.output
    import json

    payload = json.loads(result.output)
    assert set(payload["by"]) == {"language", "script", "tone", "faq"}
    edit_rates = {g["key"]: g["edit_rate"] for g in payload["by"]["language"]}
    assert edit_rates == {"es": pytest.approx(1 / 3), "hy": 1.0, "zh": 0.0}
