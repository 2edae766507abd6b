"""A real PostgreSQL server for the tests, started by the test session itself.

The server comes from the PyPI package `pgserver` (PostgreSQL binaries in a wheel, a
dev dependency), runs on a Unix socket in a temporary folder and stops when the session
ends. `ASSISTANT_TEST_POSTGRES_URL` points the tests at a server of your own instead.
Each test gets a fresh database of its own (`fresh_database`).
"""

from __future__ import annotations

import os
import uuid
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

URL_ENV = "ASSISTANT_TEST_POSTGRES_URL"


def _start(folder: Path) -> tuple[str, object]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs warns when XDG_RUNTIME_DIR is unset
        import pgserver

        server = pgserver.get_server(folder, cleanup_mode="delete")
    # pgserver answers on a Unix socket in `folder`: postgresql://postgres:@/postgres?host=...
    uri = server.get_uri().replace("postgresql://", "postgresql+psycopg://", 1)
    return uri, server


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """The SQLAlchemy URL of a running PostgreSQL server (admin database)."""
    given = os.environ.get(URL_ENV)
    if given:
        yield given
        return
    # A short folder: the socket path must stay under the Unix limit of 107 bytes.
    folder = Path(f"/tmp/assistant-pg-{os.getpid()}")
    uri, server = _start(folder)
    try:
        yield uri
    finally:
        server.cleanup()  # type: ignore[attr-defined]


@pytest.fixture
def fresh_database(postgres_server: str) -> Iterator[str]:
    """A new, empty database on the server, dropped after the test."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(postgres_server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        yield make_url(postgres_server).set(database=name).render_as_string(hide_password=False)
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()
