"""Conversation signals: the customer's register, a stated wait, repeated contact, and
the order in which escalations are handled."""

from __future__ import annotations

import pytest

from assistant.knowledge import KnowledgeBase, load_knowledge_base
from assistant.types import EscalationMatch
from assistant.understanding.analysis import analyze
from assistant.understanding.conversation import (
    CountWords,
    customer_register,
    elapsed_days,
    ordered,
    repeated_contact,
)


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge_base()


@pytest.mark.parametrize(
    ("language", "text", "register"),
    [
        ("es", "¿Podría usted revisar mi pedido, por favor?", "formal"),
        ("es", "oye, ¿tú sabes dónde está mi pedido? te escribo otra vez", "informal"),
        ("de", "Können Sie mir bitte sagen, wo meine Bestellung ist?", "formal"),
        ("de", "Sie ist noch nicht da.", None),  # "Sie" opening a sentence is "she"
        ("fr", "Pouvez-vous vérifier ma commande ?", "formal"),
        ("hi", "क्या तुम मेरा ऑर्डर देख सकते हो?", "informal"),
        ("en", "where is my order?", None),
    ],
)
def test_the_customers_register(kb: KnowledgeBase, language: str, text: str, register: str) -> None:
    assert customer_register(text, kb.locale(language)) == register


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("Order not arrived after two weeks", 14),
        ("10 दिन हो गए, पैसे वापस नहीं आए", 10),
        ("已经等了3周了", 21),
        ("ynd@amen 3 shabat a spasum em", 21),
        ("see you on Monday, holidays today", None),
        ("I've been waiting a month for my refund", 30),  # month_words: a month is 30
        ("já faz 2 meses e nada", 60),
        ("退款等了一个月还没到账", 30),
        ("退款等了好几天了还没到账", 3),  # 好几 = several: at least 3
        ("十来天了，物流一动不动", 10),
        ("等咗成個禮拜喇", 7),  # Cantonese: a whole week
        ("Der ist jetzt 14 Monate alt", None),  # more than 3 months: the product's age
        ("je dois renvoyer a mes frais ?", None),  # French "à mes", not "a month"
        ("my 'express' rug is now on day 12 of its world tour", 12),  # day_count_words
        ("We’re on day 6 of next day delivery", 6),
        ("it arrived on day 5, brilliant", None),  # when it came, not a wait going on
        ("@NimbusHome day 19. one lampshade. truly inspiring stuff.", 19),  # opening
        ("day 5 of using it, love it", None),  # the day count must end its sentence
        ("el día 19 llega?", None),  # a date asked, not a count
        ("if this is not resolved within 7 days I will sue", None),  # deadline_words
        ("waited 10 days, you promised delivery within 5 days", 10),
        ("remboursez-moi sous 8 jours", None),
    ],
)
def test_a_stated_wait_in_days(kb: KnowledgeBase, text: str, days: int | None) -> None:
    assert elapsed_days(text, CountWords.of(kb)) == days


def test_repeated_contact_is_recognised_in_a_long_message(kb: KnowledgeBase) -> None:
    text = (
        "hello?? this is my 4th message on here since Monday and all I get is the same "
        "automatic reply. " * 3
    )
    assert repeated_contact(text, CountWords.of(kb)) == "4th message"
    triggers = [e.trigger for e in analyze(text, kb, language="en").escalations]
    assert "repeated_contact" in triggers


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("card se 2 baar ₹1,899 kata hai", None),  # charged twice
        ("reset link 2 baar mangaya par mail nahi aaya", None),
        ("3 बार पैसे कट गए", None),
        ("ये तीसरी बार लिख रहा हूँ", "तीसरी बार"),  # an ordinal before "times" still counts
        ("3 मैसेज कर चुका हूँ, कोई सुनता नहीं", "3 मैसेज"),
        ("this is my 4th message", "4th message"),
        ("j'ai été débitée 2 fois pour la même commande", None),  # charged twice
        ("2 mal abgebucht", None),
        ("c'est mon 3e message", "3e message"),
    ],
)
def test_a_bare_number_of_times_is_no_repeated_contact(
    kb: KnowledgeBase, text: str, found: str | None
) -> None:
    assert repeated_contact(text, CountWords.of(kb)) == found


def test_again_and_again_needs_a_word_of_contacting(kb: KnowledgeBase) -> None:
    def triggers(text: str) -> list[str]:
        return [e.trigger for e in analyze(text, kb, language="hi").escalations]

    assert triggers("लॉगिन नहीं हो रहा, बार बार गलत पासवर्ड बोल रहा है") == []
    assert triggers("मैं बार-बार बता चुका हूँ कि लैंप टूटा है") == ["repeated_contact"]
    assert triggers("bar bar call kiya tab bhi lamp ka kuch nahi hua") == ["repeated_contact"]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("I tried several times to reset my password but the link never arrives", "en"),
        ("J'ai essayé plusieurs fois de me connecter, le mot de passe ne marche pas", "fr"),
        ("Ich habe mehrmals versucht, mein Passwort zurückzusetzen", "de"),
        ("He intentado varias veces cambiar mi contraseña y no puedo", "es"),
        ("Tentei várias vezes pagar com cartão e deu erro", "pt"),
        ("パスワードを何度も試したけどログインできません", "ja"),
    ],
)
def test_tries_counted_in_times_are_no_repeated_contact(
    kb: KnowledgeBase, text: str, language: str
) -> None:
    """'Several times' beside a word for trying counts attempts, not messages to us: the
    customer gets the answer, not a hand-over to the leads."""
    assert analyze(text, kb, language=language).escalations == []


