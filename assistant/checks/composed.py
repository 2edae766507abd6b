"""Replies whose language is known without detecting it: the offline drafter's own.

    vouch(kb, "fr", sources, text)   # the offline drafter, for each reply it writes
    known_language(text)             # the language check: "fr", or None (detect it)

The offline drafter writes a reply from the lines of one locale pack and the FAQ
answers in that pack's language. Each such part is verified once per knowledge base (or
ahead, by `make index`, for the sample brand: `part_statuses`): with its placeholders,
the brand name and the sign-off blanked, it is detected as the pack's language
("verified"; a short line only when detection is sure, as for "{name}様、こんにちは。" in
a script of its own), is too short to tell ("short": "Hi {name}!"), or reads as another
language ("foreign": a line pasted untranslated).
A reply made of verified and short parts only, with more letters in verified parts
than in short ones, is in the pack's language: its exact text is remembered, and the
language check accepts that text without detecting it again.

Any other text is detected as before: an LLM draft, a model's rewrite, an agent's edit
(one changed character is another text), a reply with a foreign part. The memory is
keyed by the text itself, so what it vouches for is only ever a text the drafter wrote
from verified parts; it holds the last `_KNOWN_MAX` such texts.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable

from assistant.checks.part_statuses import Found, shipped_status
from assistant.knowledge import KnowledgeBase
from assistant.knowledge.cache import per_kb
from assistant.knowledge.models import PLACEHOLDER
from assistant.language.detect import detect_language
from assistant.text import find_all, mask

#: Fewer letters than this: a part's detected language is a guess unless detection is
#: sure (the language check's own limit for a whole draft, `checks.language.MIN_LETTERS`).
SHORT_LETTERS = 20
_LETTER = re.compile(r"[^\W\d_]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_KNOWN_MAX = 4096

_known: dict[str, str] = {}
_known_lock = threading.Lock()


def part_status(kb: KnowledgeBase, locale: str, source: str) -> Found:
    """Whether `source` (a pack line or FAQ answer of `locale`, placeholders unfilled) is
    in the locale's language, and its letter count: shipped for the sample brand's lines
    (`part_statuses`), else worked out once per knowledge base."""
    statuses: dict[str, Found] = per_kb(kb, ("part-language", locale), dict)
    found = statuses.get(source)
    if found is None:
        language, text = locale.split("-")[0], _as_detected(kb, source)
        found = statuses[source] = shipped_status(language, text) or _status(language, text)
    return found


def worked_out(kb: KnowledgeBase, locale: str, source: str) -> tuple[str, Found]:
    """The text of `source` that is detected, and its status worked out (`make index`)."""
    text = _as_detected(kb, source)
    return text, _status(locale.split("-")[0], text)


def _as_detected(kb: KnowledgeBase, source: str) -> str:
    """`source` with its placeholders, the brand name and the sign-off blanked."""
    return _without_names(kb, PLACEHOLDER.sub(" ", source))


def _status(language: str, text: str) -> Found:
    letters = len(_LETTER.findall(text))
    if letters < SHORT_LETTERS and _LATIN.search(text):
        # Never sure in a script many languages share, and detecting it would load
        # lingua's models for all of them: ~1 s of a cold `assistant draft` (2026-12-07).
        return "short", letters
    detection = detect_language(text, hint=language)
    ours = detection.language == language
    if letters < SHORT_LETTERS:  # sure only of a script of its own: "様、こんにちは。"
        return ("verified" if ours and detection.reliable else "short"), letters
    return ("verified" if ours else "foreign"), letters


def _without_names(kb: KnowledgeBase, text: str) -> str:
    """The brand name and sign-off blanked: the same in every language."""
    names = [name for name in (kb.brand.name, kb.brand.sign_off) if name.strip()]
    return mask(text, [span for name in names for span in find_all(text, name)])


def vouch(kb: KnowledgeBase, locale: str, sources: Iterable[str], text: str) -> str | None:
    """Remember that `text`, written from `sources` of `locale`, is in its language, when
    every source is verified or short and verified letters outnumber short ones. The
    language (hi for hi-Latn: scripts are the script check's), or None: not vouched."""
    verified = short = 0
    for source in sources:
        status, letters = part_status(kb, locale, source)
        if status == "foreign":
            return None
        if status == "verified":
            verified += letters
        else:
            short += letters
    if not verified or verified < short:
        return None
    language = locale.split("-")[0]
    with _known_lock:
        if len(_known) >= _KNOWN_MAX:
            _known.clear()
        _known[text] = language
    return language


def known_language(text: str) -> str | None:
    """The language `vouch` remembered for exactly this text, or None."""
    return _known.get(text)
