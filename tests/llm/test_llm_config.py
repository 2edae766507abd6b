"""Configuration of the LLM backend: keys, base URLs, the no-network switch, the registry."""

from __future__ import annotations

import socket
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest

from assistant.drafting import get_drafter, llm, switch
from assistant.errors import ConfigError
from assistant.settings import Settings
from tests.support.openai_server import OpenAIServer

Factory = Callable[..., Any]


@pytest.fixture
def no_sockets(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Make any connection attempt fail loudly, and record it."""
    attempts: list[Any] = []

    def refuse(self: socket.socket, address: Any) -> None:
        attempts.append(address)
        raise AssertionError(f"the test tried to connect to {address}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    return attempts


def test_missing_key_without_base_url_says_what_to_do() -> None:
    with pytest.raises(ConfigError) as caught:
        llm.LLMDrafter.from_settings(Settings(openai_api_key=None, openai_base_url=None))
    assert str(caught.value) == (
        "OPENAI_API_KEY is not set. Set it, or set OPENAI_BASE_URL for a local "
        "OpenAI-compatible server (Ollama, vLLM), or use --backend offline."
    )


@pytest.mark.parametrize(
    "url", ["https://api.example.com/v1", "http://10.0.0.5:8000/v1", "http://127.0.0.1.nip.io/v1"]
)
def test_switch_blocks_remote_servers_before_any_request(url: str, no_sockets: list[Any]) -> None:
    settings = Settings(openai_api_key="sk-test", openai_base_url=url)
    with pytest.raises(ConfigError, match="ALLOW_MODEL_REQUESTS is False") as caught:
        llm.LLMDrafter.from_settings(settings)
    assert url in str(caught.value)
    assert no_sockets == []


def test_switch_blocks_the_default_openai_endpoint(no_sockets: list[Any]) -> None:
    with pytest.raises(ConfigError, match=r"not https://api\.openai\.com/v1"):
        get_drafter("openai:gpt-4o-mini", Settings(openai_api_key="sk-test"))
    assert no_sockets == []


def test_switch_is_checked_again_before_each_request(
    monkeypatch: pytest.MonkeyPatch, make_request: Factory, no_sockets: list[Any]
) -> None:
    monkeypatch.setattr(switch, "ALLOW_MODEL_REQUESTS", True)
    settings = Settings(
        openai_api_key="sk-test", openai_base_url="https://api.example.com/v1", llm_cache=False
    )
    with llm.LLMDrafter.from_settings(settings) as drafter:
        monkeypatch.setattr(switch, "ALLOW_MODEL_REQUESTS", False)
        with pytest.raises(ConfigError, match="switched off"):
            drafter.draft(make_request())
    assert no_sockets == []


@pytest.mark.parametrize(
    ("url", "local"),
    [
        ("http://127.0.0.1:11434/v1", True),
        ("http://127.8.9.1/v1", True),
        ("http://localhost:8000/v1", True),
        ("http://[::1]:8000/v1", True),
        ("https://api.openai.com/v1", False),
        ("http://192.168.1.2/v1", False),
        ("http://localhost.example.com/v1", False),
    ],
)
def test_loopback_detection(url: str, local: bool) -> None:
    assert llm.is_loopback(url) is local


def test_local_server_without_key_uses_a_dummy_key(
    server: OpenAIServer, make_drafter: Factory, make_request: Factory, good_reply: Factory
) -> None:
    server.push(good_reply())
    make_drafter().draft(make_request())
    assert server.requests[0].headers["authorization"] == f"Bearer {llm.DUMMY_API_KEY}"


def test_registry_builds_the_llm_drafter(server: OpenAIServer) -> None:
    settings = Settings(openai_base_url=server.base_url, llm_cache=False)
    drafter = get_drafter("openai:my-local-model", settings)
    assert isinstance(drafter, llm.LLMDrafter)
    with drafter:
        assert drafter.name == "openai:my-local-model"
        assert drafter.prompt.id == "draft@2"


def test_settings_model_is_the_default(server: OpenAIServer) -> None:
    settings = Settings(openai_base_url=server.base_url, model="gpt-4.1-mini", llm_cache=False)
    with llm.LLMDrafter.from_settings(settings) as drafter:
        assert drafter.name == "openai:gpt-4.1-mini"


def test_prices() -> None:
    assert llm.price_for("gpt-4o-mini-2024-07-18") == (0.15, 0.60)
    assert llm.price_for("gpt-4o-2024-08-06") == (2.50, 10.00)
    assert llm.price_for("openai/gpt-4.1-nano") == (0.10, 0.40)
    assert llm.price_for("qwen2.5:7b") is None


def error_with(headers: dict[str, str]) -> Exception:
    error = Exception("rate limited")
    error.response = SimpleNamespace(headers=headers)  # type: ignore[attr-defined]
    return error


@pytest.mark.parametrize(
    ("headers", "seconds"),
    [
        ({"retry-after": "3"}, 3.0),
        ({"retry-after-ms": "250", "retry-after": "9"}, 0.25),
        ({"retry-after": "soon"}, None),
        ({}, None),
    ],
)
def test_retry_after_parsing(headers: dict[str, str], seconds: float | None) -> None:
    assert llm.retry_after(error_with(headers)) == seconds


def test_retry_after_is_capped_and_backoff_grows() -> None:
    policy = llm.RetryPolicy(max_retry_after_s=5.0, base_delay_s=0.5, max_delay_s=8.0)
    assert policy.delay(error_with({"retry-after": "120"}), 0) == 5.0
    waits = [policy.delay(error_with({}), retry) for retry in range(6)]
    bounds = [(0.25, 0.5), (0.5, 1.0), (1.0, 2.0), (2.0, 4.0), (4.0, 8.0), (4.0, 8.0)]
    assert all(low <= wait <= high for wait, (low, high) in zip(waits, bounds, strict=True))