@pytest.mark.parametrize(
    "text",
    [
        "I've written several times and nobody answers",
        "I tried calling many times, no reply at all",  # "no reply" is about us
        "Tried to call, third time now",  # "tried" beside it, but a word for a contact: "call"
    ],
)
def test_contacts_counted_beside_tries_still_escalate(kb: KnowledgeBase, text: str) -> None:
    triggers = [e.trigger for e in analyze(text, kb, language="en").escalations]
    assert triggers == ["repeated_contact"]


def test_safety_comes_before_legal() -> None:
    legal = EscalationMatch(trigger="legal_threat", team="Legal", channel="email", matched="sue")
    fire = EscalationMatch(trigger="safety", team="Product Safety", channel="phone", matched="fire")
    assert [e.trigger for e in ordered([legal, fire])] == ["safety", "legal_threat"]


def test_praise_words_with_a_long_wait_are_a_complaint(kb: KnowledgeBase) -> None:
    analysis = analyze("great service 👏 waiting 3 weeks for my lamp", kb, language="en")
    assert analysis.intent != "praise"
    assert analysis.needs_private  # nothing fits: the order must be looked up


@pytest.mark.parametrize(
    ("text", "found"),
    [
        # a verb of contacting, then the count ("emailed 4 times")
        ("Fantastic customer service. Emailed 4 times, zero replies.", "Emailed 4 times"),
        ("I've called your helpline 5 times today", "I've called your helpline 5 times"),
        ("llamé tres veces y nada", "llamé tres veces"),
        ("I was charged 2 times for one lamp", None),  # times_words: a count of anything
        ("I tried 3 times to reset my password", None),
        ("the courier called 2 times but I was out", None),  # not the customer contacting
        # de-398: a count written as a word before a contact word of its language
        ("Merci vielmal für die Antwort auf meine drei Mails. Es kam ja gar keine.", "drei Mails"),
        ("I sent three emails last week and heard nothing", "three emails"),
        ("je vous ai envoyé deux courriels sans réponse", "deux courriels"),
        ("ya les mandé tres correos", "tres correos"),
        ("já mandei duas mensagens e nada", "duas mensagens"),
        ("4 Nachrichten, keine Antwort", "4 Nachrichten"),  # plural contact words
        ("please do call me when the sofa ships", None),  # Hindi "do" (two) is too short
        ("o link do chat não abre", None),
        ("দুবার টাকা কেটেছে", None),  # charged twice: 'বার' is a word for times
        ("બે વાર પૈસા કપાયા", None),
        ("card nunchi rendu sarlu debit ayyindi", None),
        # te-402: in verb-final languages the count comes before the verb of contacting
        ("నాలుగు సార్లు కాల్ చేశాను", "నాలుగు సార్లు కాల్ చేశాను"),
        ("চারবার ফোন করেছি, কেউ ধরে না", "চারবার ফোন করেছি"),
        ("昨日から4回電話しました", "4回電話しました"),
        ("4 անգամ զանգել եմ", "4 անգամ զանգել եմ"),
        ("मैंने 4 बार कॉल किया", "मैंने 4 बार कॉल किया"),  # Hindi: the subject says who
        ("courier ne 2 baar call kiya", None),
        ("కొరియర్ 3 సార్లు కాల్ చేశాడు", None),  # he called: the courier
        ("কুরিয়ার দুবার ফোন করেছে", None),
        ("配達員から2回電話がありました", None),
        ("రెండు సార్లు డబ్బులు కట్ అయ్యాయి", None),  # charged twice
        ("ich habe schon 4 mal angerufen", "ich habe schon 4 mal angerufen"),
        ("der Fahrer hat 2 mal angerufen", None),
        ("j'ai appelé 4 fois, rien", "j'ai appelé 4 fois"),
        ("le livreur a appelé 2 fois", None),
        ("saya dah call 4 kali, takde orang angkat", "saya dah call 4 kali"),
        ("udah telpon 4 kali ga diangkat", "udah telpon 4 kali"),
        ("kurir udah telpon 2 kali", None),
        ("kena caj 2 kali", None),
    ],
)
def test_the_customer_counting_their_own_contacts_is_a_repeated_contact(
    kb: KnowledgeBase, text: str, found: str | None
) -> None:
    assert repeated_contact(text, CountWords.of(kb)) == found
