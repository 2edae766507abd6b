"""The Ray engine gives the local engine's results item for item: drafting a batch and
evaluating a dataset, on a 2-CPU local instance and on a two-node cluster (127.0.0.1)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from assistant.drafting.batch import draft_batch
from assistant.errors import ConfigError
from assistant.evaluation import run_evaluation
from assistant.evaluation.dataset import load_dataset
from tests.scale.conftest import comparable, messages, write_jsonl

pytestmark = [
    pytest.mark.slow,
    pytest.mark.timeout(600),
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
]
NOW = dt.datetime(2026, 11, 24, 9, 0, tzinfo=dt.UTC)


def _lines(path: Path) -> dict[str, dict[str, Any]]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == len({r["id"] for r in rows}), "no duplicates"
    return {r["id"]: comparable(r) for r in rows}


def batch(tmp_path: Path, engine: str, count: int = 6, **options: Any) -> dict[str, Any]:
    source = write_jsonl(tmp_path / "in.jsonl", messages(count))
    out = tmp_path / f"{engine}.jsonl"
    summary = draft_batch(source, out, engine=engine, now=NOW, progress=False, **options)
    lines = _lines(out)
    assert summary.errors == 0, [line["error"] for line in lines.values() if "error" in line]
    return lines


def test_ray_drafts_a_batch_like_the_local_engine(local_ray: Any, tmp_path: Path) -> None:
    local = batch(tmp_path, "local")
    remote = batch(tmp_path, "ray", concurrency=4)
    assert remote == local


def test_ray_evaluates_like_the_local_engine(local_ray: Any, tmp_path: Path) -> None:
    items = load_dataset(split="test", limit=8)
    runs = {}
    for engine in ("local", "ray"):
        out = tmp_path / engine
        run_evaluation(items, out, engine=engine, concurrency=4, progress=False, report=False)
        runs[engine] = _lines(out / "results.jsonl")
    assert runs["ray"] == runs["local"]
    scores = {engine: _scores(tmp_path / engine / "scores.jsonl") for engine in runs}
    assert scores["ray"] == scores["local"]


def _scores(path: Path) -> dict[str, dict[str, Any]]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    for row in rows:
        row["values"].pop("latency_ms")  # the only value that depends on the machine
    return {row["id"]: row for row in rows}


def test_ray_refuses_objects_it_cannot_send(local_ray: Any, tmp_path: Path) -> None:
    items = load_dataset(split="test", limit=1)
    with pytest.raises(ConfigError, match="pass it as 'openai"):
        run_evaluation(items, tmp_path, engine="ray", judge=object(), progress=False)  # type: ignore[arg-type]
