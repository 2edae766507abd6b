"""Guardrail checks: every draft (and every agent edit) gets findings, not exceptions.

    findings = run_checks(draft, context)     # list[Finding], blocking ones first

One module per family; each check has an `id` that prefixes its findings' ids:

| check         | finding ids (severity)                                                   |
|---------------|--------------------------------------------------------------------------|
| language      | language.mismatch (block; warn when detection is uncertain)              |
| channel       | channel.too_long, .placeholder, .link_domain, .link_scheme (block);      |
|               | .links_disabled, .emoji (warn); .emoji_many (info)                       |
| phrasing      | phrasing.banned (block), phrasing.avoid (warn)                           |
| promises      | promises.refund, .compensation, .guarantee, .free, .deadline (block):    |
|               | whatever the cited FAQ does not back                                     |
| grounding     | grounding.money, .percent (block); grounding.number, .url (warn)         |
| privacy       | privacy.data_in_public (block), privacy.request_in_public (warn)         |
| empathy       | empathy.missing, empathy.no_thanks (warn)                                |
| register      | register.mixed (block), register.non_default (info)                      |
| structure     | structure.greeting, .sign_off (warn); structure.ai_disclosure (block)    |
| injection     | injection.echo (block)                                                   |
| fit           | fit.weak, .keywords, .contradicts, .injected (warn): the answer may not  |
|               | fit the question                                                         |
| script        | script.policy (block): not in the script the brand's reply-script policy |
|               | gives replies to a customer who typed in another script (hi-Latn)       |

`send_ready(draft, context)` (verdict.py) then says whether an agent could send the draft
unedited, and why not.

A check that fails with an unexpected error yields `<id>.error` (warn) so the reviewer
knows that guardrail did not run; the other checks still run.
"""

from __future__ import annotations

from collections.abc import Sequence

from assistant.checks.base import Check, CheckContext
from assistant.checks.channel import ChannelCheck
from assistant.checks.empathy import EmpathyCheck
from assistant.checks.fit import FitCheck
from assistant.checks.grounding import GroundingCheck
from assistant.checks.injection import InjectionCheck
from assistant.checks.language import LanguageCheck
from assistant.checks.phrasing import PhrasingCheck
from assistant.checks.privacy import PrivacyCheck
from assistant.checks.promises import PromiseCheck
from assistant.checks.register import RegisterCheck
from assistant.checks.script import ScriptCheck
from assistant.checks.structure import StructureCheck
from assistant.checks.verdict import Verdict, send_ready
from assistant.types import Draft, Finding

__all__ = [
    "CHECKS",
    "ChannelCheck",
    "Check",
    "CheckContext",
    "EmpathyCheck",
    "FitCheck",
    "GroundingCheck",
    "InjectionCheck",
    "LanguageCheck",
    "PhrasingCheck",
    "PrivacyCheck",
    "PromiseCheck",
    "RegisterCheck",
    "ScriptCheck",
    "StructureCheck",
    "Verdict",
    "run_checks",
    "send_ready",
]

#: The checks `run_checks` runs, in this order. Append a `Check` to add a guardrail.
CHECKS: list[Check] = [
    LanguageCheck(),
    ChannelCheck(),
    PhrasingCheck(),
    PromiseCheck(),
    GroundingCheck(),
    PrivacyCheck(),
    EmpathyCheck(),
    RegisterCheck(),
    StructureCheck(),
    InjectionCheck(),
    FitCheck(),
    ScriptCheck(),
]

_RANK = {"block": 0, "warn": 1, "info": 2}


def run_checks(
    draft: Draft, context: CheckContext, checks: Sequence[Check] | None = None
) -> list[Finding]:
    """Findings of every check on `draft`: blocking first, then warnings, then notes."""
    findings: list[Finding] = []
    for check in CHECKS if checks is None else checks:
        try:
            findings += check.check(draft, context)
        except Exception as exc:  # a broken guardrail must not lose the draft
            findings.append(
                Finding(
                    id=f"{check.id}.error",
                    severity="warn",
                    message=f"The {check.id} check could not run ({type(exc).__name__}: {exc}); "
                    "review this part by hand.",
                )
            )
    return sorted(findings, key=lambda f: _RANK[f.severity])
