"""The runner with the openai backend against the local OpenAI-compatible test server,
which injects 429s and timeouts: every message gets a result or a recorded error, none
is lost or duplicated. Nothing leaves 127.0.0.1."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.evaluation import load_dataset, run_evaluation
from assistant.knowledge import KnowledgeBase
from tests.evaluation.eval_support import FakeEmbedder, llm_responder, make_item
from tests.support.openai_server import OpenAIServer


@pytest.fixture
def server(kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch) -> Iterator[OpenAIServer]:
    """A server where every 4th request is a 429 and every 5th answers after the timeout."""
    with OpenAIServer(llm_responder(kb, rate_limit_every=4, slow_every=5, slow_s=1.5)) as srv:
        monkeypatch.setenv("OPENAI_BASE_URL", srv.base_url)
        monkeypatch.setenv("ASSISTANT_TIMEOUT_S", "0.5")
        monkeypatch.setenv("ASSISTANT_MAX_RETRIES", "1")
        monkeypatch.setenv("ASSISTANT_LLM_CACHE", "false")
        monkeypatch.setenv("ASSISTANT_EMBEDDINGS", "false")
        yield srv


def test_concurrent_run_with_429s_and_timeouts_loses_nothing(
    server: OpenAIServer, tmp_path: Path
) -> None:
    items = load_dataset(limit=24)
    blank = make_item("xx-blank", text="   ")  # the pipeline refuses it: a recorded error
    result = run_evaluation(
        [*items, blank],
        tmp_path,
        backend="openai:test-model",
        concurrency=8,
        n=2,
        progress=False,
        report=False,
        embedder=FakeEmbedder(),
    )
    lines = [json.loads(x) for x in (tmp_path / "results.jsonl").read_text().splitlines()]
    ids = [line["id"] for line in lines]
    assert sorted(ids) == sorted([i.id for i in items] + ["xx-blank"])  # none lost, no dupes
    errors = {line["id"]: line["error"] for line in lines if line["error"]}
    assert list(errors) == ["xx-blank"] and errors["xx-blank"].startswith("InputError")
    backends = [
        d["backend"] for line in lines if line["suggestion"] for d in line["suggestion"]["drafts"]
    ]
    assert "openai:test-model" in backends  # the model answered some drafts...
    assert any("fallback from openai:test-model" in b for b in backends)  # ...not all
    assert len(server.requests) >= 2 * len(items)
    assert result.errors == 1 and result.summary.counts["missing"] == 0
    assert result.summary.config["backend"] == "openai:test-model"
    assert result.summary.config["prompt"].startswith("draft@")


def test_the_llm_judge_scores_through_the_same_server(
    kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    with OpenAIServer(llm_responder(kb)) as srv:
        monkeypatch.setenv("OPENAI_BASE_URL", srv.base_url)
        monkeypatch.setenv("ASSISTANT_LLM_CACHE", "false")
        monkeypatch.setenv("ASSISTANT_EMBEDDINGS", "false")
        items = load_dataset(limit=4)
        result = run_evaluation(
            items,
            tmp_path,
            backend="offline",
            judge="openai:test-model",
            n=1,
            progress=False,
            report=False,
            embedder=FakeEmbedder(),
        )
        judged = [r for r in srv.requests if "strict reviewer" in r.message("system")]
    summary = result.summary
    assert len(judged) == 4
    assert summary.judge is not None and summary.judge["judged"] == 4
    assert summary.judge["uncalibrated"] is True
    assert summary.overall["judge_overall"].mean == 4.0
    assert summary.config["judge"].startswith("openai:test-model judge@")
