"""Spot instructions injected into a customer message ("ignore previous instructions").

The message is always treated as data; these markers are shown to the agent, carried
into the LLM prompt as a warning, and used by a check that flags drafts echoing them.
"""

from __future__ import annotations

import re

from assistant.types import InjectionMarker, Span

_PATTERNS = [
    # English
    r"ignore (?:all |any )?(?:the )?(?:previous|prior|above|earlier|your) "
    r"(?:instructions?|rules|prompts?|guidelines)",
    r"disregard (?:all |any )?(?:the )?(?:previous|prior|above|your) \w+",
    r"forget (?:all |everything |your )(?:instructions|rules|you were told)?",
    r"(?:reveal|show|print|repeat) (?:me )?(?:your|the) (?:system )?(?:prompt|instructions)",
    r"you are now (?:a|an|in) ",
    r"\bact as (?:a|an) ",
    r"\bsystem prompt\b",
    r"\bjailbreak\b",
    r"\bdeveloper mode\b",
    r"</?\s*(?:system|assistant|customer_message|instructions?)\s*>",
    # Other languages of the sample brand
    r"ignora (?:todas )?las instrucciones",
    r"ignore[zr]? (?:toutes )?les instructions",
    r"ignorier(?:e|en sie)? (?:alle )?(?:vorherigen |bisherigen )?anweisungen",
    r"ignor(?:e|a|em) (?:todas )?(?:as )?instru(?:ç|c)(?:õ|o)es",
    r"abaikan (?:semua )?(?:arahan|instruksi|perintah)",
    r"पिछले निर्देश(?:ों)? (?:को )?(?:अनदेखा|नज़रअंदाज़|भूल)",
    r"(?:pichle|saare) instructions? (?:ignore|bhool)",
    r"(?:以前|前|上)の指示(?:は|を)(?:すべて|全て)?無視",
    r"指示を(?:すべて|全て)?無視",
    r"忽略(?:之前|以上|前面)?(?:的)?(?:所有|全部)?(?:的)?(?:指令|指示|说明)",
    r"تجاهل (?:جميع |كل )?(?:التعليمات|الأوامر)",
    r"անտեսե(?:ք|ր|իր) (?:նախորդ )?(?:բոլոր )?հրահանգները",
    r"անտեսիր (?:նախորդ )?(?:բոլոր )?հրահանգները",
    r"(?:ముందు|మునుపటి) (?:సూచనలను|ఆదేశాలను) (?:పట్టించుకోవద్దు|విస్మరించండి|వదిలేయండి)",
    r"(?:পূর্বের|আগের) (?:সব )?নির্দেশ(?:না)? (?:উপেক্ষা|ভুলে)",
    r"(?:અગાઉની|પહેલાંની) (?:બધી )?સૂચનાઓ (?:અવગણો|ભૂલી)",
]
INJECTION = re.compile("|".join(f"(?:{p})" for p in _PATTERNS), re.IGNORECASE)


def find_injection(text: str) -> list[InjectionMarker]:
    """Phrases in `text` that try to instruct the assistant, with their spans."""
    return [InjectionMarker(text=m.group(), span=Span(start=m.start(), end=m.end()))
            for m in INJECTION.finditer(text)]


def injected_instruction(text: str, marker: InjectionMarker) -> str:
    """The instruction that follows a marker, up to the end of its sentence."""
    rest = text[marker.span.end :]
    end = re.search(r"[.!?\n。！？]", rest)
    return rest[: end.start()].strip(" ,:;-") if end else rest.strip(" ,:;-")
