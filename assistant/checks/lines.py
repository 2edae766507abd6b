"""The composer's own lines (safety first, ask here, elapsed time...) per language.

    phrases("es", "formal", "informal").line("take_private", pack.lines.take_private)

They live in `assistant/data/drafting/composer.yaml`, beside the locale packs' lines:
each language has its lines in the pack's default register, plus `formal:` or
`informal:` variants of them and of pack lines whose pack wording is in the other
register (the Spanish pack writes tú, so a usted reply takes its lines from `formal:`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import yaml

from assistant.knowledge import KnowledgeBase, fill
from assistant.resources import data_path

Register = str


@dataclass(frozen=True)
class Phrases:
    """The composer lines of one language in one register."""

    lines: dict[str, Any] = field(default_factory=dict)
    greetings: dict[str, dict[str, str]] = field(default_factory=dict)

    def get(self, key: str) -> str | None:
        value = self.lines.get(key)
        return value if isinstance(value, str) else None

    def line(self, key: str, default: str) -> str:
        """The register variant of a pack line, or the pack line itself."""
        return self.get(key) or default

    def options(self, key: str, default: list[str]) -> list[str]:
        value = self.lines.get(key)
        return [str(v) for v in value] if isinstance(value, list) and value else default

    def has_variant(self, key: str) -> bool:
        return key in self.lines

    def greeting(self, channel: str, register: Register, named: bool) -> str | None:
        forms = self.greetings.get(channel, {})
        return forms.get(register if named else f"{register}_no_name")


@lru_cache(maxsize=1)
def phrase_table() -> dict[str, dict[str, Any]]:
    """composer.yaml: language code -> its lines, register variants and greetings."""
    with data_path("drafting", "composer.yaml").open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle) or {}
    return {str(k): dict(v) for k, v in data.items()}


@lru_cache(maxsize=64)
def phrases(language: str, register: Register, default_register: Register = "") -> Phrases:
    """Lines of `language` in `register`; a register other than the pack's default takes
    its variants first (`formal:` / `informal:`), then the language's base lines."""
    entry = phrase_table().get(language, {})  # no lines of another language, ever
    base = {k: v for k, v in entry.items() if k not in ("formal", "informal", "greetings", "teams")}
    variant = entry.get(register, {}) if register != default_register else {}
    return Phrases({**base, **(variant or {})}, dict(entry.get("greetings", {})))


def team_name(language: str, team: str) -> str:
    """The brand's team as replies in `language` name it (composer.yaml `teams`: "Product
    Safety" is "Seguridad de Producto" in a Spanish reply), else as brand.yaml names it."""
    names = phrase_table().get(language, {}).get("teams") or {}
    return str(names.get(team, team))


def variant_keys(language: str, register: Register) -> frozenset[str]:
    """Keys that `language` rewrites for `register` (empty: the pack's wording fits)."""
    entry = phrase_table().get(language, {})
    return frozenset((entry.get(register) or {}).keys())


PACK_KINDS = ("take_private", "private_data_warning", "clarify", "escalate", "thanks", "praise")
PRIVATE_STEPS = ("take_private", "ask_here", "have_order", "continue_private")


def line_variants(
    kb: KnowledgeBase, language: str, keys: tuple[str, ...], values: dict[str, str]
) -> list[str]:
    """Every wording of the `keys` lines in `language`, both registers, placeholders
    filled with `values` (the pack's lines and the composer's variants)."""
    pack = kb.locales.get(language)
    if pack is None:
        return []
    found: list[str] = []
    for register in ("formal", "informal"):
        extra = phrases(language, register, pack.register_)
        for key in keys:
            default = getattr(pack.lines, key, None)
            options = default if isinstance(default, list) else [default] if default else []
            found += extra.options(key, [str(o) for o in options])
            if (own := extra.get(key)) is not None:
                found.append(own)
    return [fill(text, values).strip() for text in dict.fromkeys(found) if text]


def private_asks(kb: KnowledgeBase, language: str, citations: list[str]) -> list[str]:
    """The cited answers in `language` that ask for the private details themselves
    (`asks_private` entries, both registers): such a reply is taken private by them."""
    entries = [kb.faq[c] for c in citations if c in kb.faq and kb.faq[c].asks_private]
    texts = [entry.answers.get(language) for entry in entries]
    texts += [v.get(language) for e in entries for v in e.register_answers.values()]
    return [text for text in texts if text]
