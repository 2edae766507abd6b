"""Send-ready: would an agent send this draft unedited?

    verdict = send_ready(draft, context)       # Verdict(ready, reasons)

A draft is send-ready when it is in the reply language and its script, answers what was
asked (or asks for what is missing when nothing matches), has no blocking finding and
no "may not fit" warning, fits the channel, keeps the expected register, takes it
private when needed (with the removal warning when data was posted publicly), escalates
when needed (safety wording first for a safety report), never thanks an upset
customer and thanks one who praises. Each failed rule adds one plain reason. The
evaluation applies the same rules with gold labels
(`assistant.evaluation.metrics.send_ready`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from assistant.checks._text import per_kb
from assistant.checks.base import CheckContext
from assistant.checks.lines import PRIVATE_STEPS, line_variants, private_asks
from assistant.knowledge import KnowledgeBase, fill
from assistant.knowledge.models import LocalePack
from assistant.language.scripts import count_scripts
from assistant.text import contains_any, find_any, is_sentence_start
from assistant.types import Draft, Finding
from assistant.understanding.topics import answer_entry

Rule = Callable[["Case"], str | None]


@dataclass(frozen=True)
class Verdict:
    ready: bool
    reasons: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Case:
    """What the rules look at: the draft and the facts about the message (analysed at
    run time, or gold labels in the evaluation)."""

    draft: Draft
    kb: KnowledgeBase
    channel: str
    language: str
    findings: list[Finding]
    answer_id: str | None  # the FAQ entry the reply should cite; None: ask or hand over
    needs_private: bool
    posted_data: bool  # personal data posted on a public channel
    escalate: bool
    safety: bool
    upset: bool
    customer_register: str | None
    praise: bool = False
    customer_script: str | None = None


def send_ready(
    draft: Draft, context: CheckContext, findings: list[Finding] | None = None
) -> Verdict:
    """The verdict on `draft` from what the analysis found (no gold labels)."""
    analysis = context.analysis
    public = context.kb.channel(context.message.channel).visibility == "public"
    praise = analysis.intent == "praise" and analysis.sentiment != "negative"
    case = Case(
        draft=draft,
        kb=context.kb,
        channel=context.message.channel,
        language=context.reply_language,
        findings=list(findings if findings is not None else draft.findings),
        answer_id=None if analysis.escalations or praise else _answer_id(context),
        needs_private=analysis.needs_private and not analysis.escalations and not praise,
        posted_data=bool(analysis.private_data) and public,
        escalate=bool(analysis.escalations),
        safety=any(e.trigger == "safety" for e in analysis.escalations),
        upset=analysis.sentiment == "negative",
        customer_register=analysis.customer_register
        if analysis.language == context.reply_language.split("-")[0]
        else None,
        praise=praise,
        customer_script=customer_script(context),
    )
    return judge(case)


def _answer_id(context: CheckContext) -> str | None:
    """The entry the reply should answer (`topics.answer_entry`, which remembers its
    answer for the message); None: ask instead."""
    text, language = context.read_text, context.analysis.language
    hit = answer_entry(context.kb, context.hits, text, language)
    return hit.faq_id if hit else None


def customer_script(context: CheckContext) -> str | None:
    """The main script of the customer's message (once per suggestion)."""
    return context.once("customer-script", lambda: main_script(context.read_text))


def judge(case: Case) -> Verdict:
    reasons = [reason for rule in RULES if (reason := rule(case)) is not None]
    return Verdict(ready=not reasons, reasons=reasons)


# -- The rules ------------------------------------------------------------------------
def language_rule(case: Case) -> str | None:
    if case.draft.language != case.language.split("-")[0]:  # hi-Latn replies are hi
        return f"written in {case.draft.language}, the reply language is {case.language}"
    if any(f.id == "language.mismatch" and f.severity == "block" for f in case.findings):
        return "the text is not in the reply language"
    expected = reply_script(case)
    found = main_script(case.draft.text)
    if expected and found and found != expected:
        return f"written in {found} script, the {case.language} reply is in {expected}"
    return None


def answer_rule(case: Case) -> str | None:
    if case.escalate or case.praise:
        return None
    if case.answer_id is not None:
        if case.answer_id not in case.draft.citations:
            cited = ", ".join(case.draft.citations) or "nothing"
            return f"does not answer with {case.answer_id} (cites {cited})"
        if any(f.id.startswith("fit.") for f in case.findings):
            return "the answer may not fit the question"
        return None
    if case.draft.citations:
        return f"cites {', '.join(case.draft.citations)} although no FAQ entry fits"
    if not asks(case):
        return "nothing fits, yet the draft does not ask what the customer needs"
    return None


def blocking_rule(case: Case) -> str | None:
    blocks = sorted({f.id for f in case.findings if f.severity == "block"})
    return f"blocking findings: {', '.join(blocks)}" if blocks else None


