"""channel.*: length, unfilled placeholders, allowed link domains, links and emoji policy."""

from __future__ import annotations

import pytest

from assistant.checks import ChannelCheck
from assistant.checks.channel import find_links
from assistant.knowledge import KnowledgeBase
from tests.checks.checks_support import findings, ids, make_context

CHECK = ChannelCheck()

GOOD = [
    (
        "en",
        "twitter",
        "Hi Anna, track your order at https://nimbushome.example/track – Nimbus Care",
    ),
    (
        "de",
        "email",
        "Hallo Anna, Ihre Sendung finden Sie unter https://help.nimbushome.example/returns.",
    ),
    ("hi", "twitter", "नमस्ते, अपना ऑर्डर https://nimbushome.example/track पर ट्रैक करें।"),
    ("ja", "wechat", "こんにちは。nimbushome.example/track でご確認いただけます。"),
    ("hy", "instagram", "Բարև Ձեզ։ Շնորհակալություն 🙏"),
]


@pytest.mark.parametrize(("language", "channel", "text"), GOOD)
def test_a_reply_that_fits_its_channel_passes(
    kb: KnowledgeBase, language: str, channel: str, text: str
) -> None:
    assert findings(CHECK, text, make_context(kb, language, channel=channel)) == []  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("language", "unit"),
    [
        ("en", "Thanks for waiting. "),
        ("de", "Danke für Ihre Geduld. "),
        ("zh", "感谢您的耐心等待。"),
        ("hi", "धैर्य रखने के लिए धन्यवाद। "),
    ],
)
def test_a_reply_over_the_channel_limit_blocks(kb: KnowledgeBase, language: str, unit: str) -> None:
    text = unit * (281 // len(unit) + 1)
    found = findings(CHECK, text, make_context(kb, language, channel="twitter"))
    assert [(f.id, f.severity) for f in found] == [("channel.too_long", "block")]
    assert found[0].span is not None and found[0].span.start == 280
    assert "280" in found[0].message and "X (Twitter)" in found[0].message


@pytest.mark.parametrize(
    ("language", "text", "placeholder"),
    [
        ("en", "Hi {name}, your order ships today.", "{name}"),
        ("es", "Hola {{ customer }}, gracias.", "{{ customer }}"),
        ("hi", "नमस्ते [NAME], धन्यवाद।", "[NAME]"),
        ("ja", "{name}様、こんにちは。", "{name}"),
        ("ar", "مرحبًا <CUSTOMER_NAME>، شكرًا لك.", "<CUSTOMER_NAME>"),
    ],
)
def test_an_unfilled_placeholder_blocks(
    kb: KnowledgeBase, language: str, text: str, placeholder: str
) -> None:
    found = findings(CHECK, text, make_context(kb, language, channel="email"))
    assert ids(found) == ["channel.placeholder"] and found[0].severity == "block"
    span = found[0].span
    assert span is not None and text[span.start : span.end] == placeholder


@pytest.mark.parametrize(
    ("language", "text", "link"),
    [
        ("en", "Hi, see https://bit.ly/refund-now for details.", "https://bit.ly/refund-now"),
        ("fr", "Bonjour, voir www.amazon.fr/aide.", "www.amazon.fr/aide"),
        ("te", "నమస్కారం, evil-nimbushome.com/login చూడండి.", "evil-nimbushome.com/login"),
        (
            "zh",
            "您好，请访问 https://nimbushome.example.cn.evil.io/x 。",
            "https://nimbushome.example.cn.evil.io/x",
        ),
    ],
)
def test_a_link_outside_the_allowed_domains_blocks(
    kb: KnowledgeBase, language: str, text: str, link: str
) -> None:
    found = findings(CHECK, text, make_context(kb, language, channel="email"))
    assert [(f.id, f.severity) for f in found] == [("channel.link_domain", "block")]
    assert link in found[0].message


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Hi Mia, start your return at https://help.nimbushome.example/returns"),
        ("pt", "Olá! Veja https://nimbushome.example/track"),
        ("bn", "প্রিয় গ্রাহক, https://nimbushome.example/track দেখুন।"),
    ],
)
def test_an_allowed_link_on_a_channel_without_links_warns(
    kb: KnowledgeBase, language: str, text: str
) -> None:
    found = findings(CHECK, text, make_context(kb, language, channel="instagram"))
    assert [(f.id, f.severity) for f in found] == [("channel.links_disabled", "warn")]


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Thanks so much! 😊"),
        ("de", "Vielen Dank! 👍"),
        ("ja", "ありがとうございます🙏"),
        ("ar", "شكرًا جزيلًا ❤️"),
    ],
)
def test_emoji_on_a_channel_without_emoji_warns(
    kb: KnowledgeBase, language: str, text: str
) -> None:
    found = findings(CHECK, text, make_context(kb, language, channel="email"))
    assert [(f.id, f.severity) for f in found] == [("channel.emoji", "warn")]


def test_emoji_are_checked_against_the_brand_policy_too(kb: KnowledgeBase) -> None:
    brand = kb.brand.model_copy(update={"emoji_policy": "none"})
    plain = type(kb)(kb.root, brand, kb.channels, kb.tones, kb.locales, kb.faq)
    found = findings(CHECK, "Thanks! 😊", make_context(plain, "en", channel="instagram"))
    assert ids(found) == ["channel.emoji"] and "brand" in found[0].message


def test_many_emoji_on_a_sparing_channel_is_a_note(kb: KnowledgeBase) -> None:
    found = findings(CHECK, "Yay 🎉🎉🎉🎉", make_context(kb, "en", channel="twitter"))
    assert [(f.id, f.severity) for f in found] == [("channel.emoji_many", "info")]


def test_links_are_found_with_or_without_a_scheme_but_not_in_emails() -> None:
    text = "Mail care@nimbushome.example or see www.nimbushome.example/help, https://a.example/x."
    assert [link for link, _ in find_links(text)] == [
        "www.nimbushome.example/help",
        "https://a.example/x",
    ]


@pytest.mark.parametrize(
    "link",
    [
        "ftp://nimbushome.example/manual.pdf",
        "javascript:alert(document.cookie)",
        "JaVaScRiPt:alert(1)",
        "java\u200bscript:alert(1)",
        "ｊａｖａｓｃｒｉｐｔ:alert(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "file:///etc/passwd",
    ],
)
def test_unsafe_link_schemes_are_blocked_whatever_the_domain(kb: KnowledgeBase, link: str) -> None:
    text = f"Hi Anna, see {link} for details – Nimbus Care"
    found = findings(CHECK, text, make_context(kb, "en", channel="email"))
    (scheme,) = [f for f in found if f.id == "channel.link_scheme"]
    assert scheme.severity == "block"
    assert scheme.span is not None and text[scheme.span.start : scheme.span.end] == link


def test_the_word_data_with_a_colon_is_not_a_link(kb: KnowledgeBase) -> None:
    text = "Hi Anna, your data: we never share it – Nimbus Care"
    assert "channel.link_scheme" not in ids(
        findings(CHECK, text, make_context(kb, "en", channel="email"))
    )
