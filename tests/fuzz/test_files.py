"""Every file and stream the product reads is bounded, UTF-8 checked, and split on "\\n".

U+2028, U+0085 and friends are valid inside JSON strings: str.splitlines() cut lines
there. FIFOs, devices, folders and dangling links are refused at once, never read.
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest

from assistant.errors import FileError, InputError
from assistant.evaluation import DatasetError, load_dataset
from assistant.evaluation.dataset import DEFAULT_DATASET
from assistant.evaluation.store import ResultRecord, ResultsError, ResultStore, load_run
from assistant.text import read_bounded, read_stream

ROW = json.loads(DEFAULT_DATASET.read_text(encoding="utf-8").split("\n", 1)[0])


def _dataset(tmp_path: Path, *texts: str) -> Path:
    rows = [
        json.dumps({**ROW, "id": f"x-{i}", "text": t}, ensure_ascii=False)
        for i, t in enumerate(texts)
    ]
    path = tmp_path / "data.jsonl"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "separator", ["\u2028", "\u2029", "\u0085", "\x1c", "\x1d", "\x1e", "\x0b", "\x0c"]
)
def test_line_separators_inside_a_message_do_not_split_a_dataset_line(
    tmp_path: Path, separator: str
) -> None:
    items = load_dataset(_dataset(tmp_path, f"my order{separator}is late"))
    assert [item.text for item in items] == [f"my order{separator}is late"]


def test_results_with_line_separators_are_read_back_on_resume(tmp_path: Path) -> None:
    item = load_dataset(_dataset(tmp_path, "late\u2028order\u0085again"))[0]
    path = tmp_path / "run" / "results.jsonl"
    store = ResultStore(path, "key")
    store.append(ResultRecord(id=item.id, config="key", item=item))
    assert ResultStore(path, "key").done[item.id].item.text == "late\u2028order\u0085again"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b'{"id": "\xff\xfe"}\n', "not UTF-8"),
        (b"[" * 100_000 + b"\n", "nested too deeply"),
        (b'{"id": ' + b"9" * 100_000 + b"}\n", "not a usable JSON object"),
    ],
)
def test_bad_dataset_bytes_are_a_dataset_error(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_bytes(content)
    with pytest.raises(DatasetError, match=reason):
        load_dataset(path)


def _special(tmp_path: Path, kind: str) -> Path:
    path = tmp_path / f"{kind}.jsonl"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "folder":
        path.mkdir()
    elif kind == "device":
        path.symlink_to("/dev/zero")
    elif kind == "dangling":
        path.symlink_to(tmp_path / "nowhere")
    elif kind == "loop":
        path.symlink_to(path)
    return path


@pytest.mark.parametrize("kind", ["fifo", "folder", "device", "dangling", "loop"])
def test_files_that_are_not_regular_are_refused_at_once(tmp_path: Path, kind: str) -> None:
    path = _special(tmp_path, kind)
    with pytest.raises(FileError, match=str(path)):
        read_bounded(path)
    with pytest.raises(DatasetError):
        load_dataset(path)


def test_a_file_over_the_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"a" * 101)
    with pytest.raises(FileError, match="larger than 100 bytes"):
        read_bounded(path, limit=100)
    assert read_bounded(path, limit=101) == "a" * 101


def test_a_damaged_run_folder_is_a_results_error(tmp_path: Path) -> None:
    (tmp_path / "summary.json").write_text('{"not": "a summary"}', encoding="utf-8")
    (tmp_path / "scores.jsonl").write_text("", encoding="utf-8")
    with pytest.raises(ResultsError, match=r"summary\.json"):
        load_run(tmp_path)


def test_stdin_must_be_utf8_and_bounded() -> None:
    assert read_stream(io.BytesIO("héllo\u2028".encode())) == "héllo\u2028"
    with pytest.raises(InputError, match="not UTF-8 text"):
        read_stream(io.BytesIO(b"caf\xe9"))
    with pytest.raises(InputError, match="more than 10 bytes"):
        read_stream(io.BytesIO(b"a" * 11), limit=10)
