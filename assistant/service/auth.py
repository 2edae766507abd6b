"""The `Authorization: Bearer KEY` dependency, with the per-key rate limit."""

from __future__ import annotations

import math
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from assistant.service.keys import ApiKey
from assistant.service.state import ServiceState

__all__ = ["Caller", "caller", "service_state"]

_bearer = HTTPBearer(auto_error=False, description="A key from `assistant keys create NAME`.")


def service_state(request: Request) -> ServiceState:
    state: ServiceState = request.app.state.service
    return state


def caller(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> ApiKey:
    """The key's owner; 401 without a valid key, 429 over the key's rate."""
    state = service_state(request)
    owner = state.keys.check(credentials.credentials) if credentials else None
    if owner is None:
        raise HTTPException(
            401,
            "send Authorization: Bearer KEY with a valid key; `assistant keys create NAME` "
            "makes one",
            headers={"WWW-Authenticate": "Bearer"},
        )
    wait = state.limiter.take(owner.name)
    if wait:
        raise HTTPException(
            429,
            f"rate limit of {state.settings.rate_limit_per_minute} requests per minute "
            "reached for this key; retry later",
            headers={"Retry-After": str(math.ceil(wait))},
        )
    request.scope.setdefault("state", {})["key_name"] = owner.name
    return owner


Caller = Annotated[ApiKey, Depends(caller)]
