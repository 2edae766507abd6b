"""Malay words in mostly-English chat (Manglish) come out Malay; ordinary English stays.

Every sentence here was written for these tests (no benchmark text).
"""

from __future__ import annotations

import pytest

from assistant.language import detect_language
from assistant.language.detect import word_tokens
from assistant.language.manglish import evidence, rescore
from assistant.language.names import plain_english, without_names
from assistant.language.romanised import read_weights

MANGLISH = [
    "I kena charged twice for one order, please check",
    "Can you hantar to my office instead of my house?",
    "My voucher tak apply at checkout, why ah?",
    "The bedsheet colour macam faded after one wash",
    "Why my refund still tak masuk after 2 weeks",
    "Barang dah sampai but the wrong colour, what to do?",
    "Hi, can I change my address? I dah pindah",
    "Nak tanya, the warranty berapa lama for the fan?",
]

ENGLISH = [
    "Can I pay via Touch 'n Go?",
    "Please deliver to my kampung house address in Kedah",
    "I ordered the batik cushion cover last week, where is it?",
    "My name is Siti Aminah, order number in DM",
    "Still waiting for my refund, so slow lah you guys",  # a particle alone: Singapore English too
    "Kat and I went to the mall, tak was closed so we left",  # names in subject position
    "I love the pun on your new sofa ad, so clever",
]

# Malay words in text that is not Malay inside English: the rule leaves it alone.
OTHERS = [
    ("id", "min barang aku udah sampai tapi rusak, gimana dong"),  # Indonesian chat
    ("tl", "Pwede po bang i-refund na lang yung bayad ko?"),  # Tagalog
    ("hi", "bhai mera order abhi tak nahi aaya"),  # Hindi "tak" (until)
    ("fr", "je ne sais pas quoi faire avec ma commande"),  # French "je"
    ("nl", "Het huis was van een tak van de familie, en dat is het nog steeds"),  # Dutch "tak"
]


@pytest.mark.parametrize("text", MANGLISH)
def test_malay_words_in_english_make_the_text_malay(text: str) -> None:
    detection = detect_language(text)
    assert (detection.language, detection.script) == ("ms", "Latn")
    assert detection.candidates[1].language == "en"


@pytest.mark.parametrize("text", ENGLISH)
def test_english_with_loanwords_names_or_a_particle_stays_english(text: str) -> None:
    assert detect_language(text).language == "en"


@pytest.mark.parametrize(("language", "text"), OTHERS)
def test_indonesian_tagalog_hindi_and_french_are_not_pulled_in(language: str, text: str) -> None:
    detection = detect_language(text)
    assert detection.language == language
    assert detection.method != "manglish"


def test_one_malay_word_is_unreliable_and_several_are_reliable() -> None:
    one = detect_language("Can you hantar to my office instead of my house?")
    several = detect_language("The lamp I bought tak boleh switch on, dah try everything")
    assert one.method == several.method == "manglish"
    assert one.language == several.language == "ms"
    assert not one.reliable
    assert several.reliable
    assert several.confidence > one.confidence


def test_evidence_needs_an_english_frame_and_a_strong_marker() -> None:
    assert evidence(word_tokens("I kena charged twice")) == 2.0
    assert evidence(word_tokens("kena charged twice")) == 0.0  # no English function word
    assert evidence(word_tokens("the salah and the lama")) == 0.0  # weak markers only
    assert evidence(word_tokens("I kena charged udah twice")) == 0.0  # Indonesian veto


def test_one_marker_does_not_turn_a_long_english_message_malay() -> None:
    long = (
        "I ordered the grey sofa cover three weeks ago and it still has not arrived, the "
        "tracking page has not changed since Monday, the courier does not answer, can you "
        "please check what happened and hantar it again"
    )
    assert evidence(word_tokens(long)) == 0.0
    assert detect_language(long).language == "en"


def test_rescore_rereads_only_english_tagalog_and_swahili_answers() -> None:
    tokens = word_tokens("I kena charged twice for one order")
    assert rescore({"id": 0.6, "en": 0.4}, tokens) is None  # the ms/id model splits these
    assert rescore({"ms": 0.6, "en": 0.4}, tokens) is None
    assert rescore({"nl": 0.9, "en": 0.1}, tokens) is None
    assert rescore({"sw": 0.5, "en": 0.4}, tokens) is not None
    mixed = rescore({"en": 0.9, "tl": 0.1}, tokens)
    assert mixed is not None and mixed["ms"] > mixed["en"]


def test_word_lists_are_lower_case_word_weight_tables() -> None:
    markers = read_weights("manglish_markers.txt")
    frame = read_weights("english_frame_words.txt")
    assert len(markers) > 100 and len(frame) > 30
    assert all(word == word.lower() and 0 < weight <= 2 for word, weight in markers.items())
    assert not set(markers) & set(frame)


# Names alone do not take English away (assistant/language/names.py).
NAMED = [
    "Do you ship to Kuala Lumpur and Penang?",
    "Is the rattan chair available in Johor Bahru?",
    "Can I pay with GrabPay or Boost?",
    "Please send it to Jalan Ampang, not Jalan Tun Razak",
]


@pytest.mark.parametrize("text", NAMED)
def test_english_around_malaysian_names_stays_english(text: str) -> None:
    detection = detect_language(text)
    assert (detection.language, detection.method) == ("en", "names")


def test_names_do_not_override_malay_hindi_or_indonesian_words() -> None:
    assert detect_language("Boleh hantar ke Kuala Lumpur tak?").language == "ms"
    assert detect_language("Bhai mera order Mumbai kab aayega").language == "hi"
    assert detect_language("Kak, paket saya ke Surabaya belum sampai").language == "id"


def test_without_names_keeps_the_first_word_and_plain_english_needs_a_frame() -> None:
    assert without_names("Do you ship to Kuala Lumpur") == "Do you ship to"
    assert without_names("do you ship there") is None
    assert plain_english(["do", "you", "ship", "to"])
    assert not plain_english(["ship", "to", "penang"])  # no English function word
    assert not plain_english(["can", "you", "hantar", "to"])  # a Malay word
