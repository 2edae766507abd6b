"""empathy.missing (upset customer) and empathy.no_thanks (praise)."""

from __future__ import annotations

import pytest

from assistant.checks import EmpathyCheck
from assistant.knowledge import KnowledgeBase
from tests.checks.checks_support import LANGUAGES, findings, make_context

CHECK = EmpathyCheck()


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_empathy_and_apology_line_counts(kb: KnowledgeBase, language: str) -> None:
    lines = kb.locale(language).lines
    context = make_context(kb, language, sentiment="negative")
    for line in (*lines.empathy, *lines.apology):
        assert findings(CHECK, f"{line} 3-5.", context) == [], line


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "So sorry about the wait! Your order ships soon."),  # the agent's own words
        ("de", "Bitte entschuldigen Sie die Verzögerung."),
        ("hi", "देरी के लिए हमें खेद है।"),
        ("ja", "大変申し訳ございません。"),
        ("hy", "Ներողություն ենք խնդրում ուշացման համար։"),
    ],
)
def test_key_words_of_empathy_count_in_any_phrasing(
    kb: KnowledgeBase, language: str, text: str
) -> None:
    assert findings(CHECK, text, make_context(kb, language, sentiment="negative")) == []


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Most orders arrive within 3-5 business days."),
        ("de", "Die meisten Bestellungen kommen innerhalb von 3-5 Werktagen an."),
        ("hi", "ज़्यादातर ऑर्डर 3-5 कामकाजी दिनों में पहुँच जाते हैं।"),
        ("zh", "大部分订单会在3-5个工作日内送达。"),
        ("ar", "تصل معظم الطلبات خلال 3-5 أيام عمل."),
    ],
)
def test_a_bare_answer_to_an_upset_customer_warns(
    kb: KnowledgeBase, language: str, text: str
) -> None:
    found = findings(CHECK, text, make_context(kb, language, sentiment="negative"))
    assert [(f.id, f.severity) for f in found] == [("empathy.missing", "warn")]
    assert kb.locale(language).lines.empathy[0] in found[0].message
    assert findings(CHECK, text, make_context(kb, language, sentiment="neutral")) == []


@pytest.mark.parametrize(
    ("language", "thanks", "plain"),
    [
        ("en", "Thanks a lot for the lovely words!", "We shared this with the team."),
        ("fr", "Merci infiniment !", "Nous l'avons partagé avec l'équipe."),
        ("bn", "আপনাকে অনেক ধন্যবাদ!", "আমরা টিমের সাথে শেয়ার করেছি।"),
        ("ja", "ありがとうございます！", "チームに共有しました。"),
        ("gu", "તમારો ખૂબ ખૂબ આભાર!", "અમે ટીમ સાથે શેર કર્યું છે."),
    ],
)
def test_praise_needs_a_thank_you(
    kb: KnowledgeBase, language: str, thanks: str, plain: str
) -> None:
    context = make_context(kb, language, sentiment="positive", intent="praise")
    assert findings(CHECK, thanks, context) == []
    found = findings(CHECK, plain, context)
    assert [(f.id, f.severity) for f in found] == [("empathy.no_thanks", "warn")]
