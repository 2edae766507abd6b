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

from assistant.checks.composed import vouch
from assistant.checks.lines import Phrases, phrases, team_name
from assistant.checks.verdict import draft_register
from assistant.drafting.base import DraftRequest
from assistant.drafting.hours import city, local_hours
from assistant.drafting.tidy import distinct
from assistant.knowledge import KnowledgeBase, fill
from assistant.knowledge.models import LocalePack, Register, SupportHours
from assistant.types import Draft, Hit
from assistant.understanding.conversation import LONG_WAIT_DAYS, upset
from assistant.understanding.display_name import greeting_name
from assistant.understanding.topics import answer_entry, second_entry

REQUIRED = 0
# Optional parts, dropped highest number first when the channel is too short:
# empathy is the last human touch to go.
EMPATHY, APOLOGY, AWAY, HOURS, SECOND_ANSWER = 1, 2, 3, 4, 5
CJK_LANGUAGES = {"ja", "zh"}
#: A wait the reply acknowledges ("we know you've been waiting far too long").
# A sentence ends at . ! ? (Latin), ։ (Armenian), । (Devanagari), ؟ (Arabic) before a
# space, or at 。！？ (CJK) directly: a dot inside a URL never ends a sentence.
_SENTENCE_END = re.compile(r"(?<=[.!?։।؟])\s+|(?<=[。！？])")


@dataclass(frozen=True)
class Part:
    key: str
    text: str
    priority: int = REQUIRED  # 0 = required; higher numbers are dropped first
    source: str = ""  # the pack line or FAQ answer it was written from, unfilled
    #: Other wordings of the same pack line (empathy, apology) as (text, source): when
    #: this one no longer fits the channel, a shorter one may ("Aapki chinta bilkul
    #: jaayaz hai." for "Hum samajh sakte hain ki yeh aapke liye kitna pareshan...").
    alternatives: tuple[tuple[str, str], ...] = ()


class OfflineDrafter:
    """Default drafter: grounded, on-brand, channel-shaped, deterministic."""

    name = "offline"

    def draft(self, request: DraftRequest) -> Draft:
        limit = request.kb.channel(request.message.channel).max_length
        kept = fit(compose(request), limit, request.language)
        answered = any(p.key == "answer" for p in kept) and _answers_faq(request)
        hit = answer_hit(request)
        citations = [hit.faq_id] if answered and hit else []
        second = second_hit(request, hit) if citations and hit else None
        if second is not None and any(p.key == "second_answer" for p in kept):
            citations.append(second.faq_id)
        text = render(kept, request.language)
        # Written from verified pack lines and answers only: the language check need
        # not detect this text's language again (`checks.composed`).
        vouch(request.kb, pack_code(request), [p.source for p in kept], text)
        return Draft(
            text=text,
            language=request.language,
            tone=request.tone,
            citations=citations,
            backend=self.name,
            needs_escalation=bool(request.analysis.escalations),
        )


def register_for(request: DraftRequest) -> Register:
    """The register of the reply: a forced one, the tone's, the customer's when they
    write formally (a brand never answers formal words informally), else the pack's.

    One register per reply: when the approved answer is written in the pack's register
    and has no variant in the wanted one (`register_answers:` in faq/<id>.yaml), the
    reply keeps the pack's (the send-ready verdict then says the register was not kept)."""
    tone = request.kb.tones.get(request.tone)
    pack = request.kb.locale(pack_code(request))
    forced = request.extra.get("register")
    if forced in ("formal", "informal"):
        return forced  # type: ignore[return-value]
    wanted: Register = pack.register_
    if tone and tone.register_:
        wanted = tone.register_
    elif request.analysis.customer_register == "formal":
        wanted = "formal" if request.language == request.analysis.language else wanted
    return wanted if _answer_allows(request, pack, wanted) else pack.register_


def _answer_allows(request: DraftRequest, pack: LocalePack, register: Register) -> bool:
    """One register per reply: an approved answer written in the other register (with no
    variant in this one, `register_answers`) wins."""
    hit = answer_hit(request)
    if hit is None:
        return True
    answer = request.kb.answer(hit.faq_id, pack_code(request), register) or ""
    return draft_register(answer, pack) in (None, register)


