"""Large word-list patterns, built and compiled once per machine instead of once per process.

A brand's word lists become regexes of thousands of alternatives (every entry's topic
words in every language: 6,600 phrases), and Python both writes such a pattern and
compiles it in Python code, in time with its size: a process's first draft spent about
0.4 s of its 1.7 s on them, and each forked evaluation worker again. `compiled_as` keeps
a pattern with its compiled program in the cache folder (`Settings.cache_dir`/patterns),
under a key that names everything the pattern is built from, and later processes take
both from the file.

The program is what `re.compile` itself hands the regex engine (`re._compiler`); the
engine checks a program before it runs it and refuses an invalid one, and a file that
cannot be read, fails its checksum or is refused is built again and rewritten: a cache,
never a source of truth. Anything but CPython's engine compiles as usual.
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
import tempfile
import threading
from array import array
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

#: Patterns shorter than this are built and compiled in a few milliseconds: no file.
MIN_LENGTH = 2_000
#: The sample brand leaves about 170 files (8 MB).
MAX_FILES = 1_000
#: Then sha256(payload), and the payload: flags, the pattern's length in bytes, the
#: pattern (UTF-8) and the program.
_HEADER = b"assistant-pattern-2\n"


def compiled_as(key: str, build: Callable[[], str]) -> re.Pattern[str]:
    """`re.compile(build())`, where `key` names everything `build` reads (the caller's
    word list and the code and data that write it): a process that built the pattern
    before skips building and compiling it.

    One thread builds a key while the others wait, then read its file: a service that
    had just started, or an evaluation's 32 threads on their first messages, asked for
    the same patterns at once and each built its own (on an empty cache folder: 220
    builds of 145 patterns, and 27 s for 32 LLM-drafted messages instead of 15)."""
    folder = _folder()
    if folder is None:
        return re.compile(build())
    digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()
    path = folder / f"{digest}.bin"
    with _BUILDING[int(digest[:8], 16) % len(_BUILDING)]:
        cached = _load(path)
        if cached is not None:
            return cached
        pattern = build()
        program = _program(pattern) if len(pattern) >= MIN_LENGTH else None
        if program is None:
            return re.compile(pattern)
        _store(path, pattern, *program)
        return _build(pattern, *program)


#: Locks by key (a key's digest picks one): keys that share one wait for each other.
_BUILDING = tuple(threading.Lock() for _ in range(64))


def _program(pattern: str) -> tuple[int, array[int]] | None:
    """The flags and program `re.compile` would give the engine (no groups only)."""
    try:
        from re import _compiler, _parser  # type: ignore[attr-defined]

        parsed = _parser.parse(pattern, 0)
        if parsed.state.groups != 1 or parsed.state.groupdict:
            return None  # capturing groups: compiled as usual
        return int(parsed.state.flags), array("I", _compiler._code(parsed, 0))
    except Exception:  # another engine, or a changed private module
        return None


def _build(pattern: str, flags: int, code: array[int]) -> re.Pattern[str]:
    import _sre  # type: ignore[import-not-found]

    built: re.Pattern[str] = _sre.compile(pattern, flags, code.tolist(), 0, {}, (None,))
    return built


def _load(path: Path) -> re.Pattern[str] | None:
    try:
        data = path.read_bytes()
        head = len(_HEADER)
        digest, payload = data[head : head + 32], data[head + 32 :]
        if not data.startswith(_HEADER) or hashlib.sha256(payload).digest() != digest:
            return None  # not ours, torn or changed on disk
        flags = int.from_bytes(payload[:8], "little")
        size = int.from_bytes(payload[8:16], "little")
        pattern = payload[16 : 16 + size].decode("utf-8", "surrogatepass")
        code = array("I")
        code.frombytes(payload[16 + size :])
        return _build(pattern, flags, code)
    except (OSError, ValueError, RuntimeError, TypeError):  # missing, torn or refused
        return None


def _store(path: Path, pattern: str, flags: int, code: array[int]) -> None:
    """Written whole or not at all (a reader never sees half a file). Each edit of a word
    list leaves its old patterns behind: past `MAX_FILES`, the older half goes."""
    text = pattern.encode("utf-8", "surrogatepass")
    payload = flags.to_bytes(8, "little") + len(text).to_bytes(8, "little") + text
    payload += code.tobytes()
    try:
        _prune(path.parent)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as out:
            out.write(_HEADER + hashlib.sha256(payload).digest() + payload)
        os.replace(out.name, path)
    except OSError:  # a read-only disk only costs the next process the compile
        return


def _prune(folder: Path) -> None:
    files = list(folder.glob("*.bin"))
    if len(files) < MAX_FILES:
        return
    files.sort(key=lambda f: f.stat().st_mtime)
    for old in files[: len(files) // 2]:
        old.unlink(missing_ok=True)


@lru_cache(maxsize=1)
def _folder() -> Path | None:
    """The cache folder for this interpreter's regex engine, or None (not CPython, or no
    writable cache folder)."""
    try:
        import _sre

        from assistant.settings import get_settings

        engine = f"{sys.implementation.name}-{sys.version_info[0]}.{sys.version_info[1]}"
        folder = get_settings().cache_dir / "patterns" / f"{engine}-{_sre.MAGIC}-{_sre.CODESIZE}"
        folder.mkdir(parents=True, exist_ok=True)
        return folder
    except Exception:  # no _sre, no settings, no disk: compile every time
        return None
