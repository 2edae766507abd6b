"""Feelings acknowledged: empathy when the customer is upset, thanks when they praise.

The locale pack's empathy and apology lines count, and so do their key words in any
phrasing ("sorry", "entschuldigen", "申し訳"), so an agent's own wording passes.
Thanks count from the pack's thanks and praise lines and its `cues.thanks` words. The key
words are data: `lexicon.empathy` and `lexicon.thanks` of the locale pack (and English).
"""

from __future__ import annotations

from assistant.checks._text import contains_any
from assistant.checks.base import CheckContext
from assistant.types import Draft, Finding


class EmpathyCheck:
    """empathy.missing (warn), empathy.no_thanks (warn)."""

    id = "empathy"

    def check(self, draft: Draft, context: CheckContext) -> list[Finding]:
        analysis = context.analysis
        language = context.reply_language
        pack = context.kb.locale(language)
        findings: list[Finding] = []
        if analysis.sentiment == "negative":
            phrases = (
                *pack.lines.empathy,
                *pack.lines.apology,
                *context.kb.words("empathy", language),
            )
            if not contains_any(draft.text, phrases):
                example = pack.lines.empathy[0]
                findings.append(
                    Finding(
                        id="empathy.missing",
                        severity="warn",
                        message="The customer is upset but the reply does not acknowledge it; "
                        f"open with an empathy or apology line (e.g. “{example}”).",
                    )
                )
        if analysis.intent == "praise":
            phrases = (
                *pack.lines.thanks,
                pack.lines.praise,
                *pack.cues.thanks,
                *context.kb.words("thanks", language),
            )
            if not contains_any(draft.text, phrases):
                findings.append(
                    Finding(
                        id="empathy.no_thanks",
                        severity="warn",
                        message="The customer praised the brand but the reply does not thank "
                        f"them; add a thank-you (e.g. “{pack.lines.thanks[0]}”).",
                    )
                )
        return findings
