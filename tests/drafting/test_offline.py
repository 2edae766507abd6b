"""The offline drafter: the contract, plus what the composer promises on its own."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.checks.lines import phrases
from assistant.drafting.base import DraftRequest
from assistant.drafting.offline import OfflineDrafter, Part, fit, format_hours, is_open, render
from assistant.pipeline import Assistant
from assistant.types import Hit, Message
from assistant.understanding.analysis import analyze
from tests.drafting.contract import NOW, DrafterContract


@pytest.fixture(scope="module")
def offline() -> Assistant:
    return Assistant.load(backend="offline")


class TestOfflineContract(DrafterContract):
    @pytest.fixture
    def assistant(self, offline: Assistant) -> Assistant:
        return offline


def test_greets_by_name_in_the_locale_register(offline: Assistant) -> None:
    draft = offline.suggest("Wo ist meine Bestellung?", customer_name="Jonas", now=NOW).drafts[0]
    assert draft.text.startswith("Hallo Jonas")
    assert "Sie" in draft.text and " du " not in draft.text


def test_empathy_for_negative_not_for_praise(offline: Assistant) -> None:
    pack = offline.kb.locale("en")
    angry = offline.suggest(
        "this is ridiculous, my order STILL hasn't arrived 😡", channel="facebook", now=NOW
    )
    assert any(line in angry.drafts[0].text for line in pack.lines.empathy)
    praise = offline.suggest("I love my new lamp, thank you so much! ❤️", now=NOW)
    assert praise.analysis.intent == "praise"
    for draft in praise.drafts:
        assert draft.citations == []
        assert not any(line in draft.text for line in pack.lines.apology)


def test_no_match_asks_instead_of_citing(offline: Assistant) -> None:
    suggestion = offline.suggest("are you hiring software engineers in Lisbon?", now=NOW)
    assert suggestion.hits == []
    for draft in suggestion.drafts:
        assert draft.citations == []
        assert offline.kb.locale("en").lines.clarify in draft.text


def test_takes_it_private_when_private_data_is_posted_publicly(offline: Assistant) -> None:
    suggestion = offline.suggest("my order NH-482913 never arrived!!", channel="twitter", now=NOW)
    assert suggestion.analysis.needs_private
    text = suggestion.drafts[0].text
    assert "NH-482913" not in text
    assert offline.kb.locale("en").lines.private_data_warning in text


def test_escalation_hands_over_and_never_cites(offline: Assistant) -> None:
    suggestion = offline.suggest(
        "your heater caught fire in my kid's room, I'm calling my lawyer",
        channel="facebook",
        now=NOW,
    )
    assert {e.trigger for e in suggestion.analysis.escalations} >= {"safety", "legal_threat"}
    for draft in suggestion.drafts:
        assert draft.citations == []
        assert draft.needs_escalation


def test_variants_differ_in_tone_and_text(offline: Assistant) -> None:
    suggestion = offline.suggest("where is my refund?? waited 3 weeks", n=3, now=NOW)
    tones = [d.tone for d in suggestion.drafts]
    texts = [d.text for d in suggestion.drafts]
    assert len(set(tones)) == len(tones) == 3
    assert len(set(texts)) == 3


def test_deterministic(offline: Assistant) -> None:
    first = offline.suggest("Bila duit refund saya nak masuk?", now=NOW)
    second = offline.suggest("Bila duit refund saya nak masuk?", now=NOW)
    assert [d.text for d in first.drafts] == [d.text for d in second.drafts]


def test_away_message_only_for_unattended_auto_replies(offline: Assistant) -> None:
    sunday_night = dt.datetime(2026, 11, 22, 23, 0, tzinfo=dt.UTC)
    auto = offline.suggest("where is my order?", channel="email", now=sunday_night, auto_reply=True)
    assert "offline right now" in auto.drafts[0].text
    attended = offline.suggest("where is my order?", channel="email", now=sunday_night)
    assert all("offline" not in d.text for d in attended.drafts)  # an agent is replying
    praise = offline.suggest(
        "love the lamp, thank you!", channel="email", now=sunday_night, auto_reply=True
    )
    assert all("offline" not in d.text for d in praise.drafts)


def test_hours_are_stated_in_the_customers_language(offline: Assistant) -> None:
    hours = offline.kb.region_for("ja")
    assert format_hours(hours, offline.kb.locale("ja")) == "月–金 09:00–18:00 (Tokyo)"
    assert is_open(hours, dt.datetime(2026, 11, 24, 1, 0, tzinfo=dt.UTC))  # Tue 10:00 Tokyo


def test_fit_drops_optional_parts_first_and_never_cuts_a_link() -> None:
    link = "https://nimbushome.example/track"
    parts = [
        Part("greeting", "Hi Sam,"),
        Part("empathy", "I understand. " * 5, 3),
        Part("answer", f"First sentence. Follow it at {link} today. Third sentence here."),
        Part("closing", "– Nimbus Care"),
    ]
    text = render(fit(parts, 120, "en"), "en")
    assert "I understand" not in text
    assert link in text
    assert len(text) <= 120
    short = render(fit(parts, 60, "en"), "en")
    assert "First sentence." in short and "https://nimbushome." not in short


def test_x_reply_keeps_whole_links_in_armenian(offline: Assistant) -> None:
    suggestion = offline.suggest("Որտե՞ղ է իմ պատվերը", channel="twitter", now=NOW)
    for draft in suggestion.drafts:
        assert len(draft.text) <= 280
        assert "https://nimbushome.example/track" in draft.text or "https://" not in draft.text


def test_drafter_has_a_name() -> None:
    assert OfflineDrafter().name == "offline"


def test_fit_restores_empathy_when_a_shorter_answer_leaves_room() -> None:
    parts = [
        Part("greeting", "Hi Sam,"),
        Part("empathy", "I understand.", 1),
        Part("answer", "Orders take 3-5 days. " + "Tracking details follow here. " * 4),
        Part("take_private", "Please DM us your order number."),
        Part("closing", "– Nimbus Care"),
    ]
    text = render(fit(parts, 125, "en"), "en")  # 2 answer sentences + empathy = 119
    assert len(text) <= 125
    assert "I understand." in text and "Orders take 3-5 days." in text


def test_fit_falls_back_to_a_shorter_wording_of_the_empathy_line() -> None:
    long_line = "Hum samajh sakte hain ki yeh aapke liye kitna pareshan karne wala hai."
    short_line = "Aapki chinta bilkul jaayaz hai."
    parts = [
        Part("greeting", "Namaste Shruti ji,"),
        Part("empathy", long_line, 1, alternatives=((short_line, short_line),)),
        Part("answer", "Sign-in page par 'Forgot password' par tap kijiye. " * 3),
        Part("closing", "Saadar, Nimbus Care"),
    ]
    text = render(fit(parts, 230, "hi"), "hi")
    assert len(text) <= 230
    assert short_line in text and long_line not in text
    roomy = render(fit(parts, 400, "hi"), "hi")
    assert long_line in roomy and short_line not in roomy  # the picked wording first


def test_fit_never_takes_a_wording_that_opens_like_another_part() -> None:
    parts = [
        Part("greeting", "Hi Sam,"),
        Part(
            "apology",
            "We are truly sorry about all of this trouble.",
            2,
            alternatives=(("We're sorry.", "We're sorry."),),
        ),
        Part("answer", "We're sorry your item arrived damaged. " * 2),
        Part("closing", "– Nimbus Care"),
    ]
    text = render(fit(parts, 120, "en"), "en")  # "We're sorry." would fit (113)
    assert text.count("We're sorry") == 2  # the answer's own, twice; no third
    assert "truly" not in text


def test_fit_keeps_the_answer_when_the_privacy_warning_already_takes_it_private() -> None:
    parts = [
        Part("greeting", "Hi Sam,"),
        Part("private_data_warning", "Please don't post order numbers publicly."),
        Part("answer", "Most orders arrive within 3-5 business days."),
        Part("take_private", "We'll continue by DM so we can check your order safely."),
        Part("closing", "– Nimbus Care"),
    ]
    text = render(fit(parts, 100, "en"), "en")
    assert len(text) <= 100
    assert "Please don't post" in text and "Most orders arrive" in text
    assert "We'll continue by DM" not in text


def test_fit_drops_the_answer_before_the_only_private_step() -> None:
    parts = [
        Part("greeting", "Hi Sam,"),
        Part("answer", "Most orders arrive within 3-5 business days."),
        Part("take_private", "Please DM us your order number so we can check."),
        Part("closing", "– Nimbus Care"),
    ]
    text = render(fit(parts, 70, "en"), "en")
    assert "Please DM us" in text and "Most orders" not in text


# -- Issue 12: composer behaviours ------------------------------------------------------
def test_sarcasm_is_never_thanked(offline: Assistant) -> None:
    suggestion = offline.suggest(
        "Best service ever 🙄, 3 weeks and still no lamp", channel="twitter", now=NOW
    )
    pack = offline.kb.locale("en")
    for draft in suggestion.drafts:
        assert not any(line in draft.text for line in [*pack.lines.thanks, pack.lines.praise])


def test_safety_wording_and_route_come_first(offline: Assistant) -> None:
    suggestion = offline.suggest(
        "The heater caught fire in my kid's room. I will sue you", channel="twitter", now=NOW
    )
    assert suggestion.analysis.escalations[0].trigger == "safety"
    for draft in suggestion.drafts:
        body = draft.text.split("\n")[1]
        assert body.startswith("Your safety comes first")
        assert "Product Safety" in draft.text and "Legal" not in draft.text
        assert draft.needs_escalation


def test_public_payment_warning_survives_the_x_limit(offline: Assistant) -> None:
    text = "charged twice!! card 4111 1111 1111 1111, order NH-482913, fix it"
    suggestion = offline.suggest(text, channel="twitter", customer_name="Sam", now=NOW)
    warning = offline.kb.locale("en").lines.private_data_warning
    for draft in suggestion.drafts:
        assert len(draft.text) <= 280
        assert warning in draft.text
    assert any("hide it" in note or "delete" in note for note in suggestion.notes)


def test_private_channels_ask_here_instead_of_a_dm(offline: Assistant) -> None:
    for channel in ("whatsapp", "messenger", "email", "wechat", "livechat"):
        suggestion = offline.suggest("my order never arrived", channel=channel, now=NOW)
        for draft in suggestion.drafts:
            assert " DM" not in draft.text, (channel, draft.text)


def test_an_order_number_already_given_is_not_asked_again(offline: Assistant) -> None:
    text = (
        "Hello, I ordered a lamp two weeks ago, order NH-573920, and it still has not "
        "arrived. Could you check where it is?"
    )
    suggestion = offline.suggest(text, channel="whatsapp", now=NOW)
    for draft in suggestion.drafts:
        assert "send us your order number" not in draft.text
        assert "Thank you for the order number" in draft.text


@pytest.mark.parametrize("channel", ["twitter", "whatsapp"])
def test_an_answer_that_asks_privately_is_not_followed_by_a_second_ask(
    offline: Assistant, channel: str
) -> None:
    """damaged-item's answer asks for a photo and the order number in private itself
    (`asks_private`): no move-to-private line asks for the number again."""
    suggestion = offline.suggest("My lamp arrived broken, the shade is cracked", channel=channel)
    for draft in suggestion.drafts:
        assert draft.citations == ["damaged-item"]
        assert draft.text.lower().count("order number") == 1, draft.text
        assert "privately" in draft.text


def test_a_long_wait_is_acknowledged(offline: Assistant) -> None:
    suggestion = offline.suggest("Order not arrived after two weeks!!", channel="email", now=NOW)
    assert suggestion.analysis.elapsed_days == 14
    assert "waiting far too long" in suggestion.drafts[0].text


def test_no_feelings_line_twice(offline: Assistant) -> None:
    suggestion = offline.suggest(
        "O pedido chegou quebrado, estou muito chateada 😡", channel="whatsapp", now=NOW
    )
    for draft in suggestion.drafts:
        sentences = [s.strip() for s in draft.text.replace("\n", " ").split(".") if s.strip()]
        openings = [" ".join(s.split()[:2]) for s in sentences]
        assert len(openings) == len(set(openings)), draft.text


def test_hours_are_shown_in_the_customers_time_zone(offline: Assistant) -> None:
    suggestion = offline.suggest(
        "que horas vocês atendem?", channel="whatsapp", locale="pt-BR", now=NOW
    )
    text = " ".join(d.text for d in suggestion.drafts)
    assert "São Paulo" in text and "New York" not in text


def test_without_a_country_hours_are_shown_in_the_languages_home_time_zone(
    offline: Assistant,
) -> None:
    """A Chinese customer with no locale is served by East Asia (Tokyo hours) but reads
    them in China's time (zh.yaml conventions.home_country: CN); a locale naming a
    country still wins."""
    for locale, city in [(None, "Shanghai"), ("zh-TW", "Taipei")]:
        suggestion = offline.suggest("人工客服几点上班？", channel="wechat", locale=locale, now=NOW)
        text = " ".join(d.text for d in suggestion.drafts)
        assert f"08:00–17:00 ({city})" in text and "Tokyo" not in text, text


def test_a_locale_listed_in_a_region_is_served_by_it(offline: Assistant) -> None:
    """pt is the Americas' language, pt-PT is listed in Europe's (brand.yaml): a customer
    in Portugal sees Europe's hours in Lisbon time, one in Brazil the Americas'."""
    kb = offline.kb
    assert kb.region_for("pt", "pt-PT").region == "Europe"
    assert kb.region_for("pt", "pt_pt").region == "Europe"
    assert kb.region_for("pt", "pt-BR").region == "Americas"
    assert kb.region_for("pt").region == "Americas"
    suggestion = offline.suggest(
        "que horas vocês atendem?", channel="whatsapp", locale="pt-PT", now=NOW
    )
    text = " ".join(d.text for d in suggestion.drafts)
    assert "07:00–18:00 (Lisbon)" in text and "New York" not in text


def test_a_formal_customer_gets_a_formal_reply_when_the_answer_allows(
    offline: Assistant,
) -> None:
    suggestion = offline.suggest(
        "Buenas tardes, ¿podría usted indicarme si tienen tienda física en Bogotá?",
        channel="email",
        now=NOW,
    )
    assert suggestion.analysis.customer_register == "formal"
    first = suggestion.drafts[0]
    formal = phrases("es", "formal", "informal").get("clarify")
    assert formal is not None and formal in first.text  # "¿Podría… necesita…?", not tú
    assert not any(f.id == "register.mixed" for f in first.findings)


def test_formal_praise_is_thanked_formally(offline: Assistant) -> None:
    suggestion = offline.suggest(
        "Buenos días: quería agradecerle la atención de ayer, muy amable. Un saludo",
        channel="email",
        customer_name="Pilar Moreno",
        now=NOW,
    )
    assert suggestion.analysis.customer_register == "formal"
    first = suggestion.drafts[0]
    assert "sus palabras" in first.text and "tus palabras" not in first.text
    assert not any(f.id.startswith("register.") for f in first.findings)


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("es", "Buenas tardes. ¿Podría usted indicarme cómo devolver un artículo? Quedo atento."),
        ("id", "Yth. Tim Nimbus Home, saya ingin mengembalikan barang. Bagaimana caranya?"),
    ],
)
def test_a_formal_customer_gets_the_answers_formal_wording(
    offline: Assistant, language: str, text: str
) -> None:
    """The approved answer says tú / kamu; its `register_answers.formal` variant is used."""
    suggestion = offline.suggest(text, channel="email", customer_name="Ana", now=NOW)
    assert suggestion.analysis.customer_register == "formal"
    first = suggestion.drafts[0]
    assert first.citations == ["returns"]
    assert (offline.kb.answer("returns", language, "formal") or "") in first.text
    assert (offline.kb.answer("returns", language) or "") not in first.text
    assert not any(f.id.startswith("register.") for f in first.findings)


def test_the_formal_tone_is_formal_in_the_answer_too(offline: Assistant) -> None:
    suggestion = offline.suggest(
        "hola! como devuelvo una lámpara?", channel="whatsapp", tones=["formal"], now=NOW
    )
    draft = suggestion.drafts[0]
    assert draft.tone == "formal"
    assert (offline.kb.answer("returns", "es", "formal") or "") in draft.text


def test_armenian_email_uses_the_packs_email_greeting(offline: Assistant) -> None:
    suggestion = offline.suggest(
        "Բարև Ձեզ, որտե՞ղ է իմ պատվերը", channel="email", customer_name="Անի", now=NOW
    )
    assert suggestion.drafts[0].text.startswith("Հարգելի Անի")


def test_a_formal_german_email_opens_with_guten_tag(offline: Assistant) -> None:
    """'Hallo Dr. Weber' is the pack's social greeting; a letter opens 'Guten Tag'."""
    text = "Sehr geehrte Damen und Herren, wo bleibt meine Bestellung NH-123456?"
    email = offline.suggest(text, channel="email", customer_name="Dr. Klaus Weber", now=NOW)
    assert email.drafts[0].text.startswith("Guten Tag Dr. Klaus Weber,")
    post = offline.suggest(text, channel="facebook", customer_name="Dr. Klaus Weber", now=NOW)
    assert post.drafts[0].text.startswith("Hallo Dr. Klaus Weber,")


