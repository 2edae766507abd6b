"""The shape the brand requires: a greeting, a sign-off, and the AI-disclosure line.

A greeting is one of the locale pack's greetings (either register; `{name}` matches any
name) or a greeting word of the language (`lexicon.greetings` of the locale pack, and
English), near the start of the reply. A
sign-off is the pack's closing or the brand's sign-off name near the end.
"""

from __future__ import annotations

import re
from functools import lru_cache

from assistant.checks._text import CJK, contains_any, sentence_spans
from assistant.checks.base import CheckContext
from assistant.checks.lines import phrase_table
from assistant.knowledge.models import PLACEHOLDER, LocalePack
from assistant.types import Draft, Finding

OPENING = 120  # the greeting is in the first sentence, within this many characters
ENDING = 160  # characters in which the sign-off must appear


class StructureCheck:
    """structure.greeting (warn), structure.sign_off (warn), structure.ai_disclosure (block)."""

    id = "structure"

    def check(self, draft: Draft, context: CheckContext) -> list[Finding]:
        kb = context.kb
        pack = kb.locale(context.reply_language)
        text = draft.text.strip()
        findings: list[Finding] = []
        greetings = kb.words("greetings", context.reply_language)
        own = _channel_greetings(context.reply_language, context.message.channel)
        if kb.brand.requires.greeting and not _greets(_opening(text), pack, greetings, own):
            example = pack.registers[pack.register_].greeting_no_name
            findings.append(
                Finding(
                    id="structure.greeting",
                    severity="warn",
                    message=f"Open the reply with a greeting (e.g. “{example}”).",
                )
            )
        if kb.brand.requires.sign_off and not _signs(
            text[-ENDING:], pack, kb.brand.sign_off, kb.brand.name
        ):
            closing = pack.registers[pack.register_].closing.replace("{brand}", kb.brand.sign_off)
            findings.append(
                Finding(
                    id="structure.sign_off",
                    severity="warn",
                    message=f"End the reply with the brand sign-off (e.g. “{closing}”).",
                )
            )
        if kb.brand.ai_disclosure and not _discloses(text, pack, kb.locale("en")):
            findings.append(
                Finding(
                    id="structure.ai_disclosure",
                    severity="block",
                    message="The brand requires the AI-disclosure line; add "
                    f"“{pack.lines.ai_disclosure}”.",
                )
            )
        return findings


@lru_cache(maxsize=512)
def template_pattern(template: str) -> re.Pattern[str]:
    """A greeting or closing template as a pattern: `{name}`/`{brand}` match any words."""
    core = template.strip().rstrip(",.!！。、:：;")
    parts = PLACEHOLDER.split(core)
    # split() alternates literal text and placeholder names; names become wildcards.
    pattern = "".join(
        r".{0,40}?" if i % 2 else r"\s*".join(map(re.escape, p.split()))
        for i, p in enumerate(parts)
    )
    pattern = pattern.strip()
    if core[:1].isalnum() and not CJK.match(core[:1]):  # "Hi" is not the end of "ships"
        pattern = r"(?<!\w)" + pattern
    return re.compile(pattern, re.IGNORECASE)


def _opening(text: str) -> str:
    """The first sentence (or line), at most OPENING characters."""
    spans = sentence_spans(text)
    return text[: min(spans[0][1], OPENING)] if spans else ""


def _channel_greetings(language: str, channel: str) -> tuple[str, ...]:
    """The composer's own greetings for `channel` in `language` (drafting/composer.yaml
    `greetings`: a Japanese e-mail opens with "{name}様" alone on its line)."""
    forms = phrase_table().get(language, {}).get("greetings", {}).get(channel, {})
    return tuple(str(form) for form in forms.values())


def _greets(
    opening: str, pack: LocalePack, greetings: tuple[str, ...], own: tuple[str, ...] = ()
) -> bool:
    templates = [
        t for forms in pack.registers.values() for t in (forms.greeting, forms.greeting_no_name)
    ]
    templates += [t.split("\n")[0] for t in own]
    if any(template_pattern(t).search(opening) for t in templates):
        return True
    return contains_any(opening, greetings)


def _signs(ending: str, pack: LocalePack, sign_off: str, brand: str) -> bool:
    if contains_any(ending, (sign_off, brand)):
        return True
    for forms in pack.registers.values():
        literal = PLACEHOLDER.sub("", forms.closing)
        # "– {brand}" without the brand is a bare dash: not a sign-off.
        if len(re.findall(r"\w", literal)) >= 3 and template_pattern(forms.closing).search(ending):
            return True
    return False


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold().rstrip(".。!！")


def _discloses(text: str, pack: LocalePack, english: LocalePack) -> bool:
    squashed = _squash(text)
    return any(
        _squash(line) in squashed
        for line in (pack.lines.ai_disclosure, english.lines.ai_disclosure)
    )
