"""`assistant guidelines init DIR`: the sample brand copied as a starting point."""

from __future__ import annotations

import shutil
from pathlib import Path

from assistant.errors import ConfigError
from assistant.resources import sample_guidelines


def copy_sample_brand(directory: Path) -> list[Path]:
    """Copy the bundled sample brand (YAML files, schemas, README) into `directory`.

    Refuses to write into a folder that already has files, so nothing is overwritten.
    Returns the files written.
    """
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise ConfigError(
            f"{directory} already exists and is not an empty folder; "
            "pick a new folder name (nothing was written)"
        )
    source = sample_guidelines()
    shutil.copytree(
        source, directory, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__")
    )
    return sorted(p for p in directory.rglob("*") if p.is_file())
