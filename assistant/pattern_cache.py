"""Large word-list patterns, compiled once per machine instead of once per process.

A brand's word lists become regexes of thousands of alternatives (every entry's topic
words in every language: 6,600 phrases), and Python compiles a regex in Python code, in
time with its size: a process's first draft spent 0.33 s of its 1.7 s compiling them,
and each forked evaluation worker again. `compiled` keeps the compiled program of such
a pattern in the cache folder (`Settings.cache_dir`/patterns), keyed by the pattern and
the interpreter's regex engine, and later processes build the pattern from it.

The program is what `re.compile` itself hands the regex engine (`re._compiler`); the
engine checks a program before it runs it and refuses an invalid one, and a file that
cannot be read, fails its checksum or is refused is compiled again and rewritten: a
cache, never a source of truth. Anything but CPython's engine compiles as usual.
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
import tempfile
from array import array
from functools import lru_cache
from pathlib import Path

#: Patterns shorter than this compile in a few milliseconds: not worth a file.
MIN_LENGTH = 2_000
#: The sample brand leaves about 170 files (7 MB).
MAX_FILES = 1_000
_HEADER = b"assistant-pattern-1\n"  # then sha256(flags + program), flags, program


def compiled(pattern: str) -> re.Pattern[str]:
    """`re.compile(pattern)`, from the cache folder when a process compiled it before."""
    folder = _folder() if len(pattern) >= MIN_LENGTH else None
    if folder is None:
        return re.compile(pattern)
    path = folder / f"{hashlib.sha256(pattern.encode('utf-8', 'surrogatepass')).hexdigest()}.bin"
    cached = _load(path, pattern)
    if cached is not None:
        return cached
    program = _program(pattern)
    if program is None:
        return re.compile(pattern)
    _store(path, *program)
    return _build(pattern, *program)


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


def _load(path: Path, pattern: str) -> re.Pattern[str] | None:
    try:
        data = path.read_bytes()
        head = len(_HEADER)
        digest, flags, body = data[head : head + 32], data[head + 32 : head + 40], data[head + 40 :]
        if not data.startswith(_HEADER) or hashlib.sha256(flags + body).digest() != digest:
            return None  # not ours, torn or changed on disk
        code = array("I")
        code.frombytes(body)
        return _build(pattern, int.from_bytes(flags, "little"), code)
    except (OSError, ValueError, RuntimeError, TypeError):  # missing, torn or refused
        return None


def _store(path: Path, flags: int, code: array[int]) -> None:
    """Written whole or not at all (a reader never sees half a file). Each edit of a word
    list leaves its old patterns behind: past `MAX_FILES`, the older half goes."""
    try:
        _prune(path.parent)
        payload = flags.to_bytes(8, "little") + code.tobytes()
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