def channel_rule(case: Case) -> str | None:
    limit = case.kb.channel(case.channel).max_length
    size = len(case.draft.text.strip())
    return f"{size} characters, over the {limit} of the channel" if size > limit else None


def register_rule(case: Case) -> str | None:
    if any(f.id == "register.mixed" for f in case.findings):
        return "mixes formal and informal address"
    pack = case.kb.locale(case.language)
    tone = case.kb.tones.get(case.draft.tone)
    expected = expected_register(pack, tone.register_ if tone else None, case.customer_register)
    found = draft_register(case.draft.text, pack)
    if found is not None and found != expected:
        return f"uses the {found} register; this customer needs {expected}"
    return None


def private_rule(case: Case) -> str | None:
    text = case.draft.text
    if case.posted_data and not contains_any(text, _lines(case, ("private_data_warning",))):
        return "personal data was posted publicly but the draft does not warn to remove it"
    if case.needs_private and not has_private_step(case):
        return "needs private details but does not take it private or ask for them"
    return None


def escalation_rule(case: Case) -> str | None:
    if not case.escalate:
        return None
    if not case.draft.needs_escalation:
        return "should go to a specialist team but does not escalate"
    if case.safety:
        safety = _lines(case, ("safety",))
        if not contains_any(case.draft.text, safety):
            return "a safety report without the brand's safety wording"
    return None


def thanks_rule(case: Case) -> str | None:
    thanks = contains_any(case.draft.text, _lines(case, ("thanks", "praise")))
    if case.upset and thanks:
        return "thanks a customer who is upset (sarcasm is a complaint)"
    if case.praise and not case.escalate and not thanks:
        return "praise that the draft does not thank"
    return None


RULES: tuple[Rule, ...] = (
    language_rule,
    answer_rule,
    blocking_rule,
    channel_rule,
    register_rule,
    private_rule,
    escalation_rule,
    thanks_rule,
)


# -- Helpers --------------------------------------------------------------------------
def _lines(case: Case, keys: tuple[str, ...]) -> list[str]:
    channel = _channel_word(case)

    def build() -> list[str]:
        values = {**case.kb.constants(), "channel": channel}
        return line_variants(case.kb, case.language, keys, values)

    return per_kb(case.kb, ("verdict-lines", case.language, keys, channel), build)


def _channel_word(case: Case) -> str:
    return case.kb.channel(case.channel).private_alternative or "DM"


def asks(case: Case) -> bool:
    """The draft asks the customer something: the clarify line, or a question."""
    text = case.draft.text
    return contains_any(text, _lines(case, ("clarify",))) or any(m in text for m in "?？؟՞")


def has_private_step(case: Case) -> bool:
    """The draft moves to private (public channel) or asks for the details here, itself
    or through an answer that asks for them (`asks_private`)."""
    asking = [
        fill(text, case.kb.constants()).strip()
        for text in private_asks(case.kb, case.language, case.draft.citations)
    ]
    lines = _lines(case, (*PRIVATE_STEPS, "private_data_warning"))
    return contains_any(case.draft.text, [*lines, *asking])


def expected_register(pack: LocalePack, tone: str | None, customer: str | None) -> str:
    """The tone's register, formal for a customer who writes formally, else the pack's."""
    if tone:
        return tone
    return "formal" if customer == "formal" else pack.register_


def draft_register(text: str, pack: LocalePack) -> str | None:
    formal = _has_marker(text, pack.registers["formal"].markers)
    informal = _has_marker(text, pack.registers["informal"].markers)
    if formal == informal:
        return None
    return "formal" if formal else "informal"


def _has_marker(text: str, markers: list[str]) -> bool:
    """A marker occurs; a capitalised one ("Sie") only mid-sentence, matched as written."""
    plain = [m for m in markers if m == m.lower()]
    cased = [m for m in markers if m != m.lower()]
    if plain and find_any(text, plain):
        return True
    found = find_any(text, cased, case_sensitive=True) if cased else []
    return any(not is_sentence_start(text, m.start()) for m in found)


def reply_script(case: Case) -> str | None:
    """The script the reply must be in: its locale pack's (hi-Latn: Latin). For a language,
    the customer's script where the brand's policy says so and a pack for it exists
    (`languages.reply_script: {hi: customer}` for Roman Hindi), else the native one."""
    locale = case.language
    if "-" not in locale and case.customer_script:
        locale = case.kb.reply_locale(locale, case.customer_script)[0]
    return pack_script(case.kb.locale(locale))


def pack_script(pack: LocalePack) -> str | None:
    return main_script(" ".join(pack.lines.empathy))


def main_script(text: str) -> str | None:
    counts = count_scripts(text)
    return max(counts, key=lambda s: counts[s]) if counts else None
