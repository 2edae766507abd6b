"""The offline composer with upset customers, in every brand language (sentences written
here, not from the evaluation dataset): sarcastic or 'thanks, but' praise is never thanked,
and a safety report opens with the brand's safety wording and goes to Product Safety."""

from __future__ import annotations

import pytest

from assistant.checks.lines import line_variants, team_name
from assistant.pipeline import Assistant
from assistant.text import contains_any
from tests.drafting.contract import NOW


@pytest.fixture(scope="module")
def offline() -> Assistant:
    return Assistant.load(backend="offline")


SARCASTIC = [
    "Amazing, charged twice again. Great work guys",
    "Thanks a lot for losing my order",
    "Gracias por nada, el reembolso nunca llegó",
    "Génial, colis perdu encore une fois. Merci beaucoup",
    "Perfekt, zweimal abgebucht. Danke schön",
    "Obrigada pela resposta, mas o entregador foi muito grosseiro",
    "ممتاز، وصلني المنتج مكسور. شكرا جزيلا",
    "बहुत बढ़िया सर्विस 🙄 दो हफ्ते हो गए ऑर्डर नहीं आया",
    "dhonnobad, abar bhanga jinish pathalen",
    "આભાર, ફરીથી તૂટેલી વસ્તુ મોકલી",
    "ధన్యవాదాలు, మళ్ళీ విరిగిన వస్తువు పంపారు",
    "Շնորհակալություն, բայց առաքիչը շատ կոպիտ էր",
    "Makasih kak, tapi kurirnya kasar banget",
    "Terima kasih banyak, caj dua kali lagi",
    "素晴らしい、また壊れた商品が届きました。ありがとうございます",
    "太棒了，又收到坏的了，谢谢你们",
]

SAFETY = [
    "My kid burned his hand on your kettle, the handle got red hot",
    "Me dio una descarga eléctrica la lámpara",
    "Mon fils s'est brûlé avec la bouilloire",
    "Aus dem Ventilator kommt Rauch",
    "Levei um choque da luminária",
    "ابني انحرق من الغلاية",
    "मेरे बच्चे का हाथ केतली से जल गया",
    "lamp se current laga mujhe",
    "আমার বাচ্চার হাত কেটলিতে পুড়ে গেছে",
    "મારા બાળકનો હાથ કીટલીથી દાઝી ગયો",
    "నా బిడ్డ చేయి కెటిల్‌తో కాలింది",
    "Երեխաս այրեց ձեռքը թեյնիկից",
    "Saya kesetrum lampunya",
    "Anak saya melecur tangan sebab cerek",
    "ヒーターから火が出ました",
    "台灯漏电，我被电了一下",
]


def _lines(offline: Assistant, locale: str, keys: tuple[str, ...]) -> list[str]:
    values = {**offline.kb.constants(), "channel": "DM"}
    return line_variants(offline.kb, locale, keys, values)


@pytest.mark.parametrize("text", SAFETY)
def test_a_safety_report_opens_with_the_safety_wording(offline: Assistant, text: str) -> None:
    suggestion = offline.suggest(text, channel="facebook", now=NOW)
    assert suggestion.analysis.escalations[0].trigger == "safety"
    locale = suggestion.reply_locale or suggestion.reply_language
    safety = _lines(offline, locale, ("safety",))
    for draft in suggestion.drafts:
        body = draft.text.split("\n")[1]  # the line after the greeting
        assert any(body.startswith(line) for line in safety), draft.text
        team = team_name(locale, "Product Safety")  # "Seguridad de Producto" in Spanish
        assert team in draft.text and draft.needs_escalation


@pytest.mark.parametrize("text", SAFETY)
def test_a_safety_report_gets_concern_not_frustration(offline: Assistant, text: str) -> None:
    """After a fire or a burn the empathy line is the composer's `concern` line, never
    the pack's "how frustrating this is"."""
    suggestion = offline.suggest(text, channel="facebook", now=NOW)
    locale = suggestion.reply_locale or suggestion.reply_language
    concern = _lines(offline, locale, ("concern",))
    empathy = _lines(offline, locale, ("empathy",))
    assert concern and not set(concern) & set(empathy)
    for draft in suggestion.drafts:
        assert not contains_any(draft.text, empathy), draft.text
    assert any(contains_any(d.text, concern) for d in suggestion.drafts)


def test_a_safety_report_is_not_sorry_for_a_wait(offline: Assistant) -> None:
    """ "Used it for two weeks" states the product's age, not a wait: no "we know you've
    been waiting far too long" beside the safety wording."""
    text = "Used the heater for two weeks and today it sparked and smelled of burning"
    suggestion = offline.suggest(text, now=NOW)
    assert suggestion.analysis.escalations[0].trigger == "safety"
    elapsed = _lines(offline, "en", ("elapsed",))
    assert elapsed and not any(contains_any(d.text, elapsed) for d in suggestion.drafts)


def test_a_complaint_without_danger_keeps_the_packs_empathy(offline: Assistant) -> None:
    suggestion = offline.suggest("The lamp arrived broken, I'm so annoyed", now=NOW)
    first = suggestion.drafts[0].text
    assert contains_any(first, _lines(offline, "en", ("empathy",)))
    assert not contains_any(first, _lines(offline, "en", ("concern",)))


