"""The offline drafter: composes replies from the locale pack and the approved FAQ.

Deterministic, no network, no key. A reply is a list of parts, each with a priority:
required parts (greeting, the grounded answer, take-it-private, sign-off) always stay;
optional ones (empathy, apology, hours) are dropped, least important first, until the
reply fits the channel. Sentences and links are never cut.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from assistant.drafting.base import DraftRequest
from assistant.knowledge import KnowledgeBase, fill
from assistant.knowledge.models import LocalePack, Register, SupportHours
from assistant.types import Draft

REQUIRED = 0
# Optional parts, dropped highest number first when the channel is too short:
# empathy is the last human touch to go.
EMPATHY, APOLOGY, AWAY, HOURS = 1, 2, 3, 4
CJK_LANGUAGES = {"ja", "zh"}
# A sentence ends at . ! ? (Latin), ։ (Armenian), । (Devanagari), ؟ (Arabic) before a
# space, or at 。！？ (CJK) directly: a dot inside a URL never ends a sentence.
_SENTENCE_END = re.compile(r"(?<=[.!?։।؟])\s+|(?<=[。！？])")


@dataclass(frozen=True)
class Part:
    key: str
    text: str
    priority: int = REQUIRED  # 0 = required; higher numbers are dropped first


class OfflineDrafter:
    """Default drafter: grounded, on-brand, channel-shaped, deterministic."""

    name = "offline"

    def draft(self, request: DraftRequest) -> Draft:
        limit = request.kb.channel(request.message.channel).max_length
        kept = fit(compose(request), limit, request.language)
        answered = any(p.key == "answer" for p in kept) and _answers_faq(request)
        citations = [request.hits[0].faq_id] if answered else []
        return Draft(
            text=render(kept, request.language),
            language=request.language,
            tone=request.tone,
            citations=citations,
            backend=self.name,
            needs_escalation=bool(request.analysis.escalations),
        )


def register_for(request: DraftRequest) -> Register:
    tone = request.kb.tones.get(request.tone)
    pack = request.kb.locale(request.language)
    forced = request.extra.get("register")
    if forced in ("formal", "informal"):
        return forced  # type: ignore[return-value]
    return tone.register_ if tone and tone.register_ else pack.register_


def values_for(request: DraftRequest, hours: SupportHours) -> dict[str, str]:
    kb = request.kb
    channel = kb.channel(request.message.channel)
    return {
        **kb.constants(),
        "name": request.message.customer_name or "",
        "hours": format_hours(hours, kb.locale(request.language)),
        "team": request.analysis.escalations[0].team if request.analysis.escalations else "",
        "channel": channel.private_alternative or "DM",
        "response_time": f"{kb.brand.response_targets.get(request.message.channel, 60)} min",
    }


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def format_hours(hours: SupportHours, pack: LocalePack | None = None) -> str:
    """Support hours in the customer's language, e.g. 'lun.–sam. 08:00–20:00 (New York)'."""
    names = pack.conventions.weekdays if pack and pack.conventions.weekdays else None
    label = {d: (names[i] if names else d.title()) for i, d in enumerate(WEEKDAYS)}
    days = hours.days
    span = f"{label[days[0]]}–{label[days[-1]]}" if len(days) > 1 else label[days[0]]
    city = hours.timezone.split("/")[-1].replace("_", " ")
    return f"{span} {hours.open}–{hours.close} ({city})"


def is_open(hours: SupportHours, now: dt.datetime) -> bool:
    local = now.astimezone(ZoneInfo(hours.timezone))
    day = local.strftime("%a").lower()[:3]
    return day in hours.days and hours.open <= local.strftime("%H:%M") < hours.close


def compose(request: DraftRequest) -> list[Part]:
    """The parts of a reply, in reading order, before fitting it to the channel."""
    kb, analysis = request.kb, request.analysis
    pack = kb.locale(request.language)
    forms = pack.registers[register_for(request)]
    hours = kb.region_for(request.language)
    values = values_for(request, hours)
    pick = _picker(request.variant)
    tone = kb.tones.get(request.tone)
    negative = analysis.sentiment == "negative" or bool(analysis.escalations)
    greeting = forms.greeting if request.message.customer_name else forms.greeting_no_name
    parts = [Part("greeting", greeting)] if kb.brand.requires.greeting else []
    if negative and (tone is None or tone.empathy or tone.brevity != "short"):
        parts.append(Part("empathy", pick(pack.lines.empathy), EMPATHY))
    if negative and tone is not None and tone.apology:
        parts.append(Part("apology", pick(pack.lines.apology), APOLOGY))
    parts += _body(request, pack, kb)
    parts += _expectations(request, pack, hours)
    if kb.brand.ai_disclosure:
        parts.append(Part("ai_disclosure", pack.lines.ai_disclosure))
    if kb.brand.requires.sign_off:
        parts.append(Part("closing", forms.closing))
    signed = {**values, "brand": kb.brand.sign_off}
    return [
        Part(p.key, fill(p.text, signed if p.key == "closing" else values).strip(), p.priority)
        for p in parts
    ]


