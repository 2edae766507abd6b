"""The draft fits its channel: length, placeholders, links and emoji.

Links are found with or without a scheme ("https://x.example/a", "www.x.com",
"shop.example.com/help"); e-mail addresses are not links. Links with an unsafe scheme
(javascript:, data:, ftp://, file://) are blocked whatever their domain.
"""

from __future__ import annotations

import re
from functools import lru_cache

from assistant.checks.base import CheckContext
from assistant.knowledge.models import ChannelPolicy
from assistant.knowledge.rules import URL, domain_allowed
from assistant.types import Draft, Finding, Span
from assistant.understanding.folding import fold

#: Placeholders left by templates: {name}, {{ name }}, [NAME], [ORDER NUMBER], <NAME>.
PLACEHOLDERS = re.compile(
    r"\{\{\s*[\w.]+\s*\}\}|\{[A-Za-z_][A-Za-z0-9_]*\}|\[[A-Z][A-Z0-9_ ]{2,}\]|<[A-Z][A-Z0-9_]{2,}>"
)
_TLDS = (
    "com|net|org|io|co|ly|gl|me|info|biz|app|dev|shop|store|ai|tv|example|in|uk|us|de|fr|es|"
    "br|pt|jp|cn|my|id|am|ae|sa|eg|bd|au|ca|mx|ar|it|nl|ru"
)
BARE_DOMAIN = re.compile(
    rf"(?<![\w@＠./-])(?:www\.)?(?:[a-z0-9-]+\.)+(?:{_TLDS})\b(?:/[^\s)>\]]*[^\s)>\].,;:!?'\"。、])?",
    re.IGNORECASE,
)
EMOJI = re.compile(
    "[\U0001f1e6-\U0001f1ff\U0001f300-\U0001f5ff\U0001f600-\U0001f64f\U0001f680-\U0001f6ff"
    "\U0001f900-\U0001f9ff\U0001fa70-\U0001faff\u2600-\u26ff\u2700-\u27bf\u2b50\u2b55]"
)
SPARING_MAX = 2  # more emoji than this on a "sparing" channel is worth a note


#: Links that are never posted, whatever their domain: scripts, inline data, files
#: and file transfer. Matched on folded text ("ＪａｖａＳｃｒｉｐｔ:", "java\u200bscript:").
UNSAFE_LINK = re.compile(
    r"(?<![\w.+-])(?:(?:java|vb)script\s?:[^\s<>\"']*|data:[\w.+-]+/[\w.+-]+[;,][^\s<>\"']*"
    r"|(?:s?ftps?|smb|file)://?[^\s<>\"']*|blob:[^\s<>\"']+)",
    re.IGNORECASE,
)
SAFE_SCHEMES = ("http://", "https://")


def find_links(text: str) -> list[tuple[str, Span]]:
    """Every link in `text` (with or without a scheme, unsafe schemes included) and its span."""
    return list(_links_in(text))


@lru_cache(maxsize=256)
def _links_in(text: str) -> tuple[tuple[str, Span], ...]:
    """`find_links`, kept for the last texts: the channel, grounding, privacy and script
    checks each look for the links of the same draft."""
    links = [(m.group(), Span(start=m.start(), end=m.end())) for m in URL.finditer(text)]
    if ":" in text or "：" in text or "\ufe55" in text:  # every unsafe link has a colon
        folded = fold(text)
        for m in UNSAFE_LINK.finditer(folded.text):
            start, end = folded.span(*m.span())
            links.append((text[start:end], Span(start=start, end=end)))
    taken = [(s.start, s.end) for _, s in links]
    for m in BARE_DOMAIN.finditer(text):
        if not any(start <= m.start() < end for start, end in taken):
            links.append((m.group(), Span(start=m.start(), end=m.end())))
    return tuple(sorted(links, key=lambda link: link[1].start))


class ChannelCheck:
    """channel.too_long, channel.placeholder, channel.link_domain, channel.link_scheme,
    channel.links_disabled, channel.emoji, channel.emoji_many."""

    id = "channel"

    def check(self, draft: Draft, context: CheckContext) -> list[Finding]:
        policy = context.kb.channels.get(context.message.channel)
        findings = _placeholders(draft.text)
        findings += _links(draft.text, policy, context.kb.brand.allowed_link_domains)
        if policy is not None:
            findings = _length(draft.text, policy) + findings
            findings += _emoji(draft.text, policy, context.kb.brand.emoji_policy)
        return findings


def _length(text: str, policy: ChannelPolicy) -> list[Finding]:
    if len(text) <= policy.max_length:
        return []
    over = len(text) - policy.max_length
    return [
        Finding(
            id="channel.too_long",
            severity="block",
            message=f"The reply is {len(text)} characters; {policy.label} allows "
            f"{policy.max_length}. Shorten it by at least {over} characters.",
            span=Span(start=policy.max_length, end=len(text)),
        )
    ]


def _placeholders(text: str) -> list[Finding]:
    return [
        Finding(
            id="channel.placeholder",
            severity="block",
            message=f"Unfilled placeholder {m.group()}: replace it with the real value "
            "or remove it.",
            span=Span(start=m.start(), end=m.end()),
        )
        for m in PLACEHOLDERS.finditer(text)
    ]


def _links(text: str, policy: ChannelPolicy | None, allowed: list[str]) -> list[Finding]:
    findings: list[Finding] = []
    for link, span in find_links(text):
        if UNSAFE_LINK.match(fold(link).text):
            findings.append(_unsafe(link, span))
        elif not domain_allowed(link, allowed):
            domains = ", ".join(allowed) or "none"
            findings.append(
                Finding(
                    id="channel.link_domain",
                    severity="block",
                    span=span,
                    message=f"Link {link} is not on an allowed domain ({domains}); remove it "
                    "or link to an approved page.",
                )
            )
        if policy is not None and not policy.links:
            findings.append(
                Finding(
                    id="channel.links_disabled",
                    severity="warn",
                    span=span,
                    message=f"{policy.label} replies should not contain links ({link}); "
                    "describe where to find the page instead, or send the link privately.",
                )
            )
    return findings


def _unsafe(link: str, span: Span) -> Finding:
    scheme = fold(link).text.split(":", 1)[0].strip().lower()
    return Finding(
        id="channel.link_scheme",
        severity="block",
        span=span,
        message=f"Link {link} uses the {scheme}: scheme, which a public reply never posts; "
        "remove it, or link to an approved https page.",
    )


def _emoji(text: str, policy: ChannelPolicy, brand_policy: str) -> list[Finding]:
    found = list(EMOJI.finditer(text))
    if not found:
        return []
    first = Span(start=found[0].start(), end=found[-1].end())
    if policy.emoji == "none" or brand_policy == "none":
        whose = policy.label if policy.emoji == "none" else "The brand"
        return [
            Finding(
                id="channel.emoji",
                severity="warn",
                span=first,
                message=f"{whose} uses no emoji; remove {len(found)} emoji.",
            )
        ]
    if "sparing" in (policy.emoji, brand_policy) and len(found) > SPARING_MAX:
        return [
            Finding(
                id="channel.emoji_many",
                severity="info",
                span=first,
                message=f"{len(found)} emoji; the style is sparing (at most "
                f"{SPARING_MAX}). Consider removing some.",
            )
        ]
    return []
