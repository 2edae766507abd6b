"""Real parts for the service tests: uvicorn on 127.0.0.1, a fake Chatwoot, signed deliveries."""

from __future__ import annotations

import copy
import json
import socket
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from assistant.service.adapters import chatwoot

FIXTURES = Path(__file__).parent / "fixtures"
SECRET = "test-webhook-secret"
TOKEN = "chatwoot-agent-token"


def message_fixtures() -> list[dict[str, Any]]:
    return json.loads((FIXTURES / "messages.json").read_text(encoding="utf-8"))


def chatwoot_payload(
    text: str,
    *,
    message_id: int = 118,
    conversation_id: int = 10,
    message_type: str = "incoming",
    sender_type: str = "contact",
    sender_name: str = "Priya",
    private: bool = False,
    channel: str = "Channel::WebWidget",
    content_attributes: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The documented `message_created` payload with these values filled in."""
    template = json.loads((FIXTURES / "chatwoot_message_created.json").read_text("utf-8"))
    payload = copy.deepcopy(template)
    payload.update(id=message_id, content=text, message_type=message_type, private=private)
    payload["content_attributes"] = content_attributes or {}
    payload["sender"] = {"id": 14, "name": sender_name, "avatar": "", "type": sender_type}
    payload["conversation"].update(id=conversation_id, channel=channel)
    return payload


def signed(
    payload: dict[str, Any] | bytes,
    *,
    secret: str = SECRET,
    timestamp: int | None = None,
    delivery: str | None = None,
) -> tuple[bytes, dict[str, str]]:
    """Body and headers exactly as Chatwoot sends them."""
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode("utf-8")
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    headers = {
        "content-type": "application/json",
        "x-chatwoot-timestamp": stamp,
        "x-chatwoot-signature": chatwoot.sign(secret, stamp, body),
        "x-chatwoot-delivery": delivery or str(uuid.uuid4()),
    }
    return body, headers


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]


@dataclass
class FakeHelpdesk:
    """A real HTTP server on 127.0.0.1 that records every POST and answers as scripted.

    `script` holds (status, delay_s) answers used in order; when it runs out: 200.
    """

    script: list[tuple[int, float]] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)
    attempts: int = 0

    def __post_init__(self) -> None:
        fake = self
        lock = threading.Lock()

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", "0"))
                body = json.loads(self.rfile.read(length) or b"{}")
                with lock:
                    fake.attempts += 1
                    status, delay = fake.script.pop(0) if fake.script else (200, 0.0)
                time.sleep(delay)
                if status == 200:
                    with lock:
                        fake.received.append(Received(self.path, dict(self.headers), body))
                        note_id = len(fake.received)
                    answer = json.dumps({"id": note_id, "private": True}).encode()
                else:
                    answer = b'{"error": "scripted"}'
                self.send_response(status)
                self.send_header("content-type", "application/json")
                if status == 429:
                    self.send_header("retry-after", "0")
                self.send_header("content-length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class ServiceThread:
    """An app served by uvicorn on 127.0.0.1 in a background thread."""

    def __init__(self, app: Any) -> None:
        config = uvicorn.Config(
            app, host="127.0.0.1", port=0, ws="none", log_level="warning", lifespan="on"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        wait_until(lambda: self.server.started, timeout=30, what="uvicorn to start")
        port = self.server.servers[0].sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        self.client = httpx.Client(base_url=self.url, timeout=30)

    def close(self) -> None:
        self.client.close()
        self.server.should_exit = True
        self.thread.join(timeout=30)


def wait_until(check: Callable[[], Any], *, timeout: float = 20, what: str = "it") -> Any:
    """Poll `check` until it returns something truthy; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
