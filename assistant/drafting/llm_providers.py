"""Chat models of any provider, built through langchain's provider-neutral factory.

A backend id is `<provider>:<model>` (`openai:gpt-4o-mini`, `anthropic:claude-haiku-4-5`,
`google_genai:gemini-2.5-flash`, `ollama:llama3.1`); `openai` alone means the `openai`
provider with ASSISTANT_MODEL. `build_chat_model` resolves the server address (so the
no-network switch can refuse it before anything connects), the key, and the options
that differ by provider (which keyword sets the base URL or the timeout), then calls
`langchain.chat_models.init_chat_model`. Everything after that (calls, structured output,
errors, usage) goes through langchain's common interfaces.

This is the only module that knows provider names; langchain and the provider packages
are imported inside functions only.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from assistant.drafting import switch
from assistant.errors import ConfigError
from assistant.settings import Settings

StructuredMethod = Literal["json_schema", "function_calling"]
OPENAI_URL = "https://api.openai.com/v1"
DUMMY_API_KEY = "not-needed"  # local servers ignore the key; the SDKs want one
MISSING_KEY = (
    "OPENAI_API_KEY is not set. Set it, or set OPENAI_BASE_URL for a local "
    "OpenAI-compatible server (Ollama, vLLM), or use --backend offline."
)


@dataclass(frozen=True)
class ServerConfig:
    """Where a chat model sends its requests, and with what limits."""

    model: str
    base_url: str | None  # None: the provider's hosted API, address unknown here
    timeout: float
    api_key: str | None


@dataclass(frozen=True)
class Provider:
    """What differs between providers before langchain takes over."""

    name: str
    package: str  # the langchain integration, an optional extra of this package
    key_env: str | None  # the environment variable the provider's SDK reads its key from
    url_env: tuple[str, ...]  # environment variables for the server address
    default_url: str | None  # the hosted API when no address is set (None: unknown)
    method: StructuredMethod  # how structured output is asked for
    options: Callable[[ServerConfig], dict[str, Any]]  # init_chat_model keywords
    # Ask for structured output with a JSON-schema dict instead of the pydantic class:
    # langchain-openai hands classes to the SDK's parser, which raises before we validate.
    plain_schema: bool = False


def _openai_options(server: ServerConfig) -> dict[str, Any]:
    return {
        "api_key": server.api_key,
        "base_url": server.base_url,
        "timeout": server.timeout,
        "max_retries": 0,  # retries are ours: they honour Retry-After and the deadline
        "use_responses_api": False,  # chat completions: what every compatible server speaks
    }


def _anthropic_options(server: ServerConfig) -> dict[str, Any]:
    return {
        "api_key": server.api_key,
        "base_url": server.base_url,
        "timeout": server.timeout,
        "max_retries": 0,
        "max_tokens": 1024,
    }


def _ollama_options(server: ServerConfig) -> dict[str, Any]:
    return {"base_url": server.base_url, "client_kwargs": {"timeout": server.timeout}}


def _hosted_options(server: ServerConfig) -> dict[str, Any]:
    return {"timeout": server.timeout, "max_retries": 0}


PROVIDERS: dict[str, Provider] = {
    p.name: p
    for p in (
        Provider(
            "openai",
            "langchain-openai",
            "OPENAI_API_KEY",
            ("OPENAI_BASE_URL",),
            OPENAI_URL,
            "json_schema",
            _openai_options,
            plain_schema=True,
        ),
        Provider(
            "anthropic",
            "langchain-anthropic",
            "ANTHROPIC_API_KEY",
            ("ANTHROPIC_BASE_URL", "ANTHROPIC_API_URL"),
            "https://api.anthropic.com",
            "function_calling",
            _anthropic_options,
        ),
        Provider(
            "ollama",
            "langchain-ollama",
            None,
            ("OLLAMA_HOST",),
            "http://127.0.0.1:11434",
            "json_schema",
            _ollama_options,
        ),
        Provider(
            "google_genai",
            "langchain-google-genai",
            "GOOGLE_API_KEY",
            (),
            None,
            "json_schema",
            _hosted_options,
        ),
    )
}


def parse_backend_id(backend_id: str, default_model: str) -> tuple[Provider, str]:
    """(provider, model) of `openai:gpt-4o-mini`; `openai` alone takes `default_model`."""
    name, _, model = backend_id.partition(":")
    provider = PROVIDERS.get(name.strip().lower().replace("-", "_"))
    if provider is None:
        raise ConfigError(
            f"unknown LLM provider {name!r} in {backend_id!r}; use one of: "
            f"{', '.join(sorted(PROVIDERS))} (e.g. openai:gpt-4o-mini)"
        )
    model = model.strip() or (default_model if provider.name == "openai" else "")
    if not model:
        raise ConfigError(f"name a model: {provider.name}:<model> (e.g. {_example(provider)})")
    return provider, model


def server_config(provider: Provider, model: str, settings: Settings) -> ServerConfig:
    """The address, key and timeout a provider's model will use."""
    url = settings.llm_base_url or _env_url(provider, settings) or provider.default_url
    return ServerConfig(
        model=model,
        base_url=url.rstrip("/") if url else None,
        timeout=settings.timeout_s,
        api_key=_api_key(provider, settings, url),
    )


def build_chat_model(provider: Provider, server: ServerConfig, *, cache: Any = False) -> Any:
    """The langchain chat model for `server`, refused by the switch before it exists."""
    switch.check_allowed(provider.name, server.base_url)
    try:
        from langchain.chat_models import init_chat_model
    except ImportError as exc:
        raise ConfigError(_install_hint(provider, "langchain")) from exc
    options = {k: v for k, v in provider.options(server).items() if v is not None}
    try:
        return init_chat_model(server.model, model_provider=provider.name, cache=cache, **options)
    except ImportError as exc:
        raise ConfigError(_install_hint(provider, provider.package)) from exc


def _env_url(provider: Provider, settings: Settings) -> str | None:
    if provider.name == "openai":
        return settings.openai_base_url
    return next((os.environ[v] for v in provider.url_env if os.environ.get(v)), None)


def _api_key(provider: Provider, settings: Settings, url: str | None) -> str | None:
    if provider.key_env is None:
        return None
    key = settings.openai_api_key if provider.name == "openai" else os.environ.get(provider.key_env)
    if key:
        return key
    if url is not None and url.rstrip("/") != (provider.default_url or "").rstrip("/"):
        return DUMMY_API_KEY  # a local or self-hosted server: no key needed
    if provider.name == "openai":
        raise ConfigError(MISSING_KEY)
    raise ConfigError(
        f"{provider.key_env} is not set. Set it, or set ASSISTANT_LLM_BASE_URL for a local "
        f"{provider.name}-compatible server, or use --backend offline."
    )


def _install_hint(provider: Provider, package: str) -> str:
    return (
        f"the {provider.name} backend needs the {package} package: "
        f"pip install 'assistant[{provider.name.split('_')[0]}]' (or pip install {package}), "
        "or use --backend offline"
    )


def _example(provider: Provider) -> str:
    return {
        "anthropic": "anthropic:claude-haiku-4-5",
        "google_genai": "google_genai:gemini-2.5-flash",
        "ollama": "ollama:llama3.1",
    }.get(provider.name, f"{provider.name}:<model>")
