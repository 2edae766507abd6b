"""The HTTP service under load, on 127.0.0.1 only, bounded to about 60 s.

1. `/v1/suggestions` (offline backend): 20 concurrent clients for 15 s against
   `uvicorn --workers 2`: p50/p95 latency, throughput, errors (target: 0).
2. 500 signed Chatwoot webhooks (20 at a time), to a fake Chatwoot on another loopback
   port: every webhook answered (target p99 < 1 s), then 0 lost and 0 duplicated notes.
3. Service overhead: one client, one message, 100 requests, against 100 in-process
   `Assistant.suggest()` calls; overhead = difference of the medians (target <= 5 ms).

Embeddings are off in both the service and the in-process baseline, so that two workers
load in seconds; the overhead compares like with like.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx

from assistant.service.adapters.chatwoot import sign
from benchmarks._util import summary

CLIENTS = 20
LOAD_S = 15.0
WEBHOOKS = 500
SECRET = "bench-secret"
MESSAGES = [
    ("Where is my order? It has been a week.", "twitter"),
    ("mera order abhi tak nahi aaya", "whatsapp"),
    ("¿Cuándo llega mi reembolso?", "instagram"),
    ("Որտե՞ղ է իմ պատվերը", "messenger"),
    ("Ma commande est arrivée cassée", "email"),
    ("注文した商品がまだ届きません", "livechat"),
    ("أريد إرجاع المصباح", "facebook"),
    ("Bila duit saya nak masuk?", "whatsapp"),
]


class FakeChatwoot:
    """Counts the private notes it receives, per conversation."""

    def __init__(self) -> None:
        self.notes: Counter[str] = Counter()
        lock = threading.Lock()
        notes = self.notes

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("content-length", "0")))
                with lock:
                    notes[self.path.split("/")[-2]] += 1
                body = b'{"id": 1}'
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def run() -> dict[str, Any]:
    fake = FakeChatwoot()
    with tempfile.TemporaryDirectory() as tmp:
        env = _environment(Path(tmp), fake.url)
        key = _create_key(env["ASSISTANT_REVIEW_DB"])
        port = _free_port()
        service = _start(env, port, Path(tmp) / "service.log")
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_ready(base, service)
            result = asyncio.run(_measure(base, key, fake))
        finally:
            service.terminate()
            service.wait(timeout=30)
            fake.close()
    result["overhead"] = _overhead(base_latencies=result.pop("_sequential_ms"))
    _print(result)
    return result


async def _measure(base: str, key: str, fake: FakeChatwoot) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {key}"}
    limits = httpx.Limits(max_connections=CLIENTS)
    async with httpx.AsyncClient(base_url=base, headers=headers, limits=limits, timeout=30) as c:
        load = await _load(c)
        sequential = [await _one(c, MESSAGES[0]) for _ in range(100)]
        webhooks = await _webhooks(c)
    expected = {str(i) for i in range(1, WEBHOOKS + 1)}
    deadline = time.monotonic() + 30
    while set(fake.notes) != expected and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
    webhooks["drained_s"] = round(time.monotonic() - webhooks.pop("_sent_at"), 2)
    webhooks["lost"] = len(expected - set(fake.notes))
    webhooks["duplicated"] = sum(count - 1 for count in fake.notes.values() if count > 1)
    return {"suggestions": load, "webhooks": webhooks, "_sequential_ms": sequential}


async def _load(client: httpx.AsyncClient) -> dict[str, Any]:
    latencies: list[float] = []
    errors: Counter[str] = Counter()
    stop = time.monotonic() + LOAD_S

    async def user(index: int) -> None:
        turn = index
        while time.monotonic() < stop:
            try:
                latencies.append(await _one(client, MESSAGES[turn % len(MESSAGES)]))
            except (httpx.HTTPError, AssertionError) as exc:
                errors[type(exc).__name__] += 1
            turn += 1

    started = time.perf_counter()
    await asyncio.gather(*(user(i) for i in range(CLIENTS)))
    elapsed = time.perf_counter() - started
    return {
        "clients": CLIENTS,
        "workers": 2,
        "seconds": round(elapsed, 1),
        "requests": len(latencies),
        "throughput_rps": round(len(latencies) / elapsed, 1),
        "latency_ms": summary(latencies),
        "errors": sum(errors.values()),
        "error_types": dict(errors),
    }


async def _one(client: httpx.AsyncClient, message: tuple[str, str]) -> float:
    started = time.perf_counter()
    answer = await client.post("/v1/suggestions", json={"text": message[0], "channel": message[1]})
    assert answer.status_code == 200, answer.status_code
    return (time.perf_counter() - started) * 1000


async def _webhooks(client: httpx.AsyncClient) -> dict[str, Any]:
    gate = asyncio.Semaphore(CLIENTS)
    latencies: list[float] = []
    statuses: Counter[str] = Counter()

    async def deliver(conversation: int) -> None:
        text, _channel = MESSAGES[conversation % len(MESSAGES)]
        body, headers = _signed(text, conversation)
        async with gate:
            started = time.perf_counter()
            answer = await client.post("/v1/webhooks/chatwoot", content=body, headers=headers)
            latencies.append((time.perf_counter() - started) * 1000)
        statuses[answer.json().get("status", str(answer.status_code))] += 1

    await asyncio.gather(*(deliver(i) for i in range(1, WEBHOOKS + 1)))
    ordered = sorted(latencies)
    return {
        "sent": WEBHOOKS,
        "answers": dict(statuses),
        "answer_ms": summary(latencies),
        "answer_p99_ms": round(ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))], 1),
        "_sent_at": time.monotonic(),
    }


def _signed(text: str, conversation: int) -> tuple[bytes, dict[str, str]]:
    payload = {
        "event": "message_created",
        "id": 10_000 + conversation,
        "content": text,
        "message_type": "incoming",
        "private": False,
        "content_attributes": {},
        "sender": {"id": conversation, "name": "Customer", "type": "contact"},
        "conversation": {"id": conversation, "channel": "Channel::WebWidget", "messages": []},
        "account": {"id": 1},
    }
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    stamp = str(int(time.time()))
    return body, {
        "content-type": "application/json",
        "x-chatwoot-timestamp": stamp,
        "x-chatwoot-signature": sign(SECRET, stamp, body),
        "x-chatwoot-delivery": str(uuid.uuid4()),
    }


def _overhead(base_latencies: list[float]) -> dict[str, Any]:
    from assistant.pipeline import Assistant

    assistant = Assistant.load(embeddings=False)
    text, channel = MESSAGES[0]
    assistant.suggest(text, channel=channel)
    local = []
    for _ in range(100):
        started = time.perf_counter()
        assistant.suggest(text, channel=channel)
        local.append((time.perf_counter() - started) * 1000)
    service_p50, local_p50 = statistics.median(base_latencies), statistics.median(local)
    return {
        "service_p50_ms": round(service_p50, 2),
        "in_process_p50_ms": round(local_p50, 2),
        "overhead_p50_ms": round(service_p50 - local_p50, 2),
        "target_ms": 5.0,
    }


def _environment(folder: Path, chatwoot_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "ASSISTANT_REVIEW_DB": str(folder / "reviews.sqlite3"),
        "ASSISTANT_CACHE_DIR": str(folder / "cache"),
        "ASSISTANT_EMBEDDINGS": "false",
        "ASSISTANT_BACKEND": "offline",
        "ASSISTANT_RATE_LIMIT_PER_MINUTE": "1000000",
        "ASSISTANT_CHATWOOT_URL": chatwoot_url,
        "ASSISTANT_CHATWOOT_API_TOKEN": "bench-token",
        "ASSISTANT_CHATWOOT_WEBHOOK_SECRET": SECRET,
        "ASSISTANT_WORKER_POLL_S": "0.1",
    }


def _create_key(db: str) -> str:
    from assistant.service.keys import KeyStore
    from assistant.service.state import open_engines

    engine, writer = open_engines(db)
    try:
        return KeyStore(writer).create("bench")
    finally:
        engine.dispose()


def _start(env: dict[str, str], port: int, log: Path) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "assistant", "serve", "--port", str(port), "--workers", "2"]
    with log.open("wb") as handle:
        return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=handle)


def _wait_ready(base: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 180  # loading is not measured; a busy machine is slow
    ready = 0
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the service exited with {process.returncode}")
        try:
            ready = ready + 1 if httpx.get(f"{base}/readyz", timeout=2).status_code == 200 else 0
        except httpx.HTTPError:
            ready = 0
        if ready >= 4:  # both workers answer (the kernel spreads connections over them)
            return
        time.sleep(0.25)
    raise RuntimeError("the service did not become ready within 180 s")


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _print(result: dict[str, Any]) -> None:
    load, hooks, over = result["suggestions"], result["webhooks"], result["overhead"]
    lat = load["latency_ms"]
    print(
        f"suggestions: {load['clients']} clients x {load['seconds']} s, {load['workers']} workers: "
        f"{load['requests']} requests, {load['throughput_rps']} req/s, p50 {lat['median']} ms, "
        f"p95 {lat['p95']} ms, errors {load['errors']}"
    )
    print(
        f"webhooks: {hooks['sent']} sent, answers {hooks['answers']}, answer p50 "
        f"{hooks['answer_ms']['median']} ms, p99 {hooks['answer_p99_ms']} ms (target < 1000); "
        f"lost {hooks['lost']}, duplicated {hooks['duplicated']}, drained in {hooks['drained_s']} s"
    )
    print(
        f"overhead: service p50 {over['service_p50_ms']} ms - in-process p50 "
        f"{over['in_process_p50_ms']} ms = {over['overhead_p50_ms']} ms (target <= 5)"
    )


if __name__ == "__main__":
    run()