def test_an_answer_with_none_of_its_topic_words_is_not_sent(offline: Assistant) -> None:
    """A weakly matched entry none of whose topic words occur is not answered: the draft
    asks what the customer needs instead of citing it; an entry whose words occur is."""
    kb = offline.kb
    pack = kb.locale("en")

    def draft(text: str, faq_id: str) -> tuple[list[str], str]:
        message = Message(text=text, channel="email")
        hits = [Hit(faq_id=faq_id, score=0.6)]  # a weak match (a strong one is answered)
        analysis = analyze(message, kb, language="en", hits=hits)
        request = DraftRequest(message, analysis, hits, "en", "friendly", kb, now=NOW)
        result = OfflineDrafter().draft(request)
        return result.citations, result.text

    citations, text = draft("Do you sell gift cards? I'd like to give one to my sister", "returns")
    assert citations == [] and pack.lines.clarify in text
    citations, text = draft("Can I return the lamp? It's the wrong colour", "returns")
    assert citations == ["returns"] and pack.lines.clarify not in text


def test_an_order_question_with_no_faq_match_asks_for_the_order_number(
    offline: Assistant,
) -> None:
    suggestion = offline.suggest(
        "hi, I ordered a rug on friday, can you look into it? need it soon",
        channel="whatsapp",
        now=NOW,
    )
    ask = phrases("en", "informal", "informal").get("ask_here")
    assert ask and suggestion.analysis.needs_private
    assert suggestion.drafts[0].citations == [] and ask in suggestion.drafts[0].text
    # Naming the topic ("any news", "parcel") answers it, and still asks for the number.
    suggestion = offline.suggest(
        "hi, any news on the parcel I ordered friday? need it before the weekend",
        channel="whatsapp",
        now=NOW,
    )
    assert suggestion.drafts[0].citations == ["order-status"]
    assert ask in suggestion.drafts[0].text


