"""The draft is written in the script the brand's reply-script policy gives it.

A customer who types Hindi in Latin letters is answered in Roman Hindi where brand.yaml
says `languages.reply_script: {hi: customer}` (and `locales/hi-Latn.yaml` exists), else
in Devanagari. The pipeline puts that decision in `context.reply_language` (`hi-Latn` or
`hi`); this check holds the draft to the script of that locale pack. It only looks at
replies to customers who wrote in another script than the language's own, so ordinary
drafts are never second-guessed here (the language check covers them). Brand names,
the customer's name and links are blanked first: "Nimbus Care" in a Devanagari reply
is not Latin text.
"""

from __future__ import annotations

from collections.abc import Mapping

from assistant.checks._text import find_all, mask
from assistant.checks.base import CheckContext
from assistant.checks.channel import find_links
from assistant.checks.verdict import customer_script
from assistant.knowledge.reply_script import pack_script, script_name
from assistant.language.scripts import count_scripts
from assistant.types import Draft, Finding
from assistant.understanding.display_name import name_parts

MIN_LETTERS = 12  # fewer letters than this in the draft's main script: no verdict


class ScriptCheck:
    """script.policy (block): the draft is not in the script the brand replies in."""

    id = "script"

    def check(self, draft: Draft, context: CheckContext) -> list[Finding]:
        kb, locale = context.kb, context.reply_language
        base = locale.split("-")[0]
        native = pack_script(kb, base)
        customer = customer_script(context)
        if customer is None or (customer == native and locale == base):
            return []  # the customer wrote in the language's own script: no policy in play
        expected = pack_script(kb, locale)
        counts = count_scripts(_without_names(draft.text, context))
        found = max(counts, key=lambda s: counts[s]) if counts else None
        if expected is None or found is None or found == expected:
            return []
        if counts[found] < MIN_LETTERS:
            return []
        return [_finding(found, expected, base, locale, kb.brand.languages.reply_script)]


def _finding(
    found: str, expected: str, base: str, locale: str, policy: Mapping[str, str]
) -> Finding:
    choice = policy.get(base, "native")
    why = (
        f"this brand answers {base} typed in other letters in the customer's script "
        f"(locales/{locale}.yaml)"
        if locale != base
        else f"this brand answers {base} in its native script (reply_script: {choice})"
    )
    return Finding(
        id="script.policy",
        severity="block",
        message=f"The draft is written in {script_name(found)} script but {why}; rewrite it "
        f"in {script_name(expected)} script.",
    )


def _without_names(text: str, context: CheckContext) -> str:
    """Blank out the brand, sign-off, customer's name and links: the same in every script."""
    kb = context.kb
    names = [kb.brand.name, kb.brand.sign_off, *name_parts(context.message.customer_name)]
    spans = [span for name in names if name.strip() for span in find_all(text, name)]
    spans += [(s.start, s.end) for _, s in find_links(text)]
    return mask(text, spans)
