"""What the LLM drafter and judge share: a chat model of any provider, built from
settings and a backend id, with retries, a deadline, usage stats and the switch.

`LLMClient` owns a langchain chat model and a `StructuredCaller`; before every request
it checks the test suite's switch (`assistant.drafting.switch`), so only loopback
servers may be called while it is off. langchain is imported lazily, in
`llm_providers.build_chat_model` and `llm_cache.sqlite_cache` only.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from assistant.drafting import switch
from assistant.drafting.llm_cache import sqlite_cache
from assistant.drafting.llm_caller import CallOptions, LLMStats, M, StructuredCaller
from assistant.drafting.llm_providers import (
    PROVIDERS,
    Provider,
    StructuredMethod,
    build_chat_model,
    parse_backend_id,
    server_config,
)
from assistant.drafting.llm_retry import RetryPolicy
from assistant.prompts import RenderedPrompt
from assistant.settings import Settings
from assistant.types import Usage


class LLMClient:
    """A chat model plus retry policy, deadline, stats and the switch check."""

    def __init__(
        self,
        chat_model: Any,
        *,
        model: str,
        provider: str = "openai",
        base_url: str | None = None,
        max_retries: int = 2,
        timeout: float | None = None,
        deadline_s: float = 30.0,
        structured_method: StructuredMethod | None = None,
        seed: int = 0,
        sleep: Callable[[float], None] = time.sleep,
        max_retry_after_s: float = 30.0,
        prompts_dir: str | Path | None = None,
    ) -> None:
        spec = PROVIDERS.get(provider)
        self.provider = provider
        self.model = model
        self.name = f"{provider}:{model}"
        self.base_url = base_url
        switch.check_allowed(provider, base_url)
        self.prompts_dir = prompts_dir
        self.deadline_s = deadline_s
        policy = RetryPolicy(
            max_retries=max_retries, seed=seed, sleep=sleep, max_retry_after_s=max_retry_after_s
        )
        method = structured_method or (spec.method if spec else "json_schema")
        options = CallOptions(
            method=method,
            plain_schema=spec.plain_schema if spec else False,
            timeout=timeout,
            deadline_s=deadline_s,
            key_env=spec.key_env if spec else None,
        )
        self.caller = StructuredCaller(chat_model, model=model, policy=policy, options=options)

    @classmethod
    def from_settings(cls, settings: Settings, model: str | None = None, **options: Any) -> Self:
        """Build from settings and a backend id: `model` is `openai:gpt-4o-mini`,
        `anthropic:<model>`, `ollama:<model>`..., or a bare model name for openai."""
        provider, name = _backend(model, settings)
        server = server_config(provider, name, settings)
        cache: Any = False  # False, not None: never fall back to a process-global cache
        if settings.llm_cache:
            namespace = f"{provider.name}|{server.base_url or ''}"
            cache = sqlite_cache(settings.cache_dir / "llm.sqlite3", namespace=namespace)
        chat_model = build_chat_model(provider, server, cache=cache)
        options.setdefault("max_retries", settings.max_retries)
        options.setdefault("deadline_s", settings.deadline_s)
        return cls(
            chat_model,
            model=name,
            provider=provider.name,
            base_url=server.base_url,
            timeout=settings.timeout_s,
            **options,
        )

    @property
    def stats(self) -> LLMStats:
        return self.caller.snapshot()

    def _call(
        self,
        prompt: RenderedPrompt,
        schema: type[M],
        check: Callable[[M], str | None] | None = None,
    ) -> tuple[M, Usage]:
        switch.check_allowed(self.provider, self.base_url)  # it may have been turned off
        return self.caller.call(prompt, schema, check)

    def close(self) -> None:
        """Nothing to release: the provider integrations own their HTTP clients."""

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _backend(model: str | None, settings: Settings) -> tuple[Provider, str]:
    """(provider, model) for an id like `anthropic:claude-haiku-4-5` or a bare model."""
    if model and model.partition(":")[0] in PROVIDERS:
        return parse_backend_id(model, settings.model)
    return parse_backend_id(f"openai:{model or ''}", settings.model)
