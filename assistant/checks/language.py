"""The draft is written in the language the reply must be in.

`context.reply_language` is what the pipeline decided (the customer's language, or the
brand's fallback or default). Brand names, the sign-off, the customer's name and links
are removed before detection, so a Hindi reply that quotes "Nimbus Care" or a URL is
still Hindi. Short or uncertain detections, and pairs that detectors confuse
(Malay/Indonesian), give a warning, never a block.

A reply the offline drafter composed from locale-pack lines and FAQ answers verified
once per knowledge base (`checks.composed`) is not detected again: its language is
known. Every other text (LLM drafts, rewrites, agents' edits) is detected.
"""

from __future__ import annotations

import re
from functools import lru_cache

from assistant.checks._text import find_all, mask
from assistant.checks.base import CheckContext
from assistant.checks.composed import known_language
from assistant.language.detect import LANGUAGE_NAMES, detect_language
from assistant.types import Detection, Draft, Finding, Severity
from assistant.understanding.display_name import name_parts

MIN_LETTERS = 20  # fewer letters than this: detection is a guess
TIE_MARGIN = 0.2  # the expected language this close to the winner: only a warning
CONFUSABLE = {frozenset({"ms", "id"}), frozenset({"hi", "mr"}), frozenset({"hi", "ur"})}
_RULES = {
    "customer": "the customer's language",
    "fallback": "the brand's fallback for the customer's language",
    "default": "the brand's default language",
    "forced": "the language chosen for this reply",
}


class LanguageCheck:
    """language.mismatch: the draft is not in the reply language."""

    id = "language"

    def check(self, draft: Draft, context: CheckContext) -> list[Finding]:
        expected = context.reply_language.split("-")[0]  # hi-Latn drafts are Hindi
        if known_language(draft.text) == expected:
            return []  # composed from parts verified to be in this language
        text = _without_names(draft.text, context)
        detection = _detect(text, expected)
        if detection.language == expected:
            return []
        if detection.language == "und":
            return [
                _finding(
                    "warn",
                    f"The language of the draft could not be determined; "
                    f"make sure it is written in {_name(expected)}.",
                )
            ]
        severity: Severity = "warn" if _uncertain(detection, expected, text) else "block"
        rule = _RULES.get(context.language_rule, "the reply language")
        return [
            _finding(
                severity,
                f"The draft reads as {_name(detection.language)} but the "
                f"reply must be in {_name(expected)} ({rule}); rewrite it in "
                f"{_name(expected)}."
                + (" (Detection is uncertain: check it.)" if severity == "warn" else ""),
            )
        ]


def _finding(severity: Severity, message: str) -> Finding:
    return Finding(id="language.mismatch", severity=severity, message=message)


def _name(code: str) -> str:
    return f"{LANGUAGE_NAMES.get(code, code)} ({code})"


@lru_cache(maxsize=4096)
def _detect(text: str, expected: str) -> Detection:
    """Detection of a draft (names masked), done once per text: the LLM drafter checks
    its draft before the pipeline does, and with the names masked the drafts of many
    messages are the same text."""
    return detect_language(text, hint=expected)


def _without_names(text: str, context: CheckContext) -> str:
    """Blank out names that are the same in every language (brand, sign-off, customer)."""
    kb = context.kb
    names = [kb.brand.name, kb.brand.sign_off]
    spans = [span for name in names if name.strip() for span in find_all(text, name)]
    names = name_parts(context.message.customer_name)
    return mask(text, spans + [span for name in names for span in _name_spans(text, name)])


def _name_spans(text: str, name: str) -> list[tuple[int, int]]:
    """The customer's name, whole-word and case-insensitive. A plain pattern: the phrase
    matcher compiles a large boundary class for every new phrase, and every message
    brings a new name."""
    name = " ".join(name.split())
    if not name:
        return []
    words = r"\s+".join(re.escape(part) for part in name.split(" "))
    pattern = re.compile(rf"(?<!\w){words}(?!\w)", re.IGNORECASE)
    return [m.span() for m in pattern.finditer(text)]


def _uncertain(detection: Detection, expected: str, text: str) -> bool:
    if not detection.reliable or frozenset({detection.language, expected}) in CONFUSABLE:
        return True
    if len(re.findall(r"[^\W\d_]", text)) < MIN_LETTERS:
        return True
    runner_up = next((c.confidence for c in detection.candidates if c.language == expected), 0.0)
    return detection.confidence - runner_up < TIE_MARGIN
