"""The validated knowledge base: what the assistant may say (built by `knowledge.loader`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from assistant.errors import ConfigError, Problem
from assistant.knowledge.models import (
    PLACEHOLDER,
    Brand,
    ChannelPolicy,
    FaqEntry,
    LocalePack,
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

    def words(self, kind: str, language: str) -> tuple[str, ...]:
        """The `kind` word list of the locale pack's lexicon (`refund`, `greetings`...) for
        `language`, plus the English one: replies and messages mix in English words.

        A list the pack leaves out counts as empty here, so English alone is used; the
        loader warns about it (`assistant guidelines check`)."""
        own = self._words(language, kind)
        english = self._words("en", kind) if language != "en" else ()
        return tuple(dict.fromkeys((*own, *english)))

    def all_words(self, kind: str) -> tuple[str, ...]:
        """The `kind` word lists of every locale pack (units, private-channel words...)."""
        return tuple(dict.fromkeys(w for code in self.locales for w in self._words(code, kind)))

    def _words(self, language: str, kind: str) -> tuple[str, ...]:
        pack = self.locales.get(language) or self.locales.get(language.split("-")[0])
        listed: list[str] | None = getattr(pack.lexicon, kind) if pack else None
        return tuple(listed or ())

    def region_for(self, language: str) -> SupportHours:
        for hours in self.brand.support_hours:
            if language in hours.languages:
                return hours
        return self.brand.support_hours[0]

    def constants(self) -> dict[str, str]:
        """Placeholder values known without a message: brand name and brand constants."""
        return {"brand": self.brand.name, **self.brand.placeholders}

    def answer(self, faq_id: str, language: str) -> str | None:
        """The approved answer in `language` with brand constants filled, or None."""
        text = self.faq[faq_id].answers.get(language)
        return fill(text, self.constants()) if text is not None else None


def fill(text: str, values: dict[str, str]) -> str:
    """Replace `{placeholder}`s that have a value; leave the others for checks to flag."""
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)
