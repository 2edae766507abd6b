"""Words that report a hazard (fire, smoke, burns, shock, an injury), in every language.

    hazard_words("safety", "hi")   # Hindi and English words, plus Hinglish, Banglish...

The brand's escalation rules list their own keywords; a brand that routes safety reports
(`trigger: safety` in brand.yaml) also gets these built-in words, so a burn reported in
Telugu or a fire in Taglish is never answered as mere frustration. Data:
`assistant/data/understanding/safety_words.json` (per language; the romanised and
code-mixed lists under `every_message` are searched for every message, since such text is
often detected as English or Indonesian). Its `harmless` phrases hold a hazard word in
an everyday sense ("the bulb burnt out", "se me quemó el foquito"): `without_harmless`
blanks them before the hazard words are searched.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from assistant.resources import data_json
from assistant.text import find_any, mask

WORDS_FILE = ("understanding", "safety_words.json")


def _table() -> dict[str, Any]:
    data: dict[str, Any] = data_json(*WORDS_FILE)
    return data


@lru_cache(maxsize=64)
def hazard_words(trigger: str, language: str) -> tuple[str, ...]:
    """The built-in words for `trigger` (none unless it is the file's trigger): the
    message language's (its base and related languages' too), English, and every
    romanised list."""
    return _listed("words", trigger, language, tuple(_table()["every_message"]))


@lru_cache(maxsize=64)
def harmless_phrases(trigger: str, language: str) -> tuple[str, ...]:
    """The everyday phrases that hold a hazard word of `trigger` but report no hazard: the
    message language's (its base and related languages' too) and English."""
    return _listed("harmless", trigger, language)


def _listed(key: str, trigger: str, language: str, also: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The file's `key` lists of `language`, its base and related languages, English and
    the `also` lists, in that order, once each; none unless `trigger` is the file's."""
    table = _table()
    if trigger != table["trigger"]:
        return ()
    lists: dict[str, list[str]] = table.get(key, {})
    base = language.split("-")[0]
    related = table.get("related", {}).get(base, [])
    codes = dict.fromkeys((language, base, *related, "en", *also))
    return tuple(dict.fromkeys(w for code in codes for w in lists.get(code, [])))


def without_harmless(text: str, trigger: str, language: str) -> str:
    """`text` with the `harmless` phrases of `trigger` blanked out (positions kept)."""
    phrases = harmless_phrases(trigger, language)
    if not phrases:
        return text
    return mask(text, (m.span() for m in find_any(text, phrases)))


@lru_cache(maxsize=1)
def figurative_cues() -> tuple[str, ...]:
    """Words after which a hazard word is a figure of speech ("बिल देखकर झटका लगा": a
    shock on seeing the bill), every language's (`figurative_before`)."""
    table: dict[str, list[str]] = _table().get("figurative_before", {})
    return tuple(dict.fromkeys(w for words in table.values() for w in words))
