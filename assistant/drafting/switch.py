"""The switch that blocks live model calls (the test suite turns it off).

While `ALLOW_MODEL_REQUESTS` is False, every LLM client refuses any server that is not
on the loopback address, whatever the provider: a provider whose server address is not
known (a hosted API without a base URL) is refused outright. No test can reach the
network or spend money. Every client checks `check_allowed` when it is built and again
before each request.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from assistant.errors import ConfigError

ALLOW_MODEL_REQUESTS = True


def is_loopback(url: str) -> bool:
    """True for http(s) URLs on 127.0.0.0/8, ::1 or `localhost`."""
    host = (urlsplit(url if "//" in url else f"//{url}").hostname or "").rstrip(".").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_allowed(provider: str, base_url: str | None) -> None:
    """Refuse every non-loopback server while ALLOW_MODEL_REQUESTS is off.

    `base_url` None means the provider's own hosted API, whose address is not
    configurable here: refused too.
    """
    if ALLOW_MODEL_REQUESTS or (base_url is not None and is_loopback(base_url)):
        return
    target = f"not {base_url}" if base_url else f"and {provider} has no local base URL set"
    raise ConfigError(
        "model requests are switched off (assistant.drafting.switch.ALLOW_MODEL_REQUESTS is "
        f"False): only servers on 127.0.0.1, localhost or ::1 may be called, {target}. "
        "Start a local server (OpenAI-compatible, Anthropic-compatible or Ollama) or use "
        "--backend offline."
    )
