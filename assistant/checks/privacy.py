"""Personal data in a public reply, and requests for it that do not move to a private
channel.

Only replies on channels with `visibility: public` are checked. A request is a sentence
that names personal data (order number, address, phone, card, e-mail, password); it is
fine when the same sentence moves the conversation private: it names the channel's
private alternative ("DM"), a private-message word, or it is the locale pack's own
take-private line. The pack's private-data warning ("don't post your order number")
is not a request.
"""

from __future__ import annotations

from assistant.checks._text import (
    Range,
    approved_spans,
    brand_values,
    contains_any,
    find_any,
    mask,
    per_kb,
    sentence_of,
    sentence_spans,
)
from assistant.checks.base import CheckContext
from assistant.checks.channel import find_links
from assistant.knowledge import fill
from assistant.types import Draft, Finding, PrivateDatum, Span
from assistant.understanding.private_data import find_private_data

PRIVATE_DATA: dict[str, tuple[str, ...]] = {
    "en": (
        "order number*",
        "order no",
        "order #",
        "order id",
        "your address",
        "home address",
        "delivery address",
        "shipping address",
        "phone number*",
        "mobile number*",
        "card number*",
        "card details",
        "payment details",
        "account number*",
        "booking number*",
    ),
    "es": (
        "número de pedido",
        "número del pedido",
        "tu dirección",
        "su dirección",
        "dirección de envío",
        "teléfono",
        "número de tarjeta",
        "datos de pago",
    ),
    "fr": (
        "numéro de commande",
        "votre adresse",
        "ton adresse",
        "adresse de livraison",
        "numéro de téléphone",
        "numéro de carte",
        "coordonnées bancaires",
    ),
    "de": (
        "bestellnummer*",
        "adresse*",
        "anschrift*",
        "telefonnummer*",
        "handynummer*",
        "kartennummer*",
        "kreditkarte*",
        "bankdaten",
        "zahlungsdaten",
        "kundennummer*",
    ),
    "pt": (
        "número do pedido",
        "seu endereço",
        "teu endereço",
        "endereço de entrega",
        "telefone",
        "número do cartão",
        "dados de pagamento",
    ),
    "hi": (
        "ऑर्डर नंबर*",
        "ऑर्डर संख्या*",
        "आपका पता",
        "अपना पता",
        "फ़ोन नंबर*",
        "फोन नंबर*",
        "मोबाइल नंबर*",
        "कार्ड नंबर*",
        "कार्ड की जानकारी",
    ),
    "ms": (
        "nombor pesanan",
        "nombor tempahan",
        "alamat",
        "nombor telefon",
        "nombor kad",
        "butiran pembayaran",
    ),
    "id": (
        "nomor pesanan*",
        "nomor order",
        "alamat",
        "nomor telepon",
        "nomor hp",
        "nomor kartu",
        "data pembayaran",
    ),
    "ar": (
        "رقم الطلب",
        "عنوانك",
        "العنوان",
        "رقم الهاتف",
        "رقم هاتفك",
        "رقم البطاقة",
        "بيانات الدفع",
    ),
    "ja": ("注文番号", "住所", "電話番号", "カード番号", "お支払い情報"),
    "zh": ("订单号", "订单编号", "地址", "电话", "手机号", "卡号", "支付信息"),
    "hy": ("պատվերի համար*", "հասցե*", "հեռախոսահամար*", "քարտի համար*"),
    "te": ("ఆర్డర్ నంబర్*", "చిరునామా*", "ఫోన్ నంబర్*", "కార్డ్ నంబర్*"),
    "bn": ("অর্ডার নম্বর*", "ঠিকানা*", "ফোন নম্বর*", "কার্ড নম্বর*"),
    "gu": ("ઓર્ડર નંબર*", "સરનામ*", "ફોન નંબર*", "કાર્ડ નંબર*"),
}

