"""Settings from the environment (prefix ASSISTANT_) with offline defaults.

OPENAI_API_KEY and OPENAI_BASE_URL keep their usual names so existing setups work.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ASSISTANT_", extra="ignore")

    backend: str = Field("offline", description="Drafting backend id: offline, openai[:model].")
    model: str = Field("gpt-4o-mini", description="Chat model for the openai backend.")
    guidelines: Path | None = Field(None, description="Guidelines folder (default: sample brand).")
    cache_dir: Path = Field(Path(".assistant/cache"), description="On-disk caches.")
    review_db: str = Field(".assistant/reviews.sqlite3", description="Review store path or URL.")
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


def get_settings(**overrides: object) -> Settings:
    """Current settings; keyword overrides win over the environment."""
    return Settings(**overrides)  # type: ignore[arg-type]
