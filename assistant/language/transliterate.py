"""Romanised Indian-language text shown in its native script, for agents.

    to_native_script("mera order abhi tak nahi aaya", "hi")  # 'मेरा ऑर्डर अभी तक नहीं आया'

The script conversion itself is `indic-transliteration` (its `sanscript` module, MIT),
chosen over `aksharamukha` because it is pure Python with no data downloads (works
offline, imports in ~0.3 s, ~80 µs a sentence), is released regularly, and its
ITRANS input scheme is the closest of the standard schemes to how people type. People
do not type ITRANS, though: "mera" means मेरा (final a is long), "nahi" नहीं (final i
is long, nasal), and a final consonant carries no virama. So each word is first looked
up in a small per-language list of chat spellings (data/language/chat_romanisation.yaml),
and otherwise rewritten by a few chat-spelling rules into ITRANS before conversion.

The result is a reading aid for an agent who reads the native script better than the
romanisation, not a spelling reference: unusual spellings may come out phonetically.
Languages without an Indic script (Urdu, Armenian, Arabic...) are not handled: None.
"""

from __future__ import annotations

import re
from functools import lru_cache

import yaml

from assistant.resources import data_path

#: Language -> indic-transliteration scheme name of its native script.
SCRIPTS = {
    "hi": "devanagari",
    "mr": "devanagari",
    "ne": "devanagari",
    "gu": "gujarati",
    "bn": "bengali",
    "pa": "gurmukhi",
    "or": "oriya",
    "te": "telugu",
    "kn": "kannada",
    "ml": "malayalam",
    "ta": "tamil",
}
#: Languages whose chat spelling drops the inherent vowel and lengthens final a/i.
INDO_ARYAN = {"hi", "mr", "ne", "gu", "pa", "or", "bn"}
_WORD = re.compile(r"[A-Za-z]+")
_NASAL_END = re.compile(r"(ai|ei|e|i|o|u|aa|oo)n$")


def to_native_script(text: str, language: str) -> str | None:
    """`text` typed in Latin letters, written in `language`'s native script; None when
    `language` has no Indic script this can write (e.g. en, ur, hy)."""
    scheme = SCRIPTS.get(language.split("-")[0])
    if scheme is None:
        return None
    from indic_transliteration import sanscript  # 0.3 s: only when a romanised text comes

    words = _chat_words(language.split("-")[0])

    def native(match: re.Match[str]) -> str:
        word = match.group(0).lower()
        known = words.get(word)
        if known is not None:
            return known
        itrans = _itrans(word, language.split("-")[0] in INDO_ARYAN)
        return str(sanscript.transliterate(itrans, sanscript.ITRANS, scheme))

    return _WORD.sub(native, text)


def _itrans(word: str, indo_aryan: bool) -> str:
    """A chat-typed word in ITRANS (lowercase; capitals mean other letters in ITRANS)."""
    word = word.replace("w", "v")
    if not indo_aryan:
        return word
    nasal = _NASAL_END.search(word)
    if nasal and len(word) > 3:
        word = word[:-1] + "M"  # hain, mein, nahin: a nasal vowel, not a final n
    elif word.endswith("a") and not word.endswith("aa") and len(word) > 1:
        word = word[:-1] + "A"  # mera, aaya: a final a is long
    elif word.endswith("i") and not word.endswith(("ai", "ii", "ee")) and len(word) > 1:
        word = word[:-1] + "I"  # abhi, sudhi: so is a final i
    elif word[-1] not in "aeiouM":
        word += "a"  # kab -> कब, not कब्: no virama at the end of a word
    return word


@lru_cache(maxsize=1)
def _table() -> dict[str, dict[str, str]]:
    path = data_path("language", "chat_romanisation.yaml")
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {str(k): {str(w): str(n) for w, n in v.items()} for k, v in data.items()}


def _chat_words(language: str) -> dict[str, str]:
    return _table().get(language, {})
