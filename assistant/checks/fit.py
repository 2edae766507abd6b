"""The answer may not fit the question: warn before an agent sends the wrong FAQ answer.

Three signals, each a `fit.*` warning on a draft that cites an FAQ entry:

| finding        | when                                                                  |
|----------------|-----------------------------------------------------------------------|
| fit.weak       | the cited entry is only weakly supported (hit score under WEAK_SCORE) |
|                | or nearly tied with the next entry (gap under MARGIN)                 |
| fit.keywords   | none of the entry's key words occur in the message, while another     |
|                | entry's key words do (KEYWORD_LEAD more of them)                      |
| fit.contradicts| the message's key words point to another entry the draft does not    |
|                | answer ("not arrived" while the draft explains refunds)               |

Key words of an entry are the words of its question variants (message language and
English) that at most KEY_SPREAD entries share. The thresholds were chosen on the dev
split of evaluation/datasets/messages.jsonl only (offline backend, 2026-12-07: 11 of 49
wrong-topic drafts caught, 12 of 178 right ones flagged); `assistant eval run` reports
the check's recall of wrong-topic drafts and its false-alarm rate per split. The hit
scores and key words separate right from wrong answers only weakly: a better check
needs the retriever's second opinion per sentence (two topics in one message).
"""

from __future__ import annotations

from collections import Counter

from assistant.checks._text import per_kb
from assistant.checks.base import CheckContext
from assistant.knowledge import KnowledgeBase
from assistant.text import searchable, tokens
from assistant.types import Draft, Finding

WEAK_SCORE = 0.64
#: 0 turns the margin rule off: on dev, every margin above 0 added false alarms faster
#: than it caught wrong answers.
MARGIN = 0.0
KEY_SPREAD = 2
KEYWORD_LEAD = 3

Keys = dict[tuple[str, str], frozenset[str]]


class FitCheck:
    """fit.weak, fit.keywords, fit.contradicts (warn)."""

    id = "fit"

    def check(self, draft: Draft, context: CheckContext) -> list[Finding]:
        if not draft.citations:
            return []
        cited = draft.citations[0]
        hit = next((h for h in context.hits if h.faq_id == cited), None)
        findings = _weak(cited, hit.score if hit else 0.0, context)
        findings += _keywords(cited, context)
        return findings


def _weak(cited: str, score: float, context: CheckContext) -> list[Finding]:
    others = [h.score for h in context.hits if h.faq_id != cited]
    gap = score - max(others) if others else 1.0
    if score >= WEAK_SCORE and gap >= MARGIN:
        return []
    why = f"its match is weak ({score:.2f})" if score < WEAK_SCORE else "another entry is as close"
    return [_finding("fit.weak", cited, why)]


def _keywords(cited: str, context: CheckContext) -> list[Finding]:
    keys = per_kb(context.kb, "fit-keys", lambda: key_words(context.kb))
    language = context.analysis.language
    words = set(tokens(searchable(context.message.text)))
    overlap = {
        faq: len(
            words & (keys.get((faq, language), frozenset()) | keys.get((faq, "en"), frozenset()))
        )
        for faq in context.kb.faq
    }
    own = overlap.get(cited, 0)
    rival = max((f for f in overlap if f != cited), key=lambda f: overlap[f], default=None)
    if rival is None or overlap[rival] < own + KEYWORD_LEAD:
        return []
    if own == 0:
        return [_finding("fit.keywords", cited, f"none of its key words occur; {rival}'s do")]
    return [_finding("fit.contradicts", cited, f"the message's words point to {rival}")]


def key_words(kb: KnowledgeBase) -> Keys:
    """Words of each entry's question variants, per language, shared by few entries."""
    words: dict[tuple[str, str], set[str]] = {}
    for entry in kb.faq.values():
        for language, variants in entry.questions.items():
            bag = words.setdefault((entry.id, language), set())
            for question in variants:
                bag |= {t for t in tokens(searchable(question)) if len(t) > 1}
    spread = Counter((language, w) for (_, language), bag in words.items() for w in bag)
    return {
        key: frozenset(w for w in bag if spread[(key[1], w)] <= KEY_SPREAD)
        for key, bag in words.items()
    }


def _finding(finding_id: str, cited: str, why: str) -> Finding:
    return Finding(
        id=finding_id,
        severity="warn",
        message=f"The answer ({cited}) may not fit the question: {why}. Read the message "
        "again before sending; ask what the customer needs if unsure.",
    )