def pack_code(request: DraftRequest) -> str:
    """The locale pack the reply is written in: the script variant the pipeline chose
    (`reply_locale`, e.g. hi-Latn), unless the brand has no such pack or the FAQ entry
    the reply answers from has no answer in it; then the language's own (native) pack,
    so a reply is never half in one script and half in another."""
    variant = request.reply_locale
    if not variant or variant == request.language or variant not in request.kb.locales:
        return request.language
    hit = answer_hit(request)
    entry = request.kb.faq.get(hit.faq_id) if hit else None
    if entry is not None and variant not in entry.answers:
        return request.language
    return variant


def values_for(request: DraftRequest, hours: SupportHours) -> dict[str, str]:
    kb = request.kb
    channel = kb.channel(request.message.channel)
    primary = request.analysis.escalations[0] if request.analysis.escalations else None
    pack = kb.locale(pack_code(request))
    return {
        **kb.constants(),
        "name": greeting_name(request.message.customer_name or "", pack.conventions.greet_by),
        "hours": format_hours(
            local_hours(hours, request.message.locale, pack.conventions.home_country), pack
        ),
        "team": team_name(pack_code(request), primary.team) if primary else "",
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
    return f"{span} {hours.open}–{hours.close} ({city(hours.timezone)})"


def is_open(hours: SupportHours, now: dt.datetime) -> bool:
    local = now.astimezone(ZoneInfo(hours.timezone))
    day = local.strftime("%a").lower()[:3]
    return day in hours.days and hours.open <= local.strftime("%H:%M") < hours.close


@dataclass(frozen=True)
class Lines:
    """The lines of one reply: the composer's register variants over the pack's."""

    pack: LocalePack
    extra: Phrases

    def line(self, key: str) -> str:
        return self.extra.line(key, str(getattr(self.pack.lines, key, "")))

    def options(self, key: str) -> list[str]:
        return self.extra.options(key, list(getattr(self.pack.lines, key, [])))


def compose(request: DraftRequest) -> list[Part]:
    """The parts of a reply, in reading order, before fitting it to the channel."""
    kb = request.kb
    code = pack_code(request)
    pack = kb.locale(code)
    register = register_for(request)
    lines = Lines(pack, phrases(code, register, pack.register_))
    hours = kb.region_for(request.language, request.message.locale)
    values = values_for(request, hours)
    parts = _opening(request, pack, lines, register)
    parts += _feelings(request, lines)
    parts += _body(request, lines, kb, register)
    parts += _expectations(request, lines, hours)
    if kb.brand.ai_disclosure:
        parts.append(Part("ai_disclosure", pack.lines.ai_disclosure))
    if kb.brand.requires.sign_off:
        parts.append(Part("closing", pack.registers[register].closing))
    signed = {**values, "brand": kb.brand.sign_off}
    return distinct(
        [
            Part(
                p.key,
                fill(p.text, signed if p.key == "closing" else values).strip(),
                p.priority,
                p.text,
                tuple((fill(t, values).strip(), src) for t, src in p.alternatives),
            )
            for p in parts
        ]
    )


def _opening(
    request: DraftRequest, pack: LocalePack, lines: Lines, register: Register
) -> list[Part]:
    """Greeting (the channel's own where the pack has one), then safety before anything."""
    parts: list[Part] = []
    if request.kb.brand.requires.greeting:
        named = bool(request.message.customer_name)
        forms = pack.registers[register]
        default = forms.greeting if named else forms.greeting_no_name
        channel_greeting = lines.extra.greeting(request.message.channel, register, named)
        parts.append(Part("greeting", channel_greeting or default))
    if _is_safety(request) and lines.extra.get("safety"):
        parts.append(Part("safety", lines.line("safety")))
    return parts


def _is_safety(request: DraftRequest) -> bool:
    return any(e.trigger == "safety" for e in request.analysis.escalations)


def _feelings(request: DraftRequest, lines: Lines) -> list[Part]:
    """Elapsed time, empathy and apology for an upset customer (never for praise)."""
    analysis = request.analysis
    tone = request.kb.tones.get(request.tone)
    if not (analysis.sentiment == "negative" or upset(analysis.escalations)):
        return []  # not for a neutral press enquiry either
    pick = _picker(request.variant)
    parts: list[Part] = []
    waited = (analysis.elapsed_days or 0) >= LONG_WAIT_DAYS and not _is_safety(request)
    if waited and lines.extra.get("elapsed"):  # a burn or a fire is no wait to apologise for
        parts.append(Part("elapsed", lines.line("elapsed"), EMPATHY))
    if tone is None or tone.empathy or tone.brevity != "short":
        # after a fire or an injury: worry, not "how frustrating this is"
        concern = _is_safety(request) and lines.extra.get("concern")
        if concern:
            parts.append(Part("empathy", lines.line("concern"), EMPATHY))
        else:
            parts.append(_worded("empathy", lines.options("empathy"), EMPATHY, pick))
    if tone is not None and tone.apology:
        parts.append(_worded("apology", lines.options("apology"), APOLOGY, pick))
    return parts


def _worded(key: str, options: list[str], priority: int, pick: Callable[[list[str]], str]) -> Part:
    """The picked wording of a pack line, with its other wordings as fallbacks."""
    chosen = pick(options)
    others = tuple((o, o) for o in options if o != chosen)
    return Part(key, chosen, priority, alternatives=others)


def _picker(variant: int) -> Callable[[list[str]], str]:
    def pick(options: list[str]) -> str:
        return options[variant % len(options)]

    return pick


def is_praise(request: DraftRequest) -> bool:
    """Praise to thank for: a sarcastic or negative message is never thanked."""
    analysis = request.analysis
    return analysis.intent == "praise" and analysis.sentiment != "negative"


def answer_hit(request: DraftRequest) -> Hit | None:
    """The FAQ entry to answer with (`topics.answer_entry`): none when none of the best
    hit's topic words occur in the message (its answer most likely misses the question:
    ask instead); with two topics, the retrieved one the customer raises first."""
    text, language = request.read_text, request.analysis.language
    return answer_entry(request.kb, request.hits, text, language)


def second_hit(request: DraftRequest, hit: Hit) -> Hit | None:
    """A second topic the customer raises on its own (`topics.second_entry`): answered
    after the first where the channel has room (dropped first when it has not)."""
    text, language = request.read_text, request.analysis.language
    return second_entry(request.kb, request.hits, text, language, hit)


def _answers_faq(request: DraftRequest) -> bool:
    return (
        answer_hit(request) is not None and not _escalated_only(request) and not is_praise(request)
    )


def _escalated_only(request: DraftRequest) -> bool:
    """The reply is the escalation alone: a safety report, a legal threat or a press
    enquiry, or a customer writing again ("third time I write about my refund", "two
    charges and nobody answers") whose topic the topic head does not confirm. Confirmed,
    they still get the answer to what they ask and the move to private beside the
    escalation (a wrong answer to someone writing for the third time is worse than none:
    on the dev split 6 of 42 such answers were wrong, and the topic head disagreed with
    all 6 and with 3 right ones)."""
    escalations = request.analysis.escalations
    if any(e.trigger != "repeated_contact" for e in escalations):
        return True
    if not escalations:
        return False
    hit = answer_hit(request)
    probabilities = request.analysis.topic_probabilities
    best = max(probabilities, key=probabilities.__getitem__) if probabilities else None
    return hit is None or hit.faq_id != best


def _body(request: DraftRequest, lines: Lines, kb: KnowledgeBase, register: Register) -> list[Part]:
    analysis = request.analysis
    public = kb.channel(request.message.channel).visibility == "public"
    parts: list[Part] = []
    if analysis.private_data and public:
        parts.append(Part("private_data_warning", lines.line("private_data_warning")))
    if analysis.escalations:
        parts.append(Part("escalate", lines.line("escalate")))
        if not _escalated_only(request) and (hit := answer_hit(request)) is not None:
            parts.append(Part("answer", kb.answer(hit.faq_id, pack_code(request), register) or ""))
    elif is_praise(request):
        celebrate = request.tone == "celebratory" or not lines.options("thanks")
        thanks = lines.options("thanks")
        text = lines.line("praise") if celebrate else thanks[request.variant % len(thanks)]
        parts.append(Part("praise", text))
    elif (hit := answer_hit(request)) is not None:
        answer = kb.answer(hit.faq_id, pack_code(request), register) or ""
        parts.append(Part("answer", answer))
        if (second := second_hit(request, hit)) is not None:
            other = kb.answer(second.faq_id, pack_code(request), register) or ""
            parts.append(Part("second_answer", other, SECOND_ANSWER))
    else:
        parts.append(Part("clarify", lines.line("clarify")))
    if _needs_private_step(request):
        parts.append(_private_step(request, lines, public))
    return parts


def _needs_private_step(request: DraftRequest) -> bool:
    """A safety report, a legal threat or a press enquiry goes to its team alone; a
    customer writing again about their own order still gets the move to private beside
    the escalation, answered or not (the team needs the order number to find it)."""
    analysis = request.analysis
    if not analysis.needs_private or is_praise(request):
        return False
    alone = any(e.trigger != "repeated_contact" for e in analysis.escalations)
    if alone and (_escalated_only(request) or answer_hit(request) is None):
        return False
    return not _answer_asks_private(request)


def _answer_asks_private(request: DraftRequest) -> bool:
    """The answer given asks for the private details itself (`asks_private`: "send us a
    photo and your order number privately"), and the customer has not given the order
    number yet: a move-to-private line would ask a second time."""
    hit = answer_hit(request) if _answers_faq(request) else None
    if hit is None or not request.kb.faq[hit.faq_id].asks_private:
        return False
    return not any(d.kind == "order_number" for d in request.analysis.private_data)


def _private_step(request: DraftRequest, lines: Lines, public: bool) -> Part:
    """Move to private, or ask here where the channel already is private; never ask
    again for an order number the customer already gave."""
    given = any(d.kind == "order_number" for d in request.analysis.private_data)
    if public:
        key = "continue_private" if given else "take_private"
    else:
        key = "have_order" if given else "ask_here"
    text = lines.extra.get(key) or lines.line("take_private")
    return Part("take_private", text)


def _expectations(request: DraftRequest, lines: Lines, hours: SupportHours) -> list[Part]:
    """The away line only for an unattended auto-reply outside hours, never on praise;
    an agent replying is never "offline"."""
    now = request.now or dt.datetime.now(dt.UTC)
    auto = request.extra.get("auto_reply") == "true"
    praise = is_praise(request) or request.analysis.sentiment == "positive"
    if auto and not praise and not is_open(hours, now):
        return [Part("away", lines.line("away"), AWAY)]
    hit = answer_hit(request)
    faq_covers_hours = hit is not None and hit.faq_id == "support-hours"
    if request.analysis.escalations or (hit is None and not faq_covers_hours and not praise):
        return [Part("hours", lines.line("hours"), HOURS)]
    return []


def fit(parts: list[Part], limit: int, language: str) -> list[Part]:
    """The parts to keep so the reply fits `limit`: whole sentences and links only.

    Reductions, mildest first: drop optional parts (highest number first); keep only
    the answer's leading sentences; when the reply moves to a private channel anyway,
    drop the sign-off, then the take-private line when the warning not to post personal
    data publicly is there (the warning asks for privacy already: the customer keeps
    the answer), then the answer itself (it follows in private); finally the sign-off.
    The warning not to post personal data publicly is never dropped.
    Optional parts that fit again afterwards come back. If nothing fits,
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
        for wording in _shortest_first(part):
            trial = [current.get(p.key, wording) for p in parts if p.key in current or p is part]
            # another wording may open like a kept part ("हमें खेद है" twice): not that one
            if len(render(trial, language)) <= limit and len(distinct(trial)) == len(trial):
                kept = trial
                break
    return kept


def _shortest_first(part: Part) -> list[Part]:
    """The part as picked, then its shorter other wordings, longest first."""
    shorter = sorted((a for a in part.alternatives if len(a[0]) < len(part.text)), key=_len_text)
    return [part, *(Part(part.key, t, part.priority, src) for t, src in reversed(shorter))]


def _len_text(alternative: tuple[str, str]) -> int:
    return len(alternative[0])


def _reductions(parts: list[Part], limit: int, language: str) -> Iterator[list[Part] | None]:
    keys = [p.key for p in parts]
    yield _shorten_answer(parts, limit, language)
    if "take_private" in keys:  # the warning always stays; the sign-off goes before the
        yield _without(parts, "closing")  # answer, which would follow in private
        if "private_data_warning" in keys:  # the warning already takes it private:
            yield _without(parts, "take_private")  # the answer is worth more than the ask
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
        shorter = Part("answer", joiner.join(sentences[:count]), REQUIRED, answer.source)
        trial = [shorter if p is answer else p for p in parts]
        if len(render(trial, language)) <= limit or count == 1:
            return trial
    return None
