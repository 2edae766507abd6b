"""Fixtures for the LLM drafter tests: a tiny knowledge base (en + de), requests, a
local OpenAI-compatible server and drafters wired to it. No test reaches the network."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from assistant.drafting import llm, switch
from assistant.drafting.base import DraftRequest, FunctionDrafter
from assistant.knowledge import KnowledgeBase
from assistant.knowledge.models import (
    Brand,
    ChannelPolicy,
    Conventions,
    FaqEntry,
    LanguagePolicy,
    Lines,
    LocalePack,
    RegisterForms,
    SupportHours,
    Tone,
    Voice,
)
from assistant.settings import Settings
from assistant.types import Analysis, Hit, Message
from tests.support.openai_server import OpenAIServer

FALLBACK_TEXT = "Scripted fallback reply."


@pytest.fixture(autouse=True)
def _no_model_requests(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only servers on loopback may be called from these tests."""
    monkeypatch.setattr(switch, "ALLOW_MODEL_REQUESTS", False)


def _lines(word: str) -> Lines:
    return Lines(
        empathy=[f"{word} empathy."],
        apology=[f"{word} sorry."],
        thanks=[f"{word} thanks."],
        take_private=f"{word} DM {{channel}}.",
        private_data_warning=f"{word} no data.",
        hours=f"{word} {{hours}}.",
        away=f"{word} away {{hours}}.",
        clarify=f"{word} clarify?",
        escalate=f"{word} {{team}}.",
        praise=f"{word} praise!",
        ai_disclosure=f"{word} bot.",
    )


def _pack(
    language: str,
    name: str,
    register: str,
    forms: dict[str, RegisterForms],
    notes: list[str],
    avoid: list[str],
    directness: str,
) -> LocalePack:
    return LocalePack.model_validate(
        {
            "language": language,
            "name": name,
            "register": register,
            "registers": forms,
            "lines": _lines(name),
            "directness": directness,
            "avoid": avoid,
            "conventions": Conventions(date="DD.MM.YYYY", time="24h", decimal=",", thousands="."),
            "cultural_notes": notes,
        }
    )


def _faq(faq_id: str, answers: dict[str, str], timeline: str | None = None) -> FaqEntry:
    return FaqEntry(
        id=faq_id,
        intent=faq_id,
        owner="tests",
        last_reviewed=dt.date(2026, 1, 1),
        timeline=timeline,
        needs_private_data=faq_id == "order-status",
        questions={lang: [f"{faq_id}?"] for lang in answers},
        answers=answers,
    )


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    """A minimal brand in English and German with two FAQ entries."""
    brand = Brand(
        name="Nimbus Home",
        voice=Voice(
            attributes=["warm", "clear"],
            do=["Use the customer's name."],
            dont=["Promise dates the FAQ does not give."],
        ),
        sign_off="Nimbus Care",
        banned_phrases=["calm down", "per our policy"],
        allowed_link_domains=["nimbushome.example"],
        response_targets={"twitter": 60, "email": 1440},
        support_hours=[
            SupportHours(
                region="Europe",
                timezone="Europe/Berlin",
                days=["mon", "fri"],
                open="08:00",
                close="19:00",
                languages=["de", "en"],
            )
        ],
        languages=LanguagePolicy(supported=["en", "de"], default="en"),
        placeholders={"track_url": "https://nimbushome.example/track"},
    )
    en_forms = {
        "formal": RegisterForms(
            address="you",
            greeting="Hello {name},",
            greeting_no_name="Hello,",
            closing="Kind regards, {brand}",
        ),
        "informal": RegisterForms(
            address="you", greeting="Hi {name},", greeting_no_name="Hi there,", closing="– {brand}"
        ),
    }
    de_forms = {
        "formal": RegisterForms(
            address="Sie",
            greeting="Guten Tag {name},",
            greeting_no_name="Guten Tag,",
            closing="Mit freundlichen Grüßen, {brand}",
        ),
        "informal": RegisterForms(
            address="du",
            greeting="Hallo {name},",
            greeting_no_name="Hallo,",
            closing="Viele Grüße, {brand}",
        ),
    }
    locales = {
        "en": _pack(
            "en",
            "English",
            "informal",
            en_forms,
            ["Answer first, then details."],
            ["ASAP"],
            "direct",
        ),
        "de": _pack(
            "de",
            "Deutsch",
            "formal",
            de_forms,
            ["Use Sie with customers you do not know."],
            ["Alles paletti"],
            "direct",
        ),
    }
    faq = {
        "order-status": _faq(
            "order-status",
            {
                "en": "Most orders arrive within 3-5 business days: {track_url}",
                "de": "Die meisten Bestellungen kommen in 3-5 Werktagen an: {track_url}",
            },
            timeline="3-5 business days",
        ),
        "returns": _faq("returns", {"en": "You can return items within 30 days."}),
    }
    return KnowledgeBase(
        root=Path("tests-kb"),
        brand=brand,
        channels={
            "twitter": ChannelPolicy(
                label="X (Twitter)", max_length=280, visibility="public", private_alternative="DM"
            ),
            "email": ChannelPolicy(
                label="Email", max_length=4000, visibility="private", emoji="none"
            ),
        },
        tones={
            "empathetic": Tone(
                description="Acknowledge feelings first.", when=["negative"], empathy=True
            ),
            "formal": Tone.model_validate(
                {"description": "Polite and precise.", "when": ["neutral"], "register": "formal"}
            ),
        },
        locales=locales,
        faq=faq,
    )


