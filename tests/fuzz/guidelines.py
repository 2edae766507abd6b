"""Hostile guidelines files: one file of a small valid brand replaced by fuzzed YAML.

The brand is `tests/fixtures/minimal` (loads in about 5 ms, so 10,000 cases take
minutes). A case replaces brand.yaml, channels.yaml, tones.yaml, the English pack or an
FAQ entry (or adds an entry) with: the file's own fields with one value replaced by
hostile data, YAML built to hurt a parser (alias bombs, self-reference, deep nesting,
thousands of keys, long scalars), or raw bytes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st

from tests.fuzz.driver import hostile_bytes, hostile_texts

MINIMAL = Path(__file__).resolve().parents[1] / "fixtures" / "minimal"
FILES = [
    "brand.yaml",
    "channels.yaml",
    "tones.yaml",
    "locales/en.yaml",
    "faq/order-status.yaml",
    "faq/new-entry.yaml",
]


def _original(name: str) -> dict[str, Any]:
    path = MINIMAL / name
    data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else None
    return data if isinstance(data, dict) else {}


def _values() -> st.SearchStrategy[Any]:
    scalars = st.none() | st.booleans() | st.integers() | st.floats() | hostile_texts(2_000)
    return st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=20), inner),
        max_leaves=20,
    )


def _with_value(name: str, key: str | int, value: Any) -> bytes:
    """The file's own fields, one of them (an index into them) or a new one set to `value`."""
    data = _original(name)
    keys = sorted(data)
    field = keys[key % len(keys)] if isinstance(key, int) and keys else str(key)
    data[field] = value
    dumped = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    return dumped.encode("utf-8", "surrogateescape")


def _bomb(levels: int) -> str:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, levels + 1)]
    return "\n".join(lines) + "\n"


_SHAPES = {
    "alias bomb": _bomb,
    "self-reference": lambda n: "a: &a [*a]\n" * max(1, n % 3),
    "deep list": lambda n: "a: " + "[" * n + "]" * n + "\n",
    "deep mapping": lambda n: "".join(f"{'  ' * i}k{i}:\n" for i in range(n)) + "  " * n + "x\n",
    "many keys": lambda n: "".join(f"k{i}: v\n" for i in range(n * 40)),
    "long scalar": lambda n: "name: " + "x" * (n * 400) + "\n",
    "tabs and anchors": lambda n: "\t- &x " * n + "\n",
}


def _shaped(shape: str, size: int, original: bool, name: str) -> bytes:
    body = _SHAPES[shape](size)
    before = (
        (MINIMAL / name).read_text(encoding="utf-8")
        if original and (MINIMAL / name).exists()
        else ""
    )
    return (before + body).encode("utf-8")


def guideline_files() -> st.SearchStrategy[tuple[str, bytes]]:
    """(file name in the brand folder, its new bytes)."""
    names = st.sampled_from(FILES)
    return st.one_of(
        st.builds(
            lambda name, key, value: (name, _with_value(name, key, value)),
            names,
            st.integers(0, 50) | st.text(max_size=20),
            _values(),
        ),
        st.builds(
            lambda name, shape, size, original: (name, _shaped(shape, size, original, name)),
            names,
            st.sampled_from(sorted(_SHAPES)),
            st.integers(1, 250),
            st.booleans(),
        ),
        st.tuples(names, hostile_bytes()),
    )
