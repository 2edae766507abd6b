"""Ray, locally: one 2-CPU instance shared by the Ray tests, bound to 127.0.0.1."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATASET = ROOT / "evaluation" / "datasets" / "messages.jsonl"
# Ray must neither phone home nor start its dashboard; set before it is imported.
RAY_ENVIRONMENT = {"RAY_USAGE_STATS_ENABLED": "0", "RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER": "0"}


def messages(count: int) -> list[dict[str, Any]]:
    """`count` test-split messages of the dataset in as many languages as possible."""
    rows = [json.loads(line) for line in DATASET.read_text(encoding="utf-8").splitlines()]
    rows = [r for r in rows if r["split"] == "test"]
    by_language: dict[str, dict[str, Any]] = {}
    for row in rows:
        by_language.setdefault(row["language"], row)
    chosen = list(by_language.values())[:count]
    return [
        {"id": r["id"], "text": r["text"], "channel": r["channel"], "locale": r.get("locale")}
        for r in chosen
    ]


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return path


def comparable(line: dict[str, Any]) -> dict[str, Any]:
    """A result without what legitimately differs between runs (timings)."""
    line = json.loads(json.dumps(line))
    suggestion = line.get("suggestion") or {}
    suggestion.pop("timings_ms", None)
    line.pop("latency_ms", None)
    return line


@pytest.fixture(scope="module")
def local_ray() -> Iterator[Any]:
    """A local Ray instance with 2 CPUs for this module, shut down after it."""
    os.environ.update(RAY_ENVIRONMENT)
    ray = pytest.importorskip("ray")
    ray.init(
        address="local",
        num_cpus=2,
        include_dashboard=False,
        log_to_driver=False,
        _node_ip_address="127.0.0.1",
    )
    try:
        yield ray
    finally:
        ray.shutdown()
