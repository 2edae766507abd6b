"""The hostile-input probe, made permanent: no traceback, no hang, clear errors.

Each surface runs for its share of FUZZ_SECONDS (see driver.py); `make fuzz` gives it
minutes, `make test` seconds. Case counts are printed at the end of the session.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import strategies as st

from assistant import Assistant
from assistant.checks.channel import find_links
from assistant.errors import Problem, UserError
from assistant.evaluation import DatasetError, load_dataset
from assistant.evaluation.dataset import DEFAULT_DATASET
from assistant.knowledge.loader import inspect_guidelines
from assistant.language import detect_language
from assistant.language.detect import LANGUAGE_NAMES
from assistant.language.noise import strip_noise
from assistant.understanding.injection import find_injection
from assistant.understanding.private_data import find_private_data
from tests.fuzz.cli import build_once
from tests.fuzz.driver import case_budget, fuzz, hostile_bytes, hostile_texts
from tests.fuzz.guidelines import MINIMAL, guideline_files
from tests.review.review_support import install_fake_pipeline, invoke, make_suggestion

CODES = sorted(LANGUAGE_NAMES)
CHANNELS = ["twitter", "instagram", "facebook", "whatsapp", "email", "wechat", "line"]


def _no_traceback(result: object) -> None:
    exception = getattr(result, "exception", None)
    assert exception is None or isinstance(exception, SystemExit), repr(exception)
    assert getattr(result, "exit_code", 0) in (0, 1, 2)
    assert "Traceback" not in getattr(result, "output", "")


def test_detect_language(tmp_path: Path) -> None:
    cases = st.tuples(
        hostile_texts(),
        st.none() | st.lists(st.sampled_from([*CODES, "xx", "pt-BR", ""]), max_size=4),
        st.none() | st.text(max_size=12),
    )

    def check(case: tuple[str, list[str] | None, str | None]) -> None:
        text, languages, hint = case
        try:
            detection = detect_language(text, languages=languages, hint=hint)
        except UserError:
            assert languages is not None  # only a bad restriction is refused
            return
        assert detection.language == "und" or detection.language in LANGUAGE_NAMES
        assert 0.0 <= detection.confidence <= 1.0

    detect_language("warm up the models")
    assert fuzz("detect_language", cases, check) > 0


def test_text_scanners() -> None:
    def check(text: str) -> None:
        for found in (find_private_data(text, "en"), find_private_data(text, "ja")):
            assert all(text[d.span.start : d.span.end] == d.text for d in found)
        assert all(text[m.span.start : m.span.end] == m.text for m in find_injection(text))
        assert all(text[s.start : s.end] == link for link, s in find_links(text))
        assert isinstance(strip_noise(text), str)

    assert fuzz("private data, injection, links", hostile_texts(), check, bound=1.0) > 0


@pytest.fixture(scope="module")
def assistant() -> Assistant:
    return Assistant.load(embeddings=False)


def test_suggest(assistant: Assistant) -> None:
    cases = st.tuples(
        hostile_texts(),
        st.sampled_from(CHANNELS),
        st.none() | hostile_texts(200),
        st.none() | st.text(max_size=10),
        st.integers(1, 3),
    )

    def check(case: tuple[str, str, str | None, str | None, int]) -> None:
        text, channel, name, locale, n = case
        try:
            suggestion = assistant.suggest(
                text,
                channel=channel,
                customer_name=name,
                locale=locale,
                n=n,  # type: ignore[arg-type]
            )
        except UserError:
            return
        assert 1 <= len(suggestion.drafts) <= n

    assert fuzz("suggest", cases, check, bound=10.0) > 0


def test_cli_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    build_once(monkeypatch)

    def check(data: bytes) -> None:
        _no_traceback(invoke("detect", "-", input=data))  # type: ignore[arg-type]

    assert fuzz("cli: detect -", hostile_bytes(), check, bound=10.0) > 0


def test_cli_stdin_in_a_real_process() -> None:
    """A few cases through a real `assistant detect -` process: real stdin and stdout
    pipes, whose encodings CliRunner does not reproduce."""

    def check(data: bytes) -> None:
        done = subprocess.run(
            [sys.executable, "-m", "assistant", "detect", "-"],
            input=data,
            capture_output=True,
            timeout=120,
        )
        assert done.returncode in (0, 1, 2), done.stderr[-2000:]
        assert b"Traceback" not in done.stderr, done.stderr[-2000:]
        if done.returncode == 0:
            lines = data.split(b"\n")
            expected = len(lines) - (lines[-1] == b"")
            assert len(done.stdout.splitlines()) == expected

    cases = 20 if case_budget() else 3
    assert fuzz("cli: detect - (process)", hostile_bytes(), check, bound=150, cases=cases) > 0


def test_dataset_loading(scratch: Path) -> None:
    row = json.loads(DEFAULT_DATASET.read_text(encoding="utf-8").split("\n", 1)[0])
    valid_lines = st.builds(
        lambda text, key: json.dumps({**row, key: text}, ensure_ascii=False),
        hostile_texts(2_000),
        st.sampled_from(["text", "id", "language", "customer_name", "reference_reply"]),
    )
    files = st.one_of(
        hostile_bytes(),
        st.lists(valid_lines, max_size=5).map(
            lambda lines: "\n".join(lines).encode("utf-8", "surrogateescape")
        ),
    )
    path = scratch / "data.jsonl"

    def check(data: bytes) -> None:
        path.write_bytes(data)
        try:
            load_dataset(path)
        except DatasetError as exc:
            assert exc.problems and all(isinstance(p, str) for p in exc.problems)

    assert fuzz("dataset loading", files, check) > 0


def test_guidelines_loader(scratch: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One file of a small brand replaced by hostile YAML: the loader lists problems
    (file, line, what to do) and `assistant guidelines check` exits with them."""
    build_once(monkeypatch)
    folder = scratch / "guidelines"
    shutil.copytree(MINIMAL, folder)

    def check(case: tuple[str, bytes]) -> None:
        name, data = case
        path = folder / name
        before = path.read_bytes() if path.exists() else None
        path.write_bytes(data)
        try:
            _, problems = inspect_guidelines(folder)
            assert all(isinstance(p, Problem) and str(p) for p in problems)
            _no_traceback(invoke("guidelines", "check", str(folder)))
        finally:
            if before is None:
                path.unlink()
            else:
                path.write_bytes(before)

    assert fuzz("guidelines loader", guideline_files(), check, bound=5.0) > 0


