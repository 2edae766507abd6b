"""Two service processes sharing one real PostgreSQL: a webhook delivered to both at once
is done once, and every customer message gets exactly one note."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.postgres import fresh_database, postgres_server  # noqa: F401 - fixtures

from .helpers import SECRET, TOKEN, FakeHelpdesk, chatwoot_payload, free_port, signed, wait_until

pytestmark = [pytest.mark.slow, pytest.mark.timeout(180)]
UVICORN = [sys.executable, "-m", "uvicorn", "assistant.service.app:create_app", "--factory"]
UVICORN += ["--host", "127.0.0.1", "--log-level", "warning"]
MESSAGES = ["where is my order?", "¿Dónde está mi pedido?", "mera order kab aayega", "أين طلبي؟"]


@pytest.fixture
def two_services(
    fresh_database: str,  # noqa: F811 - the fixture, used by name
    fake: FakeHelpdesk,
    tmp_path: Path,
) -> Iterator[list[str]]:
    env = {
        **os.environ,
        "ASSISTANT_REVIEW_DB": fresh_database,
        "ASSISTANT_CHATWOOT_URL": fake.url,
        "ASSISTANT_CHATWOOT_API_TOKEN": TOKEN,
        "ASSISTANT_CHATWOOT_WEBHOOK_SECRET": SECRET,
        "ASSISTANT_EMBEDDINGS": "false",
        "ASSISTANT_CACHE_DIR": str(tmp_path / "cache"),
        "ASSISTANT_WORKER_POLL_S": "0.05",
    }
    ports = [free_port(), free_port()]
    logs = [(tmp_path / f"service-{port}.log").open("wb") for port in ports]
    processes = [
        subprocess.Popen(
            [*UVICORN, "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
        for port, log in zip(ports, logs, strict=True)
    ]
    urls = [f"http://127.0.0.1:{port}" for port in ports]
    try:
        for url, process in zip(urls, processes, strict=True):
            wait_until(lambda u=url, p=process: _ready(u, p), timeout=120, what=f"{url} ready")
        yield urls
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)
        for log in logs:
            log.close()


def test_same_webhook_to_two_processes_posts_one_note(
    two_services: list[str], fake: FakeHelpdesk
) -> None:
    for conversation, text in enumerate(MESSAGES, 1):
        body, headers = signed(chatwoot_payload(text, conversation_id=conversation))
        statuses = _deliver_at_once(two_services, body, headers)
        assert sorted(statuses) == ["duplicate", "queued"], (conversation, statuses)
    wait_until(lambda: len(fake.received) >= len(MESSAGES), timeout=60, what="the notes")
    time.sleep(1.0)  # give a wrongly duplicated job the time to post a second note
    conversations = sorted(int(n.path.split("/")[-2]) for n in fake.received)
    assert conversations == list(range(1, len(MESSAGES) + 1))


def _deliver_at_once(urls: list[str], body: bytes, headers: dict[str, str]) -> list[str]:
    """POST the same delivery to every url at the same moment; their answers' statuses."""
    barrier = threading.Barrier(len(urls))
    statuses: list[str] = []
    lock = threading.Lock()

    def deliver(url: str) -> None:
        barrier.wait()
        # A busy machine may take seconds to answer; the race is what is tested.
        answer = httpx.post(
            f"{url}/v1/webhooks/chatwoot", content=body, headers=headers, timeout=30
        )
        with lock:
            statuses.append(answer.json()["status"])

    threads = [threading.Thread(target=deliver, args=(url,)) for url in urls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def _ready(url: str, process: subprocess.Popen) -> bool:  # type: ignore[type-arg]
    if process.poll() is not None:
        raise AssertionError(f"the service at {url} exited with {process.returncode}")
    try:
        return httpx.get(f"{url}/readyz", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False
