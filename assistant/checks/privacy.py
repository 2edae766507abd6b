"""Personal data in a public reply, and requests for it that do not move to a private
channel.

Only replies on channels with `visibility: public` are checked. A request is a sentence
that names personal data (order number, address, phone, card, e-mail, password); it is
fine when the same sentence moves the conversation private: it names the channel's
private alternative ("DM"), a private-message word, or it is the locale pack's own
take-private line. The pack's private-data warning ("don't post your order number")
is not a request. The words are data: `lexicon.private_data` (reply language and
English) and `lexicon.private_channel` (every pack) of the locale packs.
"""

from __future__ import annotations

from assistant.checks._text import (
    Range,
    approved_spans,
    brand_values,
    contains_any,
    find_any,
    mask,
    per_kb,
    sentence_of,
    sentence_spans,
)
from assistant.checks.base import CheckContext
from assistant.checks.channel import find_links
from assistant.knowledge import fill
from assistant.types import Draft, Finding, PrivateDatum, Span
from assistant.understanding.private_data import find_private_data


class PrivacyCheck:
    """privacy.data_in_public (block), privacy.request_in_public (warn)."""

    id = "privacy"

    def check(self, draft: Draft, context: CheckContext) -> list[Finding]:
        policy = context.kb.channels.get(context.message.channel)
        if policy is None or policy.visibility != "public":
            return []
        spans = approved_spans(
            draft.text, context.kb, draft.citations, context.reply_language, context.message.channel
        )
        spans += [(s.start, s.end) for _, s in find_links(draft.text)]
        text = mask(draft.text, spans)  # approved text neither posts nor asks for data
        return _posted(text, draft.text, context, policy.label) + _requests(
            text, context, policy.label
        )


def _posted(text: str, original: str, context: CheckContext, label: str) -> list[Finding]:
    if not (any(map(str.isdigit, text)) or any(c in text for c in "@＠:：")):
        return []  # every kind of personal data has a digit, an @ or (a password) a colon
    language = context.reply_language.split("-")[0]
    regions = context.kb.phone_regions(language)
    return [_posted_finding(d, original, label) for d in find_private_data(text, language, regions)]


def _posted_finding(datum: PrivateDatum, original: str, label: str) -> Finding:
    kind = datum.kind.replace("_", " ")
    shown = original[datum.span.start : datum.span.end]
    return Finding(
        id="privacy.data_in_public",
        severity="block",
        span=datum.span,
        message=f"The reply shows a {kind} (“{shown}”) on {label}, a public "
        f"channel. Remove it and continue in a private message.",
    )


def _requests(text: str, context: CheckContext, label: str) -> list[Finding]:
    kb, language = context.kb, context.reply_language
    pack = kb.locale(language)
    nouns = kb.words("private_data", language)
    alternative = kb.channels[context.message.channel].private_alternative
    private_words = per_kb(kb, "private-words", lambda: _private_words(context))
    example = fill(pack.lines.take_private, brand_values(kb, context.message.channel))
    sentences = sentence_spans(text)
    findings: list[Finding] = []
    seen: set[Range] = set()
    for match in find_any(text, nouns):
        sentence = sentence_of(sentences, match.start())
        if sentence in seen or contains_any(text[sentence[0] : sentence[1]], private_words):
            continue
        seen.add(sentence)
        findings.append(
            Finding(
                id="privacy.request_in_public",
                severity="warn",
                span=Span(start=match.start(), end=match.end()),
                message=f"Asks about “{match.group()}” in a public {label} reply without moving "
                f"to a private channel. Ask for it by {alternative or 'private message'} instead "
                f"(e.g. “{example}”).",
            )
        )
    return findings


def _private_words(context: CheckContext) -> tuple[str, ...]:
    """Words that move a conversation private: DM, the private channels' names..."""
    names = [alt for policy in context.kb.channels.values() if (alt := policy.private_alternative)]
    for name, policy in context.kb.channels.items():
        if policy.visibility == "private":
            names += [name, policy.label]
    return (*context.kb.all_words("private_channel"), *dict.fromkeys(names))