RequestFactory = Callable[..., DraftRequest]


@pytest.fixture
def make_request(kb: KnowledgeBase) -> RequestFactory:
    def make(
        text: str = "Wo ist meine Bestellung?",
        *,
        language: str = "de",
        channel: str = "twitter",
        hits: tuple[str, ...] = ("order-status",),
        tone: str = "empathetic",
        name: str | None = "Anna",
        **analysis: Any,
    ) -> DraftRequest:
        message = Message.model_validate({"text": text, "channel": channel, "customer_name": name})
        fields: dict[str, Any] = {
            "language": language,
            "sentiment": "negative",
            "sentiment_score": -0.4,
            "intent": "order-status",
        }
        return DraftRequest(
            message=message,
            analysis=Analysis(**{**fields, **analysis}),
            hits=[Hit(faq_id=h, score=0.9) for h in hits],
            language=language,
            tone=tone,
            kb=kb,
        )

    return make


def _good_reply(**overrides: Any) -> dict[str, Any]:
    reply = {
        "text": "Guten Tag Anna, die meisten Bestellungen kommen in 3-5 Werktagen an. "
        "Mit freundlichen Grüßen, Nimbus Care",
        "language": "de",
        "tone": "empathetic",
        "citations": ["order-status"],
        "confidence": 0.82,
        "needs_escalation": False,
    }
    return {**reply, **overrides}


@pytest.fixture
def good_reply() -> Callable[..., dict[str, Any]]:
    """A structured reply that passes every check for the default request."""
    return _good_reply


@pytest.fixture
def fallback_text() -> str:
    """What the scripted fallback drafter writes."""
    return FALLBACK_TEXT


@pytest.fixture
def server() -> Iterator[OpenAIServer]:
    with OpenAIServer() as srv:
        yield srv


class Sleeps(list[float]):
    """Records the waits a drafter asks for instead of sleeping."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


DrafterFactory = Callable[..., llm.LLMDrafter]


@pytest.fixture
def make_drafter(server: OpenAIServer, sleeps: Sleeps) -> Iterator[DrafterFactory]:
    """LLMDrafters on the local server (real ChatOpenAI); closed after the test."""
    made: list[llm.LLMDrafter] = []

    def make(
        *,
        timeout: float = 5.0,
        max_retries: int = 2,
        llm_cache: bool = False,
        cache_dir: Path | None = None,
        model: str = "gpt-4o-mini",
        **options: Any,
    ) -> llm.LLMDrafter:
        settings = Settings(
            openai_base_url=server.base_url,
            openai_api_key=None,
            timeout_s=timeout,
            max_retries=max_retries,
            llm_cache=llm_cache,
            cache_dir=cache_dir or Path(".assistant/cache"),
        )
        options.setdefault("fallback", FunctionDrafter(lambda request: FALLBACK_TEXT))
        options.setdefault("sleep", sleeps)
        # Loading the real detector's models takes seconds; one marked test uses it.
        options.setdefault("detect", lambda text, request: None)
        drafter = llm.LLMDrafter.from_settings(settings, model=model, **options)
        made.append(drafter)
        return drafter

    yield make
    for drafter in made:
        drafter.close()
