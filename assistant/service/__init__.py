"""The HTTP service and helpdesk integrations (the optional `serve` extra).

app.py            create_app(): middleware, lifespan, the routers below
routes_api.py     /healthz, /readyz, /v1/detect, /v1/suggestions (JSON or SSE)
routes_reviews.py /v1/reviews...: the review workflow, the key's name as agent
routes_webhooks.py /v1/webhooks/{chatwoot,front}: verify, queue, answer at once
streaming.py      server-sent events, each draft as soon as it is written
settings.py       ServiceSettings (ASSISTANT_*: limits, Chatwoot, Front)
auth.py, keys.py  Bearer API keys, stored hashed, with a role (agent | lead)
limits.py         per-key rate limit, drafting concurrency, request body size
tables.py         the service's tables, in the review store's database
jobs.py           durable webhook job queue (de-duplicated per delivery)
worker.py         background worker: suggest, post the note, learn from replies
learning.py       agents' sent replies recorded as approved or edited reviews
notes.py          the note an agent sees in the helpdesk
logs.py, errors.py  JSON logs without message text; errors as HTTP answers
adapters/         base.py (the interface), chatwoot.py (private notes),
                  front.py (draft replies), posting.py (retries)
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
