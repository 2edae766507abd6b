"""Review store speed: 1,000 sequential decisions on a SQLite file (target: <= 5 s in all).

Each decision is one `add_draft` plus one approve (60 %), edit (30 %) or reject (10 %),
every one its own transaction with its audit rows (WAL, synchronous=NORMAL, the store's
default); then one export and one statistics query over the lot.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

from assistant.review import ReviewStore
from assistant.types import Draft, Finding, Message
from benchmarks._util import summary

DECISIONS = 1_000
TARGET_S = 5.0
LANGUAGES = {
    "en": ("Hi Sam, your order is on its way.", "Hi Sam, your order ships tomorrow."),
    "es": ("Hola Ana, tu pedido está en camino.", "Hola Ana, tu pedido llega mañana."),
    "hy": ("Բարև Անի, ձեր պատվերը ճանապարհին է։", "Բարև Անի, պատվերը կհասնի վաղը։"),
    "zh": ("您好，您的订单正在配送中。", "您好，您的订单明天送达。"),
}
WARN = Finding(id="length", severity="warn", message="long for the channel")


def run() -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp, ReviewStore(Path(tmp) / "bench.sqlite3") as store:
        add_ms, decide_ms = [], []
        started, cpu_started = time.perf_counter(), time.process_time()
        for i in range(DECISIONS):
            language = list(LANGUAGES)[i % len(LANGUAGES)]
            t0 = time.perf_counter()
            review_id = store.add_draft(*_inputs(language, i)).id
            t1 = time.perf_counter()
            _decide(store, review_id, i, LANGUAGES[language][1])
            t2 = time.perf_counter()
            add_ms.append((t1 - t0) * 1000)
            decide_ms.append((t2 - t1) * 1000)
        total_s = time.perf_counter() - started
        cpu_s = time.process_time() - cpu_started
        export_s = _timed(lambda: store.export(Path(tmp) / "outbox.jsonl", "bench"))
        stats_s = _timed(store.stats)
    per_decision = [a + d for a, d in zip(add_ms, decide_ms, strict=True)]
    result = {
        "decisions": DECISIONS,
        "total_s": round(total_s, 3),
        "cpu_s": round(cpu_s, 3),  # the wall time minus waiting for the disk or other processes
        "per_decision_ms": summary(per_decision),  # add + approve/edit/reject
        "add_ms": summary(add_ms),
        "decide_ms": summary(decide_ms),
        "export_s": round(export_s, 3),
        "stats_ms": round(stats_s * 1000, 1),
        "target_s": TARGET_S,
        "within_target": total_s <= TARGET_S,
    }
    _print(result)
    return result


def _inputs(language: str, i: int) -> tuple[Message, Draft]:
    message = Message(text=f"Where is my order #{i}?", channel="twitter", customer_name="Sam")
    findings = [WARN] if i % 7 == 0 else []
    tone = ("friendly", "formal")[i % 2]
    text = LANGUAGES[language][0]
    draft = Draft(text=text, language=language, tone=tone, citations=["order-status"])
    return message, draft.model_copy(update={"findings": findings})


def _decide(store: ReviewStore, review_id: int, i: int, edited: str) -> None:
    kind = i % 10
    if kind < 6:
        store.approve(review_id, "alice")
    elif kind < 9:
        store.edit(review_id, "bob", edited)
    else:
        store.reject(review_id, "carol", "off-brand")


def _timed(call: Any) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def _print(result: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table("measure", "value", title=f"review store: {DECISIONS} decisions on SQLite")
    for key, value in result.items():
        if isinstance(value, dict):
            value = f"median {value['median']}  p95 {value['p95']}  max {value['max']}"
        table.add_row(key, str(value))
    Console().print(table)