PRIVATE_CHANNEL: tuple[str, ...] = (
    "DM",
    "DMs",
    "direct message*",
    "private message*",
    "privately",
    "in private",
    "inbox",
    "mensaje privado",
    "mensaje directo",
    "por privado",
    "message privé",
    "en privé",
    "messagerie privée",
    "Direktnachricht*",
    "private Nachricht*",
    "privat",
    "mensagem privada",
    "mensagem direta",
    "no privado",
    "निजी संदेश",
    "प्राइवेट मैसेज",
    "mesej peribadi",
    "secara peribadi",
    "pesan pribadi",
    "secara pribadi",
    "رسالة خاصة",
    "الرسائل الخاصة",
    "الخاص",
    "ダイレクトメッセージ",
    "個別メッセージ",
    "私信",
    "私聊",
    "անձնական նամակ*",
    "ప్రైవేట్ మెసేజ్*",
    "ব্যক্তিগত বার্তা*",
    "ইনবক্স*",
    "ખાનગી સંદેશ*",
)


class PrivacyCheck:
    """privacy.data_in_public (block), privacy.request_in_public (warn)."""

    id = "privacy"

    def check(self, draft: Draft, context: CheckContext) -> list[Finding]:
        policy = context.kb.channels.get(context.message.channel)
        if policy is None or policy.visibility != "public":
            return []
        spans = approved_spans(
            draft.text, context.kb, draft.citations, context.reply_language, context.message.channel
        )
        spans += [(s.start, s.end) for _, s in find_links(draft.text)]
        text = mask(draft.text, spans)  # approved text neither posts nor asks for data
        return _posted(text, draft.text, context, policy.label) + _requests(
            text, context, policy.label
        )


def _posted(text: str, original: str, context: CheckContext, label: str) -> list[Finding]:
    if not any(c.isdigit() for c in text) and "@" not in text:
        return []  # every kind of personal data has a digit or an @
    return [
        _posted_finding(d, original, label) for d in find_private_data(text, context.reply_language)
    ]


def _posted_finding(datum: PrivateDatum, original: str, label: str) -> Finding:
    kind = datum.kind.replace("_", " ")
    shown = original[datum.span.start : datum.span.end]
    return Finding(
        id="privacy.data_in_public",
        severity="block",
        span=datum.span,
        message=f"The reply shows a {kind} (“{shown}”) on {label}, a public "
        f"channel. Remove it and continue in a private message.",
    )


def _requests(text: str, context: CheckContext, label: str) -> list[Finding]:
    kb, language = context.kb, context.reply_language
    pack = kb.locale(language)
    nouns = (*PRIVATE_DATA.get(language, ()), *PRIVATE_DATA["en"])
    alternative = kb.channels[context.message.channel].private_alternative
    private_words = per_kb(kb, "private-words", lambda: _private_words(context))
    example = fill(pack.lines.take_private, brand_values(kb, context.message.channel))
    sentences = sentence_spans(text)
    findings: list[Finding] = []
    seen: set[Range] = set()
    for match in find_any(text, nouns):
        sentence = sentence_of(sentences, match.start())
        if sentence in seen or contains_any(text[sentence[0] : sentence[1]], private_words):
            continue
        seen.add(sentence)
        findings.append(
            Finding(
                id="privacy.request_in_public",
                severity="warn",
                span=Span(start=match.start(), end=match.end()),
                message=f"Asks about “{match.group()}” in a public {label} reply without moving "
                f"to a private channel. Ask for it by {alternative or 'private message'} instead "
                f"(e.g. “{example}”).",
            )
        )
    return findings


def _private_words(context: CheckContext) -> tuple[str, ...]:
    """Words that move a conversation private: DM, the private channels' names..."""
    names = [alt for policy in context.kb.channels.values() if (alt := policy.private_alternative)]
    for name, policy in context.kb.channels.items():
        if policy.visibility == "private":
            names += [name, policy.label]
    return (*PRIVATE_CHANNEL, *dict.fromkeys(names))