# Praise or thanks beside a stated problem that is not a broken item: a delay, a wrong
# delivery, no help, an order cancelled without a word (written for a held-out check
# before the word lists had them; each was thanked then).
PRAISE_BESIDE_A_PROBLEM = [
    (
        "Great, another delay. Love how you keep moving the delivery date every single day.",
        "twitter",
    ),
    ("Thanks for the five automated replies and zero help. Brilliant.", "twitter"),
    ("Bravo, encore un retard. Quelle efficacité !", "facebook"),
    ("さすがですね、また遅延ですか👏", "facebook"),
    ("చాలా బాగుంది, మళ్ళీ ఆలస్యం. శభాష్ 👏", "facebook"),
    ("Սուպեր, էլի ուշացում։ Ապրեք 👏", "facebook"),
    ("شكراً جزيلاً لأنكم تجاهلتم رسائلي لمدة أسبوع.", "whatsapp"),
    ("Terima kasih banyak sebab cancel order saya tanpa bagitahu. Servis terbaik.", "whatsapp"),
    ("ألف شكر على المندوب اللي رمى الطرد عند الباب وراح.", "twitter"),
    (
        "Herzlichen Dank, dass ich drei Stunden in der Warteschleife hing. Spitzenservice.",
        "twitter",
    ),
]

GENUINE_PRAISE = [
    "Thank you so much, the lamp arrived early and looks gorgeous!",
    "Vielen Dank, alles super angekommen!",
    "非常感谢，台灯很快就到了，质量很好！",
]


@pytest.mark.parametrize(
    ("text", "channel"),
    [(text, "twitter") for text in SARCASTIC] + PRAISE_BESIDE_A_PROBLEM,
)
def test_sarcasm_thanks_but_and_praise_beside_a_problem_are_never_thanked(
    offline: Assistant, text: str, channel: str
) -> None:
    suggestion = offline.suggest(text, channel=channel, now=NOW)
    assert suggestion.analysis.sentiment == "negative"
    locale = suggestion.reply_locale or suggestion.reply_language
    thanks = _lines(offline, locale, ("thanks", "praise"))
    for draft in suggestion.drafts:
        assert not contains_any(draft.text, thanks), draft.text


@pytest.mark.parametrize("text", GENUINE_PRAISE)
def test_genuine_praise_is_still_thanked(offline: Assistant, text: str) -> None:
    suggestion = offline.suggest(text, channel="twitter", now=NOW)
    assert suggestion.analysis.intent == "praise"
    locale = suggestion.reply_locale or suggestion.reply_language
    thanks = _lines(offline, locale, ("thanks", "praise"))
    assert all(contains_any(draft.text, thanks) for draft in suggestion.drafts)


def test_a_praise_word_in_scare_quotes_beside_a_problem_is_not_praise(offline: Assistant) -> None:
    text = 'Loving the "premium" packaging 👏 two parts missing from the box.'
    suggestion = offline.suggest(text, channel="twitter", now=NOW)
    assert suggestion.analysis.intent == "damaged-item"  # its topic words: parts missing
    thanks = _lines(offline, "en", ("thanks", "praise"))
    assert not any(contains_any(draft.text, thanks) for draft in suggestion.drafts)


@pytest.mark.parametrize(
    "text",
    [
        "Hi, I'm a journalist writing about home-goods brands. Who can I ask for a comment?",
        "नमस्ते, मैं एक यूट्यूब चैनल चलाती हूँ, रिव्यू वीडियो के लिए आपकी PR टीम से बात हो सकती है?",
    ],
)
def test_a_neutral_press_enquiry_is_escalated_without_sympathy(
    offline: Assistant, text: str
) -> None:
    """A journalist or creator asking for a contact is not upset: the reply passes it to
    Communications without "we understand how upsetting this is" or an apology."""
    suggestion = offline.suggest(text, channel="email", now=NOW)
    assert [e.trigger for e in suggestion.analysis.escalations] == ["press"]
    assert suggestion.analysis.sentiment == "neutral"
    locale = suggestion.reply_locale or suggestion.reply_language
    sympathy = _lines(offline, locale, ("empathy", "apology"))
    for draft in suggestion.drafts:
        assert "Communications" in draft.text and draft.needs_escalation
        assert not contains_any(draft.text, sympathy), draft.text


@pytest.mark.parametrize(
    "text",
    [
        "Thank you! My lamp arrived broken and you sent a replacement in 2 days, great service",
        "Nimbus team ko thanks 🙏 jo lamp tuta aaya tha uska replacement 2 din me aa gaya",
        "शुक्रिया Nimbus, टूटा लैंप आया था, आपने 2 दिन में नया भेज दिया 🙏",
    ],
)
def test_thanks_for_a_problem_put_right_is_praise(offline: Assistant, text: str) -> None:
    """A broken item named beside thanks for its replacement is no sarcasm: thanked, not
    asked for a photo of the damage."""
    suggestion = offline.suggest(text, channel="facebook", now=NOW)
    assert suggestion.analysis.intent == "praise"
    assert suggestion.drafts[0].citations == []


def test_a_replacement_that_came_broken_again_is_still_sarcasm(offline: Assistant) -> None:
    suggestion = offline.suggest("Great 🙄 the replacement arrived broken too", now=NOW)
    assert suggestion.analysis.sentiment == "negative"


@pytest.mark.parametrize(
    ("text", "team"),
    [
        ("Mi hijo se quemó con la tetera, el mango estaba ardiendo", "Seguridad de Producto"),
        ("O aquecedor soltou faíscas e o meu filho queimou a mão", "de Segurança do Produto"),
    ],
)
def test_the_team_is_named_in_the_reply_language(offline: Assistant, text: str, team: str) -> None:
    suggestion = offline.suggest(text, channel="facebook", now=NOW)
    for draft in suggestion.drafts:
        assert team in draft.text and "Product Safety" not in draft.text, draft.text