def test_with_two_topics_the_one_raised_first_is_answered(offline: Assistant) -> None:
    """A how-to hit ranked first, while the customer leads with a charge the retriever
    also found: the reply answers the charge first (and asks for the order number),
    then the password question of the later sentence where WhatsApp has room."""
    kb = offline.kb
    text = "Two charges on my card for one order! Also, how do I reset my password?"
    message = Message(text=text, channel="whatsapp")
    hits = [Hit(faq_id="password-reset", score=0.8), Hit(faq_id="double-charge", score=0.75)]
    analysis = analyze(message, kb, language="en", hits=hits)
    request = DraftRequest(message, analysis, hits, "en", "friendly", kb, now=NOW)
    draft = OfflineDrafter().draft(request)
    assert draft.citations == ["double-charge", "password-reset"]
    assert analysis.intent == "double-charge" and analysis.needs_private


def test_praise_worded_complaints_are_answered_not_asked_what_they_need(
    offline: Assistant,
) -> None:
    # No eye-roll, no "still not": only the stuck status and the days say it is sarcasm.
    stuck = "wow, 'preparing your parcel' for 9 days now. truly the fastest shop in town 👏👏"
    assert offline.suggest(stuck, channel="twitter", now=NOW).hits[0].faq_id == "order-status"
    # No topic word at all: the stated wait alone picks the entry for waits.
    wait = "Brilliant job @NimbusHome 👏 two weeks for one floor lamp, my grandma walks faster 🙄"
    suggestion = offline.suggest(wait, channel="twitter", now=NOW)
    assert suggestion.analysis.intent == "order-status"
    assert offline.kb.faq["order-status"].answers_waits


