"""Providers other than OpenAI: backend ids, the switch, keys, missing packages, and the
Anthropic client's failures taking the same generic path (langchain's ModelError types)
to the offline draft. The Anthropic tests drive the real langchain-anthropic client
against a local Anthropic-compatible server (tests/support/anthropic_server.py)."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from assistant.drafting import get_drafter, known_backends, llm, switch
from assistant.drafting.base import FunctionDrafter
from assistant.errors import ConfigError
from assistant.settings import Settings
from tests.support.anthropic_server import AnthropicServer
from tests.support.ollama_server import OllamaServer
from tests.support.openai_server import Reply

Factory = Callable[..., Any]
FALLBACK = "Scripted fallback reply."


@pytest.fixture
def no_sockets(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    attempts: list[Any] = []

    def refuse(self: socket.socket, address: Any) -> None:
        attempts.append(address)
        raise AssertionError(f"the test tried to connect to {address}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    return attempts


@pytest.fixture
def anthropic_server() -> Iterator[AnthropicServer]:
    with AnthropicServer() as srv:
        yield srv


def drafter_factory(base_url: str, model: str, sleeps: list[float]) -> Factory:
    """LLM drafters of `model` against a local server, failing over to FALLBACK."""

    def make(**options: Any) -> llm.LLMDrafter:
        settings = Settings(
            llm_base_url=base_url,
            llm_cache=False,
            max_retries=options.pop("max_retries", 2),
            timeout_s=options.pop("timeout", 5.0),
        )
        options.setdefault("fallback", FunctionDrafter(lambda request: FALLBACK))
        options.setdefault("sleep", sleeps.append)
        options.setdefault("detect", lambda text, request: None)
        return llm.LLMDrafter.from_settings(settings, model=model, **options)

    return make


@pytest.fixture
def make_claude(anthropic_server: AnthropicServer, sleeps: list[float]) -> Factory:
    return drafter_factory(anthropic_server.base_url, "anthropic:claude-haiku-4-5", sleeps)


def test_every_provider_is_a_backend() -> None:
    assert {"offline", "openai", "anthropic", "google_genai", "ollama"} <= set(known_backends())


def test_unknown_backend_lists_the_known_ones() -> None:
    with pytest.raises(ConfigError, match="unknown backend 'mistral:x'; known backends: "):
        get_drafter("mistral:x")


def test_a_provider_without_a_model_says_how_to_name_one() -> None:
    with pytest.raises(ConfigError, match=r"name a model: anthropic:<model> \(e\.g\. anthropic:"):
        get_drafter("anthropic")


def test_anthropic_draft_through_langchain_anthropic(
    anthropic_server: AnthropicServer,
    make_claude: Factory,
    make_request: Factory,
    good_reply: Factory,
) -> None:
    anthropic_server.push(Reply.structured(good_reply(), usage=(1000, 100)))
    draft = make_claude().draft(make_request())
    assert draft.fallback_reason is None
    assert draft.backend == "anthropic:claude-haiku-4-5"
    assert draft.citations == ["order-status"]
    assert draft.usage is not None
    assert (draft.usage.prompt_tokens, draft.usage.completion_tokens) == (1000, 100)
    assert draft.usage.cost_usd == pytest.approx((1000 * 1.0 + 100 * 5.0) / 1e6)
    [request] = anthropic_server.requests
    assert request.path == "/v1/messages"
    assert request.json["tools"][0]["name"] == "LLMReply"
    assert 'Write the whole reply in Deutsch (language code "de")' in request.message("system")


def test_anthropic_rate_limit_is_retried_honouring_retry_after(
    anthropic_server: AnthropicServer,
    make_claude: Factory,
    make_request: Factory,
    good_reply: Factory,
    sleeps: list[float],
) -> None:
    anthropic_server.push(Reply.error(429, retry_after=1), good_reply())
    draft = make_claude().draft(make_request())
    assert draft.fallback_reason is None
    assert sleeps == [1.0]


@pytest.mark.parametrize(
    ("replies", "reason"),
    [
        (
            [Reply.error(429, retry_after=0)] * 3,
            "LLM server kept rate-limiting (HTTP 429) after 3 attempts",
        ),
        ([Reply.error(529)] * 3, "LLM server error (HTTP 529) after 3 attempts"),
        ([Reply.error(401)], "LLM server refused the request (HTTP 401: "),
        ([Reply.raw("I cannot use tools today.")], "LLM reply was not valid structured output"),
        ([Reply.structured({"text": "Hallo"})], "LLM reply did not match the reply schema"),
        (
            [Reply.verbatim(200, "<html>login</html>", "text/html")],
            "LLM server sent a response that is not",
        ),
    ],
    ids=["429", "overloaded", "401", "no-tool-call", "schema", "html"],
)
def test_anthropic_failures_fall_back_with_a_reason(
    replies: list[Reply],
    reason: str,
    anthropic_server: AnthropicServer,
    make_claude: Factory,
    make_request: Factory,
) -> None:
    anthropic_server.push(*replies)
    draft = make_claude().draft(make_request())
    assert draft.text == FALLBACK
    assert draft.fallback_reason is not None and draft.fallback_reason.startswith(reason)
    assert draft.backend == "function (fallback from anthropic:claude-haiku-4-5)"


def test_anthropic_401_names_the_key_to_check(
    anthropic_server: AnthropicServer, make_claude: Factory, make_request: Factory
) -> None:
    anthropic_server.push(Reply.error(401))
    reason = make_claude().draft(make_request()).fallback_reason
    assert reason is not None and "check ANTHROPIC_API_KEY" in reason


def test_anthropic_timeout(
    anthropic_server: AnthropicServer,
    make_claude: Factory,
    make_request: Factory,
    good_reply: Factory,
) -> None:
    anthropic_server.push(Reply.slow(2.0, good_reply()))
    reason = make_claude(timeout=0.5, max_retries=0).draft(make_request()).fallback_reason
    assert reason is not None and reason.startswith("LLM request timed out after 0.5 s (1 attempt)")


@pytest.mark.parametrize(
    ("backend", "env", "target"),
    [
        (
            "anthropic:claude-haiku-4-5",
            {"ANTHROPIC_API_KEY": "sk-ant"},
            "not https://api.anthropic.com",
        ),
        (
            "anthropic:claude-haiku-4-5",
            {"ANTHROPIC_BASE_URL": "http://10.1.2.3:8080"},
            "not http://10.1.2.3:8080",
        ),
        (
            "ollama:llama3.1",
            {"OLLAMA_HOST": "http://gpu-box.lan:11434"},
            "not http://gpu-box.lan:11434",
        ),
        (
            "google_genai:gemini-2.5-flash",
            {"GOOGLE_API_KEY": "g-key"},
            "google_genai has no local base URL",
        ),
    ],
)
def test_switch_refuses_every_provider_off_loopback(
    backend: str,
    env: dict[str, str],
    target: str,
    monkeypatch: pytest.MonkeyPatch,
    no_sockets: list[Any],
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match="ALLOW_MODEL_REQUESTS is False") as caught:
        get_drafter(backend, Settings(llm_cache=False))
    assert target in str(caught.value)
    assert no_sockets == []


def test_ollama_defaults_to_the_local_server(no_sockets: list[Any]) -> None:
    with get_drafter("ollama:llama3.1", Settings(llm_cache=False)) as drafter:  # type: ignore[attr-defined]
        assert drafter.name == "ollama:llama3.1"
        assert drafter.base_url == "http://127.0.0.1:11434"
    assert no_sockets == []


def test_missing_key_of_a_hosted_provider_says_what_to_do(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    with pytest.raises(ConfigError) as caught:
        get_drafter("anthropic:claude-haiku-4-5", Settings(llm_cache=False))
    assert str(caught.value) == (
        "ANTHROPIC_API_KEY is not set. Set it, or set ASSISTANT_LLM_BASE_URL for a local "
        "anthropic-compatible server, or use --backend offline."
    )


def test_a_provider_package_that_is_not_installed_names_the_extra(
    monkeypatch: pytest.MonkeyPatch, no_sockets: list[Any]
) -> None:
    pytest.importorskip("langchain")
    try:
        import langchain_google_genai  # noqa: F401
    except ImportError:
        pass
    else:
        pytest.skip("langchain-google-genai is installed here")
    monkeypatch.setenv("GOOGLE_API_KEY", "g-key")
    monkeypatch.setattr(switch, "ALLOW_MODEL_REQUESTS", True)
    with pytest.raises(ConfigError, match=r"pip install 'assistant\[google\]'"):
        get_drafter("google_genai:gemini-2.5-flash", Settings(llm_cache=False))
    assert no_sockets == []


def test_the_switch_is_checked_again_before_each_anthropic_request(
    monkeypatch: pytest.MonkeyPatch, make_request: Factory, no_sockets: list[Any]
) -> None:
    monkeypatch.setattr(switch, "ALLOW_MODEL_REQUESTS", True)
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant")
    drafter = get_drafter("anthropic:claude-haiku-4-5", Settings(llm_cache=False))
    monkeypatch.setattr(switch, "ALLOW_MODEL_REQUESTS", False)
    with pytest.raises(ConfigError, match="switched off"):
        drafter.draft(make_request())
    assert no_sockets == []


def test_the_judge_takes_the_same_backend_ids(
    anthropic_server: AnthropicServer, kb: Any, good_reply: Factory
) -> None:
    from assistant.evaluation.judge import build_judge
    from assistant.types import Draft

    rubric = {
        name: {"score": 4, "rationale": f"{name} fine"}
        for name in ("helpfulness", "tone", "cultural_fit", "grounding")
    }
    anthropic_server.push(Reply.structured(rubric, usage=(800, 40)))
    draft = Draft(text=good_reply()["text"], language="de", tone="empathetic")
    settings = Settings(llm_base_url=anthropic_server.base_url, llm_cache=False, max_retries=0)
    with build_judge("anthropic:claude-haiku-4-5", settings) as judge:
        scores = judge.score("Wo ist meine Bestellung?", draft, kb)
    assert scores.judge == "anthropic:claude-haiku-4-5" and scores.overall == 4.0
    assert anthropic_server.requests[0].json["tools"][0]["name"] == "JudgeRubric"
    assert "strict reviewer" in anthropic_server.requests[0].message("system")


# -- Ollama: an integration that raises its SDK's own errors, not langchain's ---------
@pytest.fixture
def ollama_server() -> Iterator[OllamaServer]:
    with OllamaServer() as srv:
        yield srv


@pytest.fixture
def make_ollama(ollama_server: OllamaServer, sleeps: list[float]) -> Factory:
    return drafter_factory(ollama_server.base_url, "ollama:llama3.1:8b", sleeps)


def test_ollama_draft_through_langchain_ollama(
    ollama_server: OllamaServer, make_ollama: Factory, make_request: Factory, good_reply: Factory
) -> None:
    ollama_server.push(Reply.structured(good_reply(), usage=(700, 90)))
    drafter = make_ollama()
    draft = drafter.draft(make_request())
    assert draft.fallback_reason is None
    assert (draft.backend, draft.citations) == ("ollama:llama3.1:8b", ["order-status"])
    assert draft.usage is not None
    assert (draft.usage.prompt_tokens, draft.usage.completion_tokens) == (700, 90)
    assert draft.usage.cost_usd == 0.0 and "no price known" in drafter.stats.notes[0]
    [request] = ollama_server.requests
    assert request.json["format"]["title"] == "LLMReply"  # the JSON schema to follow
    assert request.json["model"] == "llama3.1:8b"


@pytest.mark.parametrize(
    ("replies", "reason"),
    [
        ([Reply.error(429)] * 3, "LLM server kept rate-limiting (HTTP 429) after 3 attempts"),
        ([Reply.error(500)] * 3, "LLM server error (HTTP 500) after 3 attempts"),
        ([Reply.error(404)], "LLM server refused the request (HTTP 404: "),
        ([Reply.raw("Sure, here is your reply!")], "LLM reply was not valid structured output"),
        ([Reply.verbatim(200, "<html>proxy login</html>", "text/html")], "LLM server sent a"),
    ],
    ids=["429", "500", "404", "prose", "html"],
)
def test_ollama_failures_take_the_same_path(
    replies: list[Reply],
    reason: str,
    ollama_server: OllamaServer,
    make_ollama: Factory,
    make_request: Factory,
    sleeps: list[float],
) -> None:
    ollama_server.push(*replies)
    draft = make_ollama().draft(make_request())
    assert draft.text == FALLBACK
    assert draft.fallback_reason is not None and draft.fallback_reason.startswith(reason)
    assert len(sleeps) == len(replies) - 1  # retried with backoff, then gave up


def test_ollama_server_down_is_could_not_connect(
    ollama_server: OllamaServer, make_ollama: Factory, make_request: Factory
) -> None:
    drafter = make_ollama(max_retries=0)
    ollama_server.close()
    reason = drafter.draft(make_request()).fallback_reason
    assert reason is not None and reason.startswith("could not connect to the LLM server")
