"""A small Ollama-compatible chat server for tests: `POST /api/chat`, answered as the
newline-delimited JSON stream the Ollama client reads (one content chunk, then `done`).

Scripted exactly like `OpenAIServer` (same `Reply`s, sequences or responder functions);
structured output is the message content, as Ollama returns it for a `format` schema.
Give a client `server.base_url` (the client adds `/api/chat`).
"""

from __future__ import annotations

import json
from typing import Any

from tests.support.openai_server import Reply, ScriptedServer

_CREATED = "2026-01-01T00:00:00Z"


class OllamaServer(ScriptedServer):
    """An Ollama-compatible HTTP server on 127.0.0.1; a context manager."""

    paths = ("/api/chat",)
    content_type = "application/x-ndjson"

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def completion(self, payload: dict[str, Any], reply: Reply) -> str:
        content = reply.content
        text = content if isinstance(content, str) else json.dumps(content, ensure_ascii=False)
        prompt_tokens, completion_tokens = reply.usage or (
            max(1, len(json.dumps(payload.get("messages", []), ensure_ascii=False)) // 4),
            max(1, len(text) // 4),
        )
        model = payload.get("model") or self.model
        chunk = {
            "model": model,
            "created_at": _CREATED,
            "message": {"role": "assistant", "content": text},
            "done": False,
        }
        done = {
            "model": model,
            "created_at": _CREATED,
            "message": {"role": "assistant", "content": ""},
            "done": True,
            "done_reason": reply.finish_reason or "stop",
            "prompt_eval_count": prompt_tokens,
            "eval_count": completion_tokens,
        }
        return "\n".join(json.dumps(line, ensure_ascii=False) for line in (chunk, done)) + "\n"

    def error_body(self, status: int, message: str | None = None) -> Any:
        return {"error": message or f"scripted HTTP {status}"}
