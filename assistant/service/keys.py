"""API keys: `assistant keys create NAME` prints a key once; only its SHA-256 is stored.

Keys are 32 random bytes, so a plain SHA-256 is enough (nothing to brute-force); the
comparison happens in the database by hash, never on the key itself. A key has a role:
`agent` or `lead` (only leads may override blocking findings).
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from datetime import UTC, datetime
from typing import Literal

from sqlalchemy import Engine, select, update
from sqlalchemy.exc import IntegrityError

from assistant.errors import InputError
from assistant.service.tables import api_keys
from assistant.types import Model

__all__ = ["PREFIX", "ApiKey", "KeyStore", "Role", "hash_key"]

PREFIX = "ak_"
Role = Literal["agent", "lead"]
_CACHE_S = 30.0


class ApiKey(Model):
    """Who a key belongs to (its name goes into the audit log) and what they may do."""

    name: str
    role: Role


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


class KeyStore:
    """Create, check and revoke API keys in the service's database."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._cache: dict[str, tuple[float, ApiKey]] = {}
        self._lock = threading.Lock()

    def create(self, name: str, role: Role = "agent") -> str:
        """A new key for `name`; the only time the key itself exists anywhere."""
        name = name.strip()
        if not name:
            raise InputError("a key needs a name: the person or system that will use it")
        if role not in ("agent", "lead"):
            raise InputError(f"role must be agent or lead, not {role!r}")
        key = PREFIX + secrets.token_urlsafe(32)
        row = {"name": name, "key_hash": hash_key(key), "role": role, "created_at": _now()}
        try:
            with self._engine.begin() as conn:
                conn.execute(api_keys.insert(), row)
        except IntegrityError:
            raise InputError(
                f"a key named {name!r} exists (names stay taken once revoked); pick another"
            ) from None
        return key

    def check(self, key: str) -> ApiKey | None:
        """The key's owner, or None for an unknown or revoked key (cached 30 s)."""
        digest = hash_key(key)
        now = time.monotonic()
        with self._lock:
            cached = self._cache.get(digest)
        if cached and cached[0] > now:
            return cached[1]
        query = select(api_keys.c.name, api_keys.c.role).where(
            (api_keys.c.key_hash == digest) & api_keys.c.revoked_at.is_(None)
        )
        with self._engine.connect() as conn:
            row = conn.execute(query).first()
        if row is None:
            return None
        owner = ApiKey(name=row.name, role=row.role)
        with self._lock:
            self._cache[digest] = (now + _CACHE_S, owner)
        return owner

    def revoke(self, name: str) -> bool:
        """Revoke the key named `name`; False if there is no such active key."""
        query = (
            update(api_keys)
            .where((api_keys.c.name == name) & api_keys.c.revoked_at.is_(None))
            .values(revoked_at=_now())
        )
        with self._engine.begin() as conn:
            revoked = conn.execute(query).rowcount == 1
        with self._lock:
            self._cache.clear()
        return revoked

    def names(self) -> list[tuple[str, str, bool]]:
        """(name, role, active) of every key, oldest first."""
        query = select(api_keys.c.name, api_keys.c.role, api_keys.c.revoked_at).order_by(
            api_keys.c.id
        )
        with self._engine.connect() as conn:
            return [(r.name, r.role, r.revoked_at is None) for r in conn.execute(query)]


def _now() -> datetime:
    return datetime.now(UTC)
