"""Which script a reply is written in: the brand's `languages.reply_script` policy.

    choice = choose_reply_locale(kb, detection, "hi", hits)
    choice.locale   # "hi-Latn" for Hinglish when brand.yaml says {hi: customer}
    choice.note     # why the reply is not in the customer's script, for the agent

A customer who types Hindi in Latin letters gets a Roman Hindi reply when the brand
says `customer` and ships `locales/hi-Latn.yaml` with an `hi-Latn` answer in the FAQ
entry the reply answers from; otherwise the reply is in the native script, and the
note says why (the brand's policy, a missing pack, or a missing answer).
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.knowledge.base import KnowledgeBase
from assistant.language.scripts import count_scripts
from assistant.types import Detection, Hit

#: ISO 15924 code -> a name agents know.
SCRIPT_NAMES = {
    "Latn": "Latin",
    "Deva": "Devanagari",
    "Gujr": "Gujarati",
    "Beng": "Bengali",
    "Telu": "Telugu",
    "Taml": "Tamil",
    "Armn": "Armenian",
    "Arab": "Arabic",
    "Guru": "Gurmukhi",
    "Knda": "Kannada",
    "Mlym": "Malayalam",
}


@dataclass(frozen=True)
class ReplyScript:
    locale: str  # the locale pack to write in: the language, or a variant (hi-Latn)
    note: str | None = None  # for the agent, when the reply is not in the customer's script


def choose_reply_locale(
    kb: KnowledgeBase, detection: Detection, language: str, hits: list[Hit]
) -> ReplyScript:
    """The locale pack to reply in to a customer whose message is `detection`, when the
    reply language is `language` (hits: the FAQ entries the reply may answer from)."""
    native = kb.locales.get(language)
    customer = detection.script
    if detection.language == "und" or native is None or pack_script(kb, language) == customer:
        return ReplyScript(language)
    code, reason = kb.reply_locale(language, customer)
    written = f"the customer wrote {detection.language} in {script_name(customer)} letters"
    if reason is not None:
        return ReplyScript(language, f"{written}; {reason}")
    if code == language:
        return ReplyScript(
            language,
            f"{written}; the brand answers in {script_name(pack_script(kb, language))} "
            f"(brand.yaml languages.reply_script: {language}: native)",
        )
    entry = kb.faq.get(hits[0].faq_id) if hits else None
    if entry is not None and code not in entry.answers:
        return ReplyScript(
            language,
            f"{written}; FAQ entry {entry.id!r} has no {code} answer, so the reply is in "
            f"{script_name(pack_script(kb, language))}: add one to faq/{entry.id}.yaml",
        )
    return ReplyScript(code)


def pack_script(kb: KnowledgeBase, code: str) -> str | None:
    """The script a locale pack is written in (its most frequent letters' script)."""
    pack = kb.locales.get(code)
    return main_script(" ".join(pack.lines.empathy)) if pack is not None else None


def main_script(text: str) -> str | None:
    counts = count_scripts(text)
    return max(counts, key=lambda s: counts[s]) if counts else None


def script_name(code: str | None) -> str:
    return SCRIPT_NAMES.get(code or "", code or "unknown")
