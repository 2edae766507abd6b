"""Words the brand never uses: banned phrases (brand.yaml), and the idioms and slang
the reply language's locale pack says to avoid. Whole words, any case, any script."""

from __future__ import annotations

from assistant.checks._text import approved_spans, find_all
from assistant.checks.base import CheckContext
from assistant.types import Draft, Finding, Severity, Span


class PhrasingCheck:
    """phrasing.banned (block), phrasing.avoid (warn)."""

    id = "phrasing"

    def check(self, draft: Draft, context: CheckContext) -> list[Finding]:
        kb = context.kb
        banned = _occurrences(draft.text, kb.brand.banned_phrases)
        pack = kb.locale(context.reply_language)
        # Approved FAQ text may use a listed word in its plain sense ("一時的な").
        taken = {span for span, _ in banned} | set(
            approved_spans(
                draft.text, kb, draft.citations, context.reply_language, context.message.channel
            )
        )
        avoid = [
            (s, p)
            for s, p in _occurrences(draft.text, pack.avoid)
            if not any(_overlap(s, t) for t in taken)
        ]
        return [
            _finding(
                "phrasing.banned", "block", span, phrase, "the brand bans it in every language"
            )
            for span, phrase in banned
        ] + [
            _finding(
                "phrasing.avoid",
                "warn",
                span,
                phrase,
                f"the {pack.name} locale pack lists it as slang or an idiom that does not travel",
            )
            for span, phrase in avoid
        ]


def _occurrences(text: str, phrases: list[str]) -> list[tuple[tuple[int, int], str]]:
    found = [(span, phrase) for phrase in phrases for span in find_all(text, phrase)]
    return sorted(found)


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _finding(id_: str, severity: Severity, span: tuple[int, int], phrase: str, why: str) -> Finding:
    return Finding(
        id=id_,
        severity=severity,
        span=Span(start=span[0], end=span[1]),
        message=f"Avoid “{phrase.strip()}”: {why}. Rephrase it.",
    )
