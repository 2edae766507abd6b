"""Settings from the environment (prefix ASSISTANT_) with offline defaults.

OPENAI_API_KEY and OPENAI_BASE_URL keep their usual names so existing setups work.
Caches and the review database live in the user's cache and data folders (platformdirs:
~/.cache/assistant and ~/.local/share/assistant on Linux), not in the working folder.
"""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_cache_path, user_data_path
from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

APP = "assistant"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ASSISTANT_", extra="ignore")

    backend: str = Field(
        "offline",
        description="Drafting backend id: offline, openai[:model], anthropic:<model>, "
        "google_genai:<model>, ollama:<model>.",
    )
    model: str = Field("gpt-4o-mini", description="Chat model for the openai backend.")
    guidelines: Path | None = Field(None, description="Guidelines folder (default: sample brand).")
    cache_dir: Path = Field(default_factory=lambda: default_cache_dir(), description="Caches.")
    review_db: str = Field(
        default_factory=lambda: default_review_db(), description="Review store path or URL."
    )
    review_mask_private: bool = Field(
        False,
        description="Store review messages and drafts with personal data masked ([card]).",
    )
    timeout_s: float = Field(30.0, gt=0, description="Per-request LLM timeout in seconds.")
    max_retries: int = Field(2, ge=0, description="LLM retries on 429/5xx/timeouts.")
    llm_cache: bool = Field(True, description="Cache LLM responses on disk.")
    embeddings: bool = Field(True, description="Use multilingual embeddings in retrieval.")
    openai_api_key: str | None = Field(
        None, validation_alias=AliasChoices("OPENAI_API_KEY", "ASSISTANT_OPENAI_API_KEY")
    )
    openai_base_url: str | None = Field(
        None, validation_alias=AliasChoices("OPENAI_BASE_URL", "ASSISTANT_OPENAI_BASE_URL")
    )
    llm_base_url: str | None = Field(
        None,
        description="Server of any LLM provider (Anthropic-compatible, Ollama...); openai "
        "also reads OPENAI_BASE_URL.",
    )
    deadline_s: float = Field(
        30.0, gt=0, description="Total time one suggestion may spend in the LLM, retries included."
    )


def default_cache_dir() -> Path:
    """The user's cache folder for the assistant (retrieval index, LLM cache)."""
    return user_cache_path(APP)


def default_review_db() -> str:
    """The review store in the user's data folder."""
    return str(user_data_path(APP) / "reviews.sqlite3")


def get_settings(**overrides: object) -> Settings:
    """Current settings; keyword overrides win over the environment."""
    return Settings(**overrides)  # type: ignore[arg-type]


__all__ = ["Settings", "default_cache_dir", "default_review_db", "get_settings"]