def test_review_cli(scratch: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    install_fake_pipeline(monkeypatch)
    build_once(monkeypatch)
    db = ["--db", str(scratch / "fuzz.sqlite3")]
    source = scratch / "suggestion.json"
    cases = st.tuples(hostile_texts(2_000), hostile_texts(300), hostile_bytes(), st.booleans())

    def check(case: tuple[str, str, bytes, bool]) -> None:
        text, name, raw, as_file = case
        if as_file:
            clean = text.encode("utf-8", "replace").decode() or "x"
            suggestion = make_suggestion(
                clean, name=name.encode("utf-8", "replace").decode() or None
            )
            source.write_bytes(raw if len(raw) % 2 else suggestion.model_dump_json().encode())
            added = invoke("review", "add", "--from-json", str(source), "--json", *db)
        else:
            added = invoke("review", "add", text or "-", "--name", name, "--json", *db, input=raw)  # type: ignore[arg-type]
        _no_traceback(added)
        if added.exit_code == 0:
            review_id = str(json.loads(added.output)["id"])
            edited = invoke(
                "review", "edit", review_id, "--agent", name or "a", "--text", "-", *db, input=raw
            )  # type: ignore[arg-type]
            _no_traceback(edited)

    assert fuzz("review cli", cases, check, bound=10.0) > 0


def test_http_endpoints(scratch: Path, assistant: Assistant) -> None:
    """Every POST endpoint through a real uvicorn server on 127.0.0.1, one keep-alive
    client for all cases (a new connection a case would fuzz the TCP stack instead)."""
    from assistant.service import ServiceSettings, create_app
    from tests.service.helpers import ServiceThread

    options = ServiceSettings(
        review_db=str(scratch / "reviews.sqlite3"),
        outbox=scratch / "outbox.jsonl",
        chatwoot_url="http://127.0.0.1:9",  # never reached: fuzzed webhooks are not signed
        chatwoot_api_token="token",
        chatwoot_webhook_secret="secret",
        rate_limit_per_minute=1_000_000,
        worker=False,
    )
    assistant.suggest("warm up: load the language models before the first case")
    app = create_app(options, assistant)
    paths = [
        "/v1/detect",
        "/v1/suggestions",
        "/v1/reviews",
        "/v1/webhooks/chatwoot",
        "/v1/webhooks/front",
    ]
    bodies = st.one_of(
        st.builds(
            lambda text, name: {"text": text, "customer_name": name, "n": 1},
            hostile_texts(),
            st.none() | st.text(max_size=200),
        ),
        hostile_bytes(),
    )
    cases = st.tuples(st.sampled_from(paths), bodies)
    service = ServiceThread(app)
    try:
        key = app.state.service.keys.create("fuzzer", "lead")
        headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}

        def check(case: tuple[str, object]) -> None:
            path, body = case
            content = (
                body
                if isinstance(body, bytes)
                else json.dumps(body, ensure_ascii=False).encode("utf-8", "surrogatepass")
            )
            response = service.client.post(path, content=content, headers=headers)
            unconfigured = path == "/v1/webhooks/front" and response.status_code == 503
            assert response.status_code < 500 or unconfigured, (
                path,
                response.status_code,
                response.text[:300],
            )

        assert fuzz("http endpoints", cases, check, bound=10.0) > 0
    finally:
        service.close()
