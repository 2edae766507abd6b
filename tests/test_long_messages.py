"""A long customer message is read once per suggestion, and only where it can matter."""

from __future__ import annotations

import pytest

from assistant.checks import GroundingCheck, grounding
from assistant.knowledge import KnowledgeBase, load_knowledge_base
from tests.checks.checks_support import findings, make_context

CHECK = GroundingCheck()
LONG = "My order NH-204518 for 49.99 EUR is late, see https://example.org/x " + "1 " * 9_000


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge_base()


def test_a_draft_with_only_approved_facts_does_not_read_the_message(
    kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unread(*_: object) -> None:
        raise AssertionError("the customer's message was scanned")

    monkeypatch.setattr(grounding, "_said", unread)
    answer = kb.answer("order-status", "en")
    assert answer is not None
    context = make_context(kb, "en", message=LONG)
    assert findings(CHECK, answer, context, citations=("order-status",)) == []


def test_numbers_and_links_the_customer_gave_still_ground_a_draft(kb: KnowledgeBase) -> None:
    context = make_context(kb, "en", message=LONG)
    echoed = "Order NH-204518 (49.99 EUR): we saw https://example.org/x and will check."
    assert findings(CHECK, echoed, context) == []
    invented = "Order NH-777777 ships today with a 10 % discount: https://example.org/y"
    flagged = {f.id for f in findings(CHECK, invented, context)}
    assert {"grounding.number", "grounding.percent", "grounding.url"} <= flagged