def test_a_second_question_in_its_own_sentence_is_answered_too(offline: Assistant) -> None:
    two = "Where is my order? It has been a week. Also, how do I reset my password?"
    drafts = offline.suggest(two, channel="messenger", now=NOW).drafts
    assert all(d.citations == ["order-status", "password-reset"] for d in drafts)
    reset = offline.kb.answer("password-reset", "en", "informal") or ""
    assert reset.split(".")[0] in drafts[0].text
    # Context named before the ask is not a second question.
    context = "I sent the rug back last week. Where is my refund?"
    first = offline.suggest(context, channel="messenger", now=NOW).drafts[0]
    assert first.citations == ["refund-status"]
    # X has no room for both: the second answer is dropped first, and not cited.
    short = offline.suggest("Where is my order? Also, how do I reset my password?", now=NOW)
    assert all(len(d.text) <= 280 and d.citations == ["order-status"] for d in short.drafts)


def test_a_customer_writing_again_unanswered_is_still_taken_private(offline: Assistant) -> None:
    """No FAQ answer for a repeated contact: the escalation, and the move to private
    (the team needs the order number); a safety report stays the escalation alone."""
    again = "@NimbusHome third time asking: my parcel came with the wrong colour cushions and nobody replies"
    suggestion = offline.suggest(again, channel="twitter", now=NOW)
    assert [e.trigger for e in suggestion.analysis.escalations] == ["repeated_contact"]
    dm = offline.kb.locale("en").lines.take_private.split("{")[0]
    for draft in suggestion.drafts:
        assert draft.citations == [] and draft.needs_escalation
        assert dm in draft.text and len(draft.text) <= 280


def test_a_customer_writing_again_gets_the_answer_beside_the_escalation(
    offline: Assistant,
) -> None:
    suggestion = offline.suggest(
        "This is the third time I'm writing: I sent the rug back two weeks ago and my "
        "refund still hasn't reached my card.",
        channel="email",
        now=NOW,
    )
    assert [e.trigger for e in suggestion.analysis.escalations] == ["repeated_contact"]
    refund = offline.kb.answer("refund-status", "en", "informal") or ""
    for draft in suggestion.drafts:
        assert draft.needs_escalation
        assert draft.citations == ["refund-status"]
        assert "Customer Care Leads" in draft.text
        assert refund.split(".")[0] in draft.text