def _picker(variant: int) -> Callable[[list[str]], str]:
    def pick(options: list[str]) -> str:
        return options[variant % len(options)]

    return pick


def _answers_faq(request: DraftRequest) -> bool:
    analysis = request.analysis
    return bool(request.hits) and not analysis.escalations and analysis.intent != "praise"


def _body(request: DraftRequest, pack: LocalePack, kb: KnowledgeBase) -> list[Part]:
    analysis = request.analysis
    parts: list[Part] = []
    if analysis.private_data and kb.channel(request.message.channel).visibility == "public":
        parts.append(Part("private_data_warning", pack.lines.private_data_warning))
    if analysis.escalations:
        parts.append(Part("escalate", pack.lines.escalate))
    elif analysis.intent == "praise":
        celebrate = request.tone == "celebratory" or not pack.lines.thanks
        parts.append(
            Part(
                "praise",
                pack.lines.praise
                if celebrate
                else pack.lines.thanks[request.variant % len(pack.lines.thanks)],
            )
        )
    elif request.hits:
        answer = kb.answer(request.hits[0].faq_id, request.language) or ""
        parts.append(Part("answer", answer))
    else:
        parts.append(Part("clarify", pack.lines.clarify))
    if analysis.needs_private and not analysis.escalations and analysis.intent != "praise":
        parts.append(Part("take_private", pack.lines.take_private))
    return parts


def _expectations(request: DraftRequest, pack: LocalePack, hours: SupportHours) -> list[Part]:
    now = request.now or dt.datetime.now(dt.UTC)
    if not is_open(hours, now):
        return [Part("away", pack.lines.away, AWAY)]
    faq_covers_hours = bool(request.hits) and request.hits[0].faq_id == "support-hours"
    if request.analysis.escalations or (
        not request.hits and not faq_covers_hours and request.analysis.intent != "praise"
    ):
        return [Part("hours", pack.lines.hours, HOURS)]
    return []


def fit(parts: list[Part], limit: int, language: str) -> list[Part]:
    """The parts to keep so the reply fits `limit`: whole sentences and links only.

    Reductions, mildest first: drop optional parts (highest number first); keep only
    the answer's leading sentences; when the reply moves to a private channel anyway,
    drop the public warning, then the answer itself (it follows in private); finally
    the sign-off. Optional parts that fit again afterwards come back. If nothing fits,
    the reply stays whole and the length check says so.
    """
    kept = list(parts)
    while len(render(kept, language)) > limit:
        optional = [p for p in kept if p.priority > REQUIRED]
        if optional:
            kept.remove(max(optional, key=lambda p: p.priority))
            continue
        reduced = next((r for r in _reductions(kept, limit, language) if r is not None), None)
        if reduced is None:
            return kept
        kept = reduced
    return _restore(parts, kept, limit, language)


def _restore(parts: list[Part], kept: list[Part], limit: int, language: str) -> list[Part]:
    """Put dropped optional parts back, most important first, where they still fit."""
    dropped = sorted(
        (p for p in parts if p.priority > REQUIRED and p not in kept), key=lambda p: p.priority
    )
    for part in dropped:
        current = {p.key: p for p in kept}
        trial = [current.get(p.key, part) for p in parts if p.key in current or p is part]
        if len(render(trial, language)) <= limit:
            kept = trial
    return kept


def _reductions(parts: list[Part], limit: int, language: str) -> Iterator[list[Part] | None]:
    keys = [p.key for p in parts]
    yield _shorten_answer(parts, limit, language)
    if "take_private" in keys:
        yield _without(parts, "private_data_warning")
        yield _without(parts, "answer")
    yield _without(parts, "closing")


def _without(parts: list[Part], key: str) -> list[Part] | None:
    kept = [p for p in parts if p.key != key]
    return kept if len(kept) < len(parts) else None


def render(parts: list[Part], language: str) -> str:
    joiner = "" if language in CJK_LANGUAGES else " "
    head = [p.text for p in parts if p.key == "greeting"]
    tail = [p.text for p in parts if p.key == "closing"]
    body = joiner.join(p.text for p in parts if p.key not in ("greeting", "closing") and p.text)
    return "\n".join(t for t in (*head, body, *tail) if t)


def _shorten_answer(parts: list[Part], limit: int, language: str) -> list[Part] | None:
    """The answer cut to its leading whole sentences, as many as fit (at least one)."""
    answer = next((p for p in parts if p.key == "answer"), None)
    if answer is None:
        return None
    sentences = [s for s in _SENTENCE_END.split(answer.text) if s]
    joiner = "" if language in CJK_LANGUAGES else " "
    for count in range(len(sentences) - 1, 0, -1):
        shorter = Part("answer", joiner.join(sentences[:count]), REQUIRED)
        trial = [shorter if p is answer else p for p in parts]
        if len(render(trial, language)) <= limit or count == 1:
            return trial
    return None
