"""Translation for agents: read a customer's message, check a reply you cannot read,
fill a missing FAQ answer (marked machine-translated, flagged for review), and show a
romanised message in its native script (`to_native_script`, offline).

One-method interface, `Translator.translate(text, target, source=None) -> str`.
`GoogleTranslator` from deep-translator needs a network; without one every call raises
`TranslationUnavailable` and the rest of the toolkit carries on. Results are cached in
SQLite so the same text is never translated twice.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import yaml

from assistant.errors import TranslationUnavailable

if TYPE_CHECKING:
    from assistant.types import Suggestion


class Translator(Protocol):
    id: str

    def translate(self, text: str, target: str, source: str | None = None) -> str: ...


class DeepTranslator:
    """deep-translator's GoogleTranslator (online, no key)."""

    id = "deep-translator:google"

    def __init__(self, timeout_s: float = 3.0) -> None:
        self.timeout_s = timeout_s

    def translate(self, text: str, target: str, source: str | None = None) -> str:
        try:
            from deep_translator import GoogleTranslator
        except ImportError as exc:
            raise TranslationUnavailable(
                "translation needs the 'translate' extra: pip install 'assistant[translate]'"
            ) from exc
        _require_network(self.timeout_s)
        try:
            translator = GoogleTranslator(source=source or "auto", target=_google_code(target))
            result = translator.translate(text)
        except Exception as exc:  # deep-translator raises many types; all mean "unavailable"
            raise TranslationUnavailable(
                f"translation unavailable ({type(exc).__name__}); "
                "check the network connection. Everything else "
                "works offline"
            ) from exc
        if not isinstance(result, str) or not result.strip():
            raise TranslationUnavailable("the translation service returned nothing")
        return result


def _require_network(timeout_s: float, host: str = "translate.google.com") -> None:
    """deep-translator sets no timeout of its own: probe first so an offline or
    firewalled machine answers "unavailable" at once instead of hanging."""
    import socket

    try:
        socket.create_connection((host, 443), timeout=timeout_s).close()
    except OSError as exc:
        raise TranslationUnavailable(
            f"translation unavailable: {host} cannot be reached "
            f"({exc.__class__.__name__}); everything else works "
            "offline"
        ) from exc


def _google_code(code: str) -> str:
    return {"zh": "zh-CN", "he": "iw"}.get(code, code)


class CachedTranslator:
    """Wraps a translator with a SQLite cache keyed by (translator, source, target, text)."""

    def __init__(self, inner: Translator, path: Path) -> None:
        self.inner = inner
        self.id = inner.id
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False)
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS translations (key TEXT PRIMARY KEY, text TEXT NOT NULL)"
        )
        self._lock = threading.Lock()

    def close(self) -> None:
        self._db.close()

    def translate(self, text: str, target: str, source: str | None = None) -> str:
        key = hashlib.sha256(f"{self.id}\0{source}\0{target}\0{text}".encode()).hexdigest()
        with self._lock:
            row = self._db.execute("SELECT text FROM translations WHERE key=?", (key,)).fetchone()
        if row:
            return str(row[0])
        result = self.inner.translate(text, target, source)
        with self._lock, self._db:
            self._db.execute("INSERT OR REPLACE INTO translations VALUES (?, ?)", (key, result))
        return result


def default_translator() -> Translator:
    from assistant.settings import Settings

    return CachedTranslator(DeepTranslator(), Settings().cache_dir / "translations.sqlite3")


def translate_suggestion(
    suggestion: Suggestion, target: str, translator: Translator | None = None
) -> dict[str, Any]:
    """The customer's message and every draft (back-translated) in the agent's language."""
    translator = translator or default_translator()
    source = suggestion.detection.language
    message = translator.translate(
        suggestion.message.text, target, None if source == "und" else source
    )
    drafts = [translator.translate(d.text, target, d.language) for d in suggestion.drafts]
    return {"target": target, "translator": translator.id, "message": message, "drafts": drafts}


def to_native_script(text: str, language: str) -> str | None:
    """A romanised message (Hindi, Gujarati... typed in Latin letters) in the language's
    native script, offline, for agents who read that better; None for languages without
    an Indic script. See `assistant.language.transliterate` (indic-transliteration)."""
    from assistant.language.transliterate import to_native_script as native

    return native(text, language)


def fill_missing_answers(
    faq_file: Path, languages: list[str], translator: Translator, source: str = "en"
) -> list[str]:
    """Machine-translate answers missing in `languages` into the FAQ file, marking each
    language under `machine_translated` so `guidelines check` asks for a fluent review."""
    doc = yaml.safe_load(faq_file.read_text(encoding="utf-8"))
    answers: dict[str, str] = doc.setdefault("answers", {})
    filled = [lang for lang in languages if lang not in answers]
    for lang in filled:
        answers[lang] = translator.translate(answers[source], lang, source)
    if filled:
        marked = doc.setdefault("machine_translated", [])
        marked += [lang for lang in filled if lang not in marked]
        header = faq_file.read_text(encoding="utf-8").splitlines()[0]
        body = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=4096)
        faq_file.write_text(
            (header + "\n" if header.startswith("#") else "") + body, encoding="utf-8"
        )
    return filled


__all__ = [
    "CachedTranslator",
    "DeepTranslator",
    "Translator",
    "default_translator",
    "fill_missing_answers",
    "to_native_script",
    "translate_suggestion",
]
