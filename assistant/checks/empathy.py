"""Feelings acknowledged: empathy when the customer is upset, thanks when they praise.

The locale pack's empathy and apology lines count, and so do their key words in any
phrasing ("sorry", "entschuldigen", "申し訳"), so an agent's own wording passes.
Thanks count from the pack's thanks and praise lines and its `cues.thanks` words.
"""

from __future__ import annotations

from assistant.checks._text import contains_any
from assistant.checks.base import CheckContext
from assistant.types import Draft, Finding

#: Key words of empathy and apology; a trailing * matches word prefixes.
EMPATHY: dict[str, tuple[str, ...]] = {
    "en": (
        "sorry",
        "apolog*",
        "understand*",
        "frustrat*",
        "inconvenien*",
        "regret*",
        "worrying",
        "upsetting",
        "annoying",
        "disappoint*",
    ),
    "es": (
        "siento",
        "sentimos",
        "lament*",
        "disculp*",
        "entiendo",
        "entendemos",
        "comprendo",
        "comprendemos",
        "molestia*",
        "frustra*",
        "perdón",
    ),
    "fr": (
        "désolé*",
        "excuse*",
        "comprends",
        "comprenons",
        "navré*",
        "regrett*",
        "désagrément*",
        "agacement",
        "inquiète",
        "inquiet*",
    ),
    "de": (
        "leid",
        "entschuldig*",
        "verstehe*",
        "bedauer*",
        "unannehmlichkeit*",
        "ärgerlich",
        "sorge*",
        "verständnis",
    ),
    "pt": (
        "desculpa*",
        "sentimos",
        "lament*",
        "entendo",
        "entendemos",
        "compreendo",
        "transtorno*",
        "frustrante",
        "preocupação",
    ),
    "hi": (
        "खेद",
        "माफ़ी",
        "माफी",
        "क्षमा",
        "समझते",
        "समझ सकते",
        "अफ़सोस",
        "अफसोस",
        "असुविधा",
        "परेशान",
        "चिंता",
        "sorry",
    ),
    "ms": ("maaf", "faham", "memahami", "kesal", "kebimbangan", "mengecewakan", "kesulitan"),
    "id": ("maaf", "paham", "mengerti", "memahami", "kesal", "khawatir", "menyesal"),
    "ar": ("نعتذر", "نأسف", "نتفهم*", "نتفهّم*", "آسف*", "اعتذار*", "إزعاج*", "قلقك"),
    "ja": ("申し訳", "失礼", "お察し", "ご迷惑", "ご不便", "すみません", "ご心配", "お詫び"),
    "zh": ("抱歉", "对不起", "理解", "不便", "歉意", "着急", "闹心"),
    "hy": ("ներողություն*", "ափսոս*", "հասկանում*", "մտահոգ*", "անհարմարությ*", "տհաճ*"),
    "te": ("క్షమించ*", "అర్థం*", "ఇబ్బంది*", "చింతి*", "ఆందోళన*"),
    "bn": ("দুঃখিত", "ক্ষমা*", "বুঝতে", "অসুবিধা*", "বিরক্তিকর", "দুশ্চিন্তা*"),
    "gu": ("માફ*", "દિલગીર*", "સમજી*", "અસુવિધા*", "હેરાન*", "ચિંતા*"),
}

THANKS: dict[str, tuple[str, ...]] = {
    "en": ("thank*", "grateful", "appreciate*"),
    "es": ("gracias", "agradec*"),
    "fr": ("merci", "remerci*"),
    "de": ("danke*", "dank"),
    "pt": ("obrigad*", "agradec*"),
    "hi": ("धन्यवाद", "शुक्रिया", "आभार*"),
    "ms": ("terima kasih", "menghargai"),
    "id": ("terima kasih", "makasih", "menghargai"),
    "ar": ("شكر*", "نشكر*", "ممتن*"),
    "ja": ("ありがとう", "感謝", "嬉しく"),
    "zh": ("感谢", "谢谢", "多谢"),
    "hy": ("շնորհակալ*",),
    "te": ("ధన్యవాద*", "కృతజ్ఞత*"),
    "bn": ("ধন্যবাদ*", "কৃতজ্ঞ*"),
    "gu": ("આભાર*", "ધન્યવાદ*"),
}


class EmpathyCheck:
    """empathy.missing (warn), empathy.no_thanks (warn)."""

    id = "empathy"

    def check(self, draft: Draft, context: CheckContext) -> list[Finding]:
        analysis = context.analysis
        language = context.reply_language
        pack = context.kb.locale(language)
        findings: list[Finding] = []
        if analysis.sentiment == "negative":
            phrases = (*pack.lines.empathy, *pack.lines.apology, *_words(EMPATHY, language))
            if not contains_any(draft.text, phrases):
                example = pack.lines.empathy[0]
                findings.append(
                    Finding(
                        id="empathy.missing",
                        severity="warn",
                        message="The customer is upset but the reply does not acknowledge it; "
                        f"open with an empathy or apology line (e.g. “{example}”).",
                    )
                )
        if analysis.intent == "praise":
            phrases = (
                *pack.lines.thanks,
                pack.lines.praise,
                *pack.cues.thanks,
                *_words(THANKS, language),
            )
            if not contains_any(draft.text, phrases):
                findings.append(
                    Finding(
                        id="empathy.no_thanks",
                        severity="warn",
                        message="The customer praised the brand but the reply does not thank "
                        f"them; add a thank-you (e.g. “{pack.lines.thanks[0]}”).",
                    )
                )
        return findings


def _words(lexicon: dict[str, tuple[str, ...]], language: str) -> tuple[str, ...]:
    return (*lexicon.get(language, ()), *(lexicon["en"] if language != "en" else ()))
