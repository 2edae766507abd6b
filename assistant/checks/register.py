"""One register per reply, the one the locale pack (or the tone) asks for.

Markers come from the locale pack (`registers.formal.markers`, `...informal.markers`).
A marker written with a capital letter (German "Sie", "Ihr"; Armenian "Ձեր";
Indonesian "Anda") is matched case-sensitively and only mid-sentence: in lower case,
or at the start of a sentence, German "sie"/"Sie" is also "she/they" and "ihr" is
"her" or the informal plural, so those occurrences say nothing about the register.
"""

from __future__ import annotations

from assistant.checks._text import find_all, is_sentence_start, mask
from assistant.checks.base import CheckContext
from assistant.checks.verdict import expected_register
from assistant.knowledge.models import LocalePack, Register
from assistant.types import Draft, Finding, Span
from assistant.understanding.display_name import name_parts

Hit = tuple[int, int, str]  # start, end, marker


def find_markers(text: str, markers: list[str]) -> list[Hit]:
    """Occurrences of the register markers in `text` that really mark the register."""
    hits: list[Hit] = []
    for marker in markers:
        cased = marker != marker.lower()
        for start, end in find_all(text, marker, case_sensitive=cased):
            if cased and is_sentence_start(text, start):
                continue
            hits.append((start, end, marker))
    return sorted(hits)


class RegisterCheck:
    """register.mixed (block), register.non_default (info)."""

    id = "register"

    def check(self, draft: Draft, context: CheckContext) -> list[Finding]:
        pack = context.kb.locale(context.reply_language)
        text = _without_names(draft.text, context)
        formal = find_markers(text, pack.registers["formal"].markers)
        informal = find_markers(text, pack.registers["informal"].markers)
        expected = _expected(pack, draft, context)
        if formal and informal:
            return [_mixed(pack, expected, formal, informal)]
        found: Register | None = "formal" if formal else "informal" if informal else None
        if found is None or found == expected:
            return []
        first = (formal or informal)[0]
        return [
            Finding(
                id="register.non_default",
                severity="info",
                span=Span(start=first[0], end=first[1]),
                message=f"The reply uses the {found} register (“{first[2]}”); the {pack.name} "
                f"default for this reply is {expected} ({pack.registers[expected].address}). "
                "Keep it only if it suits this customer.",
            )
        ]


def _expected(pack: LocalePack, draft: Draft, context: CheckContext) -> Register:
    """The tone's register, formal for a customer who writes formally in the reply's
    language (the composer answers formal words formally, and the send-ready verdict
    expects it: `verdict.expected_register`), else the pack's."""
    tone = context.kb.tones.get(draft.tone)
    same = context.analysis.language == context.reply_language.split("-")[0]
    customer = context.analysis.customer_register if same else None
    wanted = expected_register(pack, tone.register_ if tone else None, customer)
    return "formal" if wanted == "formal" else "informal"


def _mixed(pack: LocalePack, expected: Register, formal: list[Hit], informal: list[Hit]) -> Finding:
    wrong = informal if expected == "formal" else formal
    other: Register = "informal" if expected == "formal" else "formal"
    words = ", ".join(dict.fromkeys(h[2] for h in (formal + informal)))
    return Finding(
        id="register.mixed",
        severity="block",
        span=Span(start=wrong[0][0], end=wrong[0][1]),
        message=f"The reply mixes formal and informal address ({words}). Use one register: "
        f"{expected} ({pack.registers[expected].address}) as the {pack.name} default, "
        f"so rewrite the {other} forms.",
    )


def _without_names(text: str, context: CheckContext) -> str:
    kb = context.kb
    names = [*name_parts(context.message.customer_name), kb.brand.name, kb.brand.sign_off]
    return mask(text, [span for name in names if name.strip() for span in find_all(text, name)])
