"""Evaluation speed and safety.

(a) the full offline evaluation of the dataset (377 messages), `Assistant.load`, scoring
    and report.html included (target <= 30 s);
(b) the openai backend against the local OpenAI-compatible test server answering every
    call after 300 ms: 300 messages at concurrency 16, one draft each (target <= 15 s,
    zero lost results). With 3 drafts a message, the drafts of one message are written
    one after the other, so 300 x 3 x 0.3 s / 16 >= 16.9 s whatever the runner does.
"""

from __future__ import annotations

import json
import os
import re
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from benchmarks._util import ROOT

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DATASET = ROOT / "evaluation" / "datasets" / "messages.jsonl"
OFFLINE_TARGET_S = 30.0
SERVER_TARGET_S = 15.0
SERVER_MESSAGES = 300
SERVER_CONCURRENCY = 16
SERVER_LATENCY_S = 0.3


def _offline(tmp: Path) -> dict[str, Any]:
    from assistant.evaluation import run_evaluation
    from assistant.settings import Settings

    warm = (Settings().cache_dir / "eval-embeddings.sqlite3").exists()
    started = time.perf_counter()
    result = run_evaluation(DATASET, tmp / "offline", concurrency=4, progress=False)
    seconds = time.perf_counter() - started
    summary = result.summary
    return {
        "messages": result.items,
        "errors": result.errors,
        "lost": result.items - summary.counts["results"],
        "total_s": round(seconds, 2),
        "per_message_ms": round(seconds / max(result.items, 1) * 1000, 1),
        "report_kb": round((tmp / "offline" / "report.html").stat().st_size / 1024, 1),
        "languages": len(summary.by_language),
        "quality": summary.overall["quality"].mean,
        "embedding_cache": "warm" if warm else "cold",
        "target_s": OFFLINE_TARGET_S,
        "within_target": seconds <= OFFLINE_TARGET_S,
    }


@contextmanager
def _environment(**values: str) -> Iterator[None]:
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _server(tmp: Path) -> dict[str, Any]:
    from assistant.evaluation import run_evaluation
    from tests.support.openai_server import OpenAIServer

    out = tmp / "server"
    with (
        OpenAIServer(_responder(), latency=SERVER_LATENCY_S) as server,
        _environment(OPENAI_BASE_URL=server.base_url, ASSISTANT_LLM_CACHE="false"),
    ):
        started = time.perf_counter()
        result = run_evaluation(
            DATASET,
            out,
            backend="openai:test-model",
            n=1,
            limit=SERVER_MESSAGES,
            concurrency=SERVER_CONCURRENCY,
            progress=False,
        )
        seconds = time.perf_counter() - started
        requests = len(server.requests)
    lines = (out / "results.jsonl").read_text(encoding="utf-8").splitlines()
    ids = [json.loads(line)["id"] for line in lines]
    return {
        "messages": result.items,
        "result_lines": len(ids),
        "lost": result.items - len(set(ids)),
        "duplicated": len(ids) - len(set(ids)),
        "errors": result.errors,
        "requests": requests,
        "total_s": round(seconds, 2),
        "floor_s": round(SERVER_MESSAGES * SERVER_LATENCY_S / SERVER_CONCURRENCY, 2),
        "target_s": SERVER_TARGET_S,
        "within_target": seconds <= SERVER_TARGET_S and len(set(ids)) == result.items,
    }


def _responder() -> Any:
    """A model that answers in the language the prompt asks for (the locale's clarify line)."""
    from assistant.knowledge import load_knowledge_base

    kb = load_knowledge_base()
    code = re.compile(r'language code "([a-z]{2,3})"')

    def respond(payload: dict[str, Any]) -> dict[str, Any]:
        found = code.search(str(payload["messages"][0]["content"]))
        language = found.group(1) if found else "en"
        return {
            "text": kb.locale(language).lines.clarify,
            "language": language,
            "tone": "friendly",
            "citations": [],
            "confidence": 0.6,
            "needs_escalation": False,
        }

    return respond


def run() -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        offline = _offline(Path(tmp))
        server = _server(Path(tmp))
    result = {"offline_full_dataset": offline, "local_server_300ms": server}
    _print(result)
    return result


def _print(result: dict[str, dict[str, Any]]) -> None:
    from rich.console import Console
    from rich.table import Table

    keys = list(dict.fromkeys(k for part in result.values() for k in part))
    table = Table("measure", *result, title="evaluation runner")
    for key in keys:
        table.add_row(key, *(str(part.get(key, "")) for part in result.values()))
    Console().print(table)
