"""What the LLM drafter and judge share: ChatOpenAI built from settings, guard rails.

`LLMClient` owns a chat model, its retry policy, usage stats and HTTP client; before
every request it checks the test suite's switch, `assistant.drafting.switch.ALLOW_MODEL_REQUESTS`
(then only loopback servers may be called). langchain and openai are imported lazily,
in `_chat_openai` only.
"""

from __future__ import annotations

import ipaddress
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any, Self
from urllib.parse import urlsplit

from assistant.drafting import switch
from assistant.drafting.llm_cache import sqlite_cache
from assistant.drafting.llm_caller import LLMStats, M, StructuredCaller, StructuredMethod
from assistant.drafting.llm_retry import RetryPolicy
from assistant.errors import ConfigError
from assistant.prompts import RenderedPrompt
from assistant.settings import Settings
from assistant.types import Usage

OPENAI_URL = "https://api.openai.com/v1"
DUMMY_API_KEY = "not-needed"  # local servers ignore the key, the openai client wants one
MISSING_KEY = (
    "OPENAI_API_KEY is not set. Set it, or set OPENAI_BASE_URL for a local "
    "OpenAI-compatible server (Ollama, vLLM), or use --backend offline."
)


# -- Guard rails on configuration ------------------------------------------------------
def is_loopback(url: str) -> bool:
    host = (urlsplit(url).hostname or "").rstrip(".").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_allowed(base_url: str | None) -> None:
    """Refuse non-loopback servers while ALLOW_MODEL_REQUESTS is off (the test suite)."""
    if switch.ALLOW_MODEL_REQUESTS or base_url is None or is_loopback(base_url):
        return
    raise ConfigError(
        f"model requests are switched off (assistant.drafting.switch.ALLOW_MODEL_REQUESTS is "
        f"False): only servers on 127.0.0.1, localhost or ::1 may be called, not {base_url}. "
        "Start a local OpenAI-compatible server or use --backend offline."
    )


def api_key_for(settings: Settings) -> str:
    if settings.openai_api_key:
        return settings.openai_api_key
    if settings.openai_base_url:
        return DUMMY_API_KEY
    raise ConfigError(MISSING_KEY)


# -- Shared by the drafter and the judge -----------------------------------------------
class LLMClient:
    """A chat model plus retry policy, stats and the HTTP client it owns."""

    def __init__(
        self,
        chat_model: Any,
        *,
        model: str,
        base_url: str | None = None,
        max_retries: int = 2,
        timeout: float | None = None,
        structured_method: StructuredMethod = "json_schema",
        seed: int = 0,
        sleep: Callable[[float], None] = time.sleep,
        max_retry_after_s: float = 30.0,
        prompts_dir: str | Path | None = None,
        http_client: Any = None,
    ) -> None:
        self.model = model
        self.name = f"openai:{model}"
        self.base_url = base_url if base_url is not None else _endpoint_of(chat_model)
        check_allowed(self.base_url)
        self.prompts_dir = prompts_dir
        policy = RetryPolicy(
            max_retries=max_retries, seed=seed, sleep=sleep, max_retry_after_s=max_retry_after_s
        )
        self.caller = StructuredCaller(
            chat_model, model=model, policy=policy, method=structured_method, timeout=timeout
        )
        self._http_client = http_client

    @classmethod
    def from_settings(cls, settings: Settings, model: str | None = None, **options: Any) -> Self:
        """Build on ChatOpenAI from settings (key, base URL, timeout, retries, cache)."""
        model = model or settings.model
        api_key = api_key_for(settings)
        check_allowed(settings.openai_base_url or OPENAI_URL)
        chat_model, http_client = _chat_openai(settings, model, api_key)
        options.setdefault("max_retries", settings.max_retries)
        return cls(
            chat_model,
            model=model,
            base_url=settings.openai_base_url or OPENAI_URL,
            timeout=settings.timeout_s,
            http_client=http_client,
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
        check_allowed(self.base_url)  # the switch may have been turned off since
        return self.caller.call(prompt, schema, check)

    def close(self) -> None:
        """Close the HTTP connections this object opened."""
        if self._http_client is not None:
            self._http_client.close()
            self._http_client = None

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _endpoint_of(chat_model: Any) -> str | None:
    """The URL a langchain OpenAI model calls; None for models that call nothing known."""
    if not hasattr(chat_model, "openai_api_base"):
        return None
    return str(chat_model.openai_api_base or OPENAI_URL)


def _chat_openai(settings: Settings, model: str, api_key: str) -> tuple[Any, Any]:
    import openai
    from langchain_openai import ChatOpenAI

    http_client = openai.DefaultHttpxClient()
    cache: Any = False  # False, not None: never fall back to a process-global cache
    if settings.llm_cache:
        cache = sqlite_cache(
            settings.cache_dir / "llm.sqlite3", namespace=settings.openai_base_url or OPENAI_URL
        )
    chat_model = ChatOpenAI(
        model=model,
        api_key=api_key,
        base_url=settings.openai_base_url,
        timeout=settings.timeout_s,
        max_retries=0,  # retries are ours: they honour Retry-After and are counted
        http_client=http_client,
        use_responses_api=False,  # chat completions: what every compatible server speaks
        cache=cache,
    )
    return chat_model, http_client
