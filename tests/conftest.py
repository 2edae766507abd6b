"""Suite-wide safety: no test may reach the network or spend money.

`assistant.drafting.switch.ALLOW_MODEL_REQUESTS` is switched off, so an LLM client may
only talk to servers on 127.0.0.1 that the tests start themselves.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.pop("OPENAI_API_KEY", None)
os.environ.pop("OPENAI_BASE_URL", None)
os.environ["ASSISTANT_BACKEND"] = "offline"


@pytest.fixture(autouse=True)
def _isolated_state(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path_factory.getbasetemp() / "assistant-cache"
    monkeypatch.setenv("ASSISTANT_CACHE_DIR", str(cache))
    monkeypatch.setenv("ASSISTANT_REVIEW_DB", str(cache / "reviews.sqlite3"))
    monkeypatch.setattr("assistant.drafting.switch.ALLOW_MODEL_REQUESTS", False)


@pytest.fixture(scope="session")
def index_cache(pytestconfig: pytest.Config, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache for real embedding matrices that outlives the session when pytest's cache
    is on: embedding a brand's variants takes a while, and the key is content-addressed."""
    cache = getattr(pytestconfig, "cache", None)
    if cache is not None:
        return Path(cache.mkdir("assistant-index"))
    return tmp_path_factory.mktemp("assistant-index")
