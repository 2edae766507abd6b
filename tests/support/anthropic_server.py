"""A small Anthropic-compatible Messages API server for tests: `POST /v1/messages`.

Scripted exactly like `OpenAIServer` (same `Reply`s, sequences or responder functions,
`faithful_draft` included); only the wire format differs. Structured output goes into a
`tool_use` block when the client forces a tool (langchain's function calling), else
into a text block. Give a client `server.base_url` (no `/v1`: the SDK adds it).

    with AnthropicServer([Reply.error(429, retry_after=0), {...}]) as server:
        ...
"""

from __future__ import annotations

import itertools
import json
from typing import Any

from tests.support.openai_server import Reply, ScriptedServer

_ERROR_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    429: "rate_limit_error",
    500: "api_error",
    529: "overloaded_error",
}


class AnthropicServer(ScriptedServer):
    """An Anthropic-compatible HTTP server on 127.0.0.1; a context manager."""

    paths = ("/v1/messages",)
    _ids = itertools.count(1)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def completion(self, payload: dict[str, Any], reply: Reply) -> dict[str, Any]:
        block, stop = _content_block(payload, reply.content)
        prompt_tokens, completion_tokens = reply.usage or (
            max(1, len(json.dumps(payload, ensure_ascii=False)) // 4),
            max(1, len(json.dumps(block, ensure_ascii=False)) // 4),
        )
        return {
            "id": f"msg_test_{next(self._ids)}",
            "type": "message",
            "role": "assistant",
            "model": payload.get("model") or self.model,
            "content": [block],
            "stop_reason": reply.finish_reason or stop,
            "stop_sequence": None,
            "usage": {"input_tokens": prompt_tokens, "output_tokens": completion_tokens},
        }

    def error_body(self, status: int, message: str | None = None) -> Any:
        kind = _ERROR_TYPES.get(status, "api_error")
        return {
            "type": "error",
            "error": {"type": kind, "message": message or f"scripted {status}"},
        }


def _content_block(payload: dict[str, Any], content: Any) -> tuple[dict[str, Any], str]:
    tool = _forced_tool(payload)
    if tool is not None and isinstance(content, dict):
        return {"type": "tool_use", "id": "toolu_test_1", "name": tool, "input": content}, (
            "tool_use"
        )
    text = content if isinstance(content, str) else json.dumps(content, ensure_ascii=False)
    return {"type": "text", "text": text}, "end_turn"


def _forced_tool(payload: dict[str, Any]) -> str | None:
    tools = payload.get("tools") or []
    if not tools:
        return None
    choice = payload.get("tool_choice") or {}
    if isinstance(choice, dict) and choice.get("type") == "tool":
        return str(choice.get("name"))
    return str(tools[0].get("name"))
