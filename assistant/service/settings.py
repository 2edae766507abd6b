"""The service's settings, from the environment (prefix ASSISTANT_), safe defaults.

Kept apart from `assistant.settings` so the library does not grow web-only knobs.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from assistant.settings import default_review_db

__all__ = ["ServiceSettings"]


class ServiceSettings(BaseSettings):
    """What `assistant serve` reads; every field is `ASSISTANT_<NAME>` in the environment."""

    model_config = SettingsConfigDict(env_prefix="ASSISTANT_", extra="ignore")

    review_db: str = Field(
        default_factory=lambda: default_review_db(), description="Review store path or URL."
    )
    outbox: Path = Field(
        default_factory=lambda: _default_outbox(),
        description="Where POST /v1/reviews/export appends approved replies.",
    )
    rate_limit_per_minute: int = Field(120, ge=1, description="Requests per API key per minute.")
    llm_concurrency: int = Field(4, ge=1, description="Suggestions drafted at once per process.")
    max_body_bytes: int = Field(65_536, ge=1024, description="Larger request bodies get 413.")
    log_message_text: bool = Field(
        False, description="Debug only: log customer and draft text (private data!)."
    )
    worker: bool = Field(True, description="Run the webhook job worker in this process.")
    worker_poll_s: float = Field(0.5, gt=0, description="Idle worker checks for jobs this often.")
    job_lease_s: float = Field(120.0, gt=0, description="A dead worker's job is retried after.")
    job_max_attempts: int = Field(5, ge=1, description="Attempts before a job is marked failed.")
    post_timeout_s: float = Field(10.0, gt=0, description="Timeout of one call to the helpdesk.")
    post_retries: int = Field(3, ge=0, description="Retries of 429/5xx before the job is requeued.")
    retry_base_s: float = Field(0.5, gt=0, description="First backoff; it doubles per retry.")
    webhook_tolerance_s: int = Field(300, ge=1, description="Max clock skew of signed webhooks.")
    chatwoot_url: str | None = Field(None, description="Base URL of your Chatwoot.")
    chatwoot_api_token: str | None = Field(None, description="A dedicated agent's access token.")
    chatwoot_webhook_secret: str | None = Field(None, description="The webhook's signing secret.")
    front_url: str = Field("https://api2.frontapp.com", description="Front's API base URL.")
    front_api_token: str | None = Field(None, description="Front API token.")
    front_webhook_secret: str | None = Field(None, description="Front app's signing secret.")
    front_author_id: str | None = Field(None, description="Teammate id the drafts belong to.")
    front_channel_id: str | None = Field(None, description="Channel id of the draft replies.")


def _default_outbox() -> Path:
    """outbox.jsonl beside a SQLite store, else in the working folder."""
    store = default_review_db()
    return Path("outbox.jsonl") if "://" in store else Path(store).with_name("outbox.jsonl")
