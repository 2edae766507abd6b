"""The variables of prompts/draft.yaml for one request: what the offline composer knows.

Parity with the offline drafter: the LLM gets the same decisions the offline composer
makes, taken from the same functions (`assistant.drafting.offline`): the FAQ entry it
answers with (not every retrieved hit), in the reply's register, the register
(tone, customer, locale default), the reply's script, the parts the composer would
write (greeting, safety and privacy lines, the take-it-private line in the channel's
words, the escalation line with the team, the hours or away line, the closing) with
the ones it never drops marked required, the channel rules, the escalation route, and
the guideline snippets the agent sees beside the drafts.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from assistant.drafting.base import DraftRequest
from assistant.drafting.hours import local_hours
from assistant.drafting.offline import (
    REQUIRED,
    answer_hit,
    compose,
    format_hours,
    is_open,
    is_praise,
    pack_code,
    register_for,
)
from assistant.language.scripts import count_scripts
from assistant.prompts import (
    brand_context,
    channel_context,
    faq_context,
    hours_context,
    language_context,
    locale_context,
    neutralise,
    tone_context,
)
from assistant.types import Snippet
from assistant.understanding.guidance import GuidanceIndex


def draft_variables(request: DraftRequest) -> dict[str, Any]:
    """The variables of prompts/draft.yaml for one request."""
    kb, message = request.kb, request.message
    register = register_for(request)
    tone = {**tone_context(kb, request.tone), "register": register}
    code = pack_code(request)  # hi-Latn: the brand answers romanised Hindi in Roman Hindi
    return {
        "brand": brand_context(kb),
        "language": language_context(kb, request.language),
        "locale": locale_context(kb, code, register, message.customer_name),
        "channel": channel_rules(request),
        "tone": tone,
        "customer_name": message.customer_name or "",
        "analysis": analysis_context(request),
        "support_hours": support_hours(request),
        "faq": faq_context(kb, answered_ids(request), code, register),
        "plan": composed_parts(request),
        "script": script_context(request),
        "guidance": [s.model_dump(include={"source", "text"}) for s in guidance_for(request)],
        "message": neutralise(request.read_text),  # a long message: its head and tail
        "history": [neutralise(turn) for turn in message.history],
    }


def answered_ids(request: DraftRequest) -> list[str]:
    """The FAQ entry the offline composer answers with, or none: not the raw hits. The
    composer's choice (`offline.answer_hit`) sets aside a weak hit none of whose topic
    words occur and, with two topics, answers the one raised first; it answers nothing
    for an escalation (the plan hands over) or praise (the plan thanks)."""
    if request.analysis.escalations or is_praise(request):
        return []
    hit = answer_hit(request)
    return [hit.faq_id] if hit else []


def rewrite_variables(request: DraftRequest) -> dict[str, Any]:
    """The shared variables of prompts/rewrite.yaml (besides `operation` and `draft`)."""
    kb = request.kb
    register = register_for(request)
    return {
        "brand": brand_context(kb),
        "language": language_context(kb, request.language),
        "locale": locale_context(kb, request.language, register, request.message.customer_name),
        "channel": channel_rules(request),
    }


def analysis_context(request: DraftRequest) -> dict[str, Any]:
    analysis, rules = request.analysis, {r.trigger: r for r in request.kb.brand.escalation}
    return {
        "sentiment": analysis.sentiment,
        "emotions": analysis.emotions,
        "urgency": analysis.urgency,
        "intent": analysis.intent,
        "needs_private": analysis.needs_private,
        "private_data": sorted({d.kind for d in analysis.private_data}),
        "injection": bool(analysis.injection),
        "escalations": [
            {
                "trigger": e.trigger,
                "team": e.team,
                "channel": e.channel,
                "description": rules[e.trigger].description if e.trigger in rules else "",
            }
            for e in analysis.escalations
        ],
    }


def channel_rules(request: DraftRequest) -> dict[str, Any]:
    """The channel policy, with the words the composer uses to move to private."""
    context = channel_context(request.kb, request.message.channel)
    return {**context, "private_alternative": context.get("private_alternative") or ""}


def support_hours(request: DraftRequest) -> dict[str, Any]:
    """The customer's region's hours, and whether the team is in right now."""
    kb = request.kb
    hours = kb.region_for(request.language, request.message.locale)
    now = request.now or dt.datetime.now(dt.UTC)
    pack = kb.locales.get(request.language)
    home = pack.conventions.home_country if pack else None
    return {
        "text": hours_context(kb, request.language, request.message.locale),
        "local": format_hours(local_hours(hours, request.message.locale, home), pack),
        "open_now": is_open(hours, now),
    }


def composed_parts(request: DraftRequest) -> list[dict[str, Any]]:
    """What the offline composer would write, part by part, in the reply language."""
    try:
        parts = compose(request)
    except (KeyError, IndexError, ValueError):  # a brand without a locale pack for it
        return []
    return [
        {"key": p.key, "text": neutralise(p.text), "required": p.priority == REQUIRED}
        for p in parts
        if p.text
    ]


def script_context(request: DraftRequest) -> dict[str, str]:
    """The script the reply is written in (the locale pack's: Latin for hi-Latn, per the
    brand's `languages.reply_script`) and the customer's."""
    pack = request.kb.locales.get(pack_code(request))
    sample = pack.lines.clarify if pack is not None else ""
    return {"reply": _dominant(sample), "customer": _dominant(request.read_text)}


def _dominant(text: str) -> str:
    counts = count_scripts(text)
    return max(counts, key=lambda s: counts[s]) if counts else ""


def guidance_for(request: DraftRequest) -> list[Snippet]:
    """The guideline snippets shown to the agent; ranked here when the caller gave none."""
    given = getattr(request, "guidance", None)
    if given:
        return list(given)
    fired = [f"brand.escalation.{e.trigger}" for e in request.analysis.escalations]
    key = request.kb.fingerprint or str(id(request.kb))
    if key not in _INDEXES:
        _INDEXES[key] = GuidanceIndex(request.kb)
    return _INDEXES[key].search(request.read_text, request.language, pinned=fired)


_INDEXES: dict[str, GuidanceIndex] = {}  # word-overlap guidance index per knowledge base
