"""Files shipped inside the package (sample brand, prompts, fitted numbers).

Found through `importlib.resources`, so the installed wheel works from any folder.
"""

from __future__ import annotations

from importlib.resources import as_file, files
from pathlib import Path


def data_path(*parts: str) -> Path:
    """A bundled file or folder under `assistant/data/` as a real path on disk."""
    resource = files("assistant").joinpath("data", *parts)
    with as_file(resource) as path:  # wheels unpack to disk; zip imports are not supported
        return Path(path)


def sample_guidelines() -> Path:
    """The bundled sample brand (Nimbus Home): a complete guidelines folder."""
    return data_path("guidelines")


def prompts_dir() -> Path:
    """The bundled prompt files of the LLM drafter, rewrites and judge."""
    return data_path("prompts")
