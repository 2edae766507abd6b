"""Files shipped inside the package (sample brand, prompts, fitted numbers).

Found through `importlib.resources`, so the installed wheel works from any folder.
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import as_file, files
from pathlib import Path
from typing import Any


def data_path(*parts: str) -> Path:
    """A bundled file or folder under `assistant/data/` as a real path on disk."""
    resource = files("assistant").joinpath("data", *parts)
    with as_file(resource) as path:  # wheels unpack to disk; zip imports are not supported
        return Path(path)


@cache
def data_json(*parts: str) -> Any:
    """A bundled JSON file under `assistant/data/`, read once (callers do not edit it)."""
    return json.loads(data_path(*parts).read_text(encoding="utf-8"))


def word_table(*parts: str) -> dict[str, list[str]]:
    """The `words` of a bundled word file: language code -> its words or phrases."""
    words: dict[str, list[str]] = data_json(*parts)["words"]
    return words


def sample_guidelines() -> Path:
    """The bundled sample brand (Nimbus Home): a complete guidelines folder."""
    return data_path("guidelines")


def prompts_dir() -> Path:
    """The bundled prompt files of the LLM drafter, rewrites and judge."""
    return data_path("prompts")
