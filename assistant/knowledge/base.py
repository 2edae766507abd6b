"""The validated knowledge base: what the assistant may say (built by `knowledge.loader`)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from assistant.errors import ConfigError, Problem
from assistant.knowledge.models import (
    PLACEHOLDER,
    Brand,
    ChannelPolicy,
    FaqEntry,
    LocalePack,
    Register,
    SupportHours,
    Tone,
)


@dataclass
class KnowledgeBase:
    """Everything the assistant may say, validated. Built by `load_knowledge_base`."""

    root: Path
    brand: Brand
    channels: dict[str, ChannelPolicy]
    tones: dict[str, Tone]
    locales: dict[str, LocalePack]
    faq: dict[str, FaqEntry]
    warnings: list[Problem] = field(default_factory=list)
    fingerprint: str = ""
    # Word lists gathered from the packs, kept: a loaded knowledge base is not edited,
    # and one suggestion asks for the same lists hundreds of times.
    _lists: dict[tuple[str, ...], tuple[str, ...]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    @property
    def languages(self) -> list[str]:
        return list(self.brand.languages.supported)

    def locale(self, language: str) -> LocalePack:
        return self.locales.get(language) or self.locales[self.brand.languages.default]

    def channel(self, name: str) -> ChannelPolicy:
        try:
            return self.channels[name]
        except KeyError:
            known = ", ".join(self.channels)
            raise ConfigError(f"unknown channel {name!r}; use one of: {known}") from None

    def reply_locale(self, language: str, script: str) -> tuple[str, str | None]:
        """The locale to reply in to a customer writing `language` in `script` (ISO 15924,
        e.g. "Latn"), and why it is not the customer's script when it is not.

        A brand that sets `languages.reply_script: {hi: customer}` and has
        `locales/hi-Latn.yaml` answers romanised Hindi in Roman Hindi; otherwise in the
        native script, with the reason."""
        variant = f"{language}-{script}"
        native = self.locales.get(language)
        if native is None or _written_in(native, script):
            return language, None
        if self.brand.languages.reply_script.get(language, "native") != "customer":
            return language, None
        if variant in self.locales:
            return variant, None
        return language, f"no locale pack for {variant}: replying in {language}'s native script"

    def words(self, kind: str, language: str) -> tuple[str, ...]:
        """The `kind` word list of the locale pack's lexicon (`refund`, `greetings`...) for
        `language`, plus the English one: replies and messages mix in English words.

        A list the pack leaves out counts as empty here, so English alone is used; the
        loader warns about it (`assistant guidelines check`)."""
        found = self._lists.get((kind, language))
        if found is None:
            own = self._words(language, kind)
            english = self._words("en", kind) if language != "en" else ()
            found = self._lists[(kind, language)] = tuple(dict.fromkeys((*own, *english)))
        return found

    def all_words(self, kind: str) -> tuple[str, ...]:
        """The `kind` word lists of every locale pack (units, private-channel words...)."""
        found = self._lists.get((kind,))
        if found is None:
            words = (w for code in self.locales for w in self._words(code, kind))
            found = self._lists[(kind,)] = tuple(dict.fromkeys(words))
        return found

    def phone_regions(self, language: str) -> tuple[str, ...]:
        """The phone regions of `language`'s pack (`lexicon.phone_regions`), most likely
        first; none when the pack lists none (US and common regions are tried anyway)."""
        return self._words(language, "phone_regions")

    def number_words(self) -> dict[str, int]:
        """Counts written as words (`lexicon.number_words`) of every locale pack."""
        numbers: dict[str, int] = {}
        for pack in self.locales.values():
            numbers.update({w.lower(): n for w, n in (pack.lexicon.number_words or {}).items()})
        return numbers

    def _words(self, language: str, kind: str) -> tuple[str, ...]:
        pack = self.locales.get(language) or self.locales.get(language.split("-")[0])
        listed: list[str] | None = getattr(pack.lexicon, kind) if pack else None
        return tuple(listed or ())

    def region_for(self, language: str, locale: str | None = None) -> SupportHours:
        """The support region that serves a customer: the one listing their locale
        (`pt-PT` in Europe's `languages`, while `pt` is the Americas'), else their
        language, else the first region."""
        wanted = [locale.replace("_", "-")] if locale else []
        for code in [*wanted, language]:
            for hours in self.brand.support_hours:
                if code.lower() in (listed.lower() for listed in hours.languages):
                    return hours
        return self.brand.support_hours[0]

    def constants(self) -> dict[str, str]:
        """Placeholder values known without a message: brand name and brand constants."""
        return {"brand": self.brand.name, **self.brand.placeholders}

    def answer(self, faq_id: str, language: str, register: Register | None = None) -> str | None:
        """The approved answer in `language` with brand constants filled, or None; its
        `register` variant (`register_answers`) when the entry has one."""
        entry = self.faq[faq_id]
        variants = entry.register_answers.get(register, {}) if register else {}
        text = variants.get(language) or entry.answers.get(language)
        return fill(text, self.constants()) if text is not None else None


#: ISO 15924 code -> the first word of the Unicode names of its letters.
_SCRIPT_NAMES = {
    "Latn": "LATIN",
    "Deva": "DEVANAGARI",
    "Beng": "BENGALI",
    "Gujr": "GUJARATI",
    "Telu": "TELUGU",
    "Taml": "TAMIL",
    "Knda": "KANNADA",
    "Mlym": "MALAYALAM",
    "Guru": "GURMUKHI",
    "Orya": "ORIYA",
    "Arab": "ARABIC",
    "Hebr": "HEBREW",
    "Armn": "ARMENIAN",
    "Cyrl": "CYRILLIC",
    "Grek": "GREEK",
    "Thai": "THAI",
}


def _written_in(pack: LocalePack, script: str) -> bool:
    """True when the pack's own lines are in `script` (its native script)."""
    letter = next((c for c in pack.lines.clarify if c.isalpha()), "")
    name = unicodedata.name(letter, "").split(" ")[0]
    return bool(name) and name == _SCRIPT_NAMES.get(script)


def fill(text: str, values: dict[str, str]) -> str:
    """Replace `{placeholder}`s that have a value; leave the others for checks to flag."""
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)
