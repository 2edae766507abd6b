"""The HTTP service and helpdesk integrations (the optional `serve` extra).

app.py            create_app(): FastAPI routes, middleware, lifespan
settings.py       ServiceSettings (ASSISTANT_*: limits, Chatwoot, Front)
keys.py           API keys, stored hashed, with a role (agent | lead)
limits.py         per-key rate limit, drafting concurrency, request body size
jobs.py           durable webhook job queue in the review store's database
worker.py         background worker: suggest, post the note, learn from replies
learning.py       agents' sent replies recorded as approved or edited reviews
notes.py          the note an agent sees in the helpdesk
adapters/         chatwoot.py (private notes), front.py (draft replies)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from assistant.service.app import create_app
    from assistant.service.settings import ServiceSettings

__all__ = ["ServiceSettings", "create_app"]


def __getattr__(name: str) -> Any:
    # FastAPI is an optional extra: import it only when the service is used.
    if name == "create_app":
        from assistant.service.app import create_app

        return create_app
    if name == "ServiceSettings":
        from assistant.service.settings import ServiceSettings

        return ServiceSettings
    raise AttributeError(name)
