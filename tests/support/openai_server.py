"""A small OpenAI-compatible chat-completions server for tests and benchmarks.

It runs on 127.0.0.1 (port 0: the OS picks a free one) in a background thread and
answers `POST /v1/chat/completions` (and `/chat/completions`) with real
chat-completion JSON, usage included. What it answers is scripted:

    with OpenAIServer([Reply.structured({...}), Reply.error(429, retry_after=0)]) as server:
        ...  # point a client at server.base_url
        assert len(server.requests) == 2

The script is either a sequence (one reply per request, in order; when it runs out,
`default`, else HTTP 500 and a note in `server.errors`) or a function
`responder(request_json) -> Reply`. A plain dict stands for `Reply.structured(dict)` and a
plain string for `Reply.raw(string)`. Structured output goes where the client asked for
it: into `message.content` for `response_format` (json_schema / json_object) requests,
into `message.tool_calls` for function-calling (`tools`) requests. `latency` adds a fixed
delay to every call (benchmarks: `OpenAIServer(faithful_draft, latency=0.3)`).

Hostile shapes for the validation tests: `Reply.verbatim(200, "<html>…", "text/html")` sends
any body as it is, `Reply.trickle(every=1.0)` sends the answer one byte at a time.
`ScriptedServer` holds everything but the wire format, so a server for another
provider's API (tests/support/anthropic_server.py) only writes its completion and error
bodies.
"""

from __future__ import annotations

import itertools
import json
import re
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

CHAT_PATHS = ("/v1/chat/completions", "/chat/completions")


@dataclass(frozen=True)
class Reply:
    """One scripted answer. Build it with the class methods."""

    content: Any = None  # dict/list: structured output; str: raw text
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: Any = None  # error body (dict or str) for non-200 replies
    delay: float = 0.0  # seconds to wait before answering
    usage: tuple[int, int] | None = None  # (prompt_tokens, completion_tokens)
    finish_reason: str | None = None
    raw_body: str | None = None  # sent as it is instead of a completion
    content_type: str = "application/json"
    trickle_s: float = 0.0  # seconds between single bytes of the body

    @classmethod
    def structured(cls, obj: Any, **options: Any) -> Reply:
        """The structured output `obj`, serialised as JSON where the client expects it."""
        return cls(content=obj, **options)

    @classmethod
    def raw(cls, text: str, **options: Any) -> Reply:
        """Raw text as the content (or tool arguments): for malformed output."""
        return cls(content=text, **options)

    @classmethod
    def error(
        cls, status: int, *, retry_after: float | str | None = None, body: Any = None
    ) -> Reply:
        """An HTTP error, e.g. `Reply.error(429, retry_after=1)` or `Reply.error(500)`."""
        headers = {} if retry_after is None else {"Retry-After": str(retry_after)}
        return cls(status=status, headers=headers, body=body)

    @classmethod
    def verbatim(cls, status: int, text: str, content_type: str = "application/json") -> Reply:
        """Exactly `text` as the body: an HTML page, an event stream, `null`..."""
        return cls(status=status, raw_body=text, content_type=content_type)

    @classmethod
    def trickle(cls, every: float, then: Any = None) -> Reply:
        """Answer `then` one byte at a time, `every` seconds apart (headers at once)."""
        return replace(as_reply({} if then is None else then), trickle_s=every)

    @classmethod
    def slow(cls, delay: float, then: Any = None) -> Reply:
        """Answer `then` (default: an empty JSON object) only after `delay` seconds."""
        return replace(as_reply({} if then is None else then), delay=delay)


Script = Iterable["Reply | dict[str, Any] | str"] | Callable[[dict[str, Any]], Any]


@dataclass(frozen=True)
class RecordedRequest:
    """A request the server received."""

    path: str
    headers: dict[str, str]
    json: dict[str, Any]

    @property
    def messages(self) -> list[dict[str, Any]]:
        return list(self.json.get("messages", []))

    def message(self, role: str) -> str:
        """The text of the first message with `role` (system, user...)."""
        if role == "system" and "system" in self.json:  # Anthropic: a top-level field
            return _text_of(self.json["system"])
        for item in self.messages:
            if item.get("role") == role:
                return _text_of(item.get("content"))
        return ""

    @property
    def text(self) -> str:
        """Every message's text, joined: for `in` assertions."""
        return "\n".join(_text_of(m.get("content")) for m in self.messages)


class ScriptedServer:
    """A scripted chat server on 127.0.0.1; subclasses write the wire format."""

    paths: tuple[str, ...] = ()
    content_type = "application/json"  # of successful answers

    def __init__(
        self,
        script: Script | None = None,
        *,
        latency: float = 0.0,
        default: Reply | dict[str, Any] | str | None = None,
        model: str = "test-model",
    ) -> None:
        self.latency = latency
        self.model = model
        self.requests: list[RecordedRequest] = []
        self.errors: list[str] = []
        self.default = None if default is None else as_reply(default)
        self._responder: Callable[[dict[str, Any]], Any] | None = None
        self._queue: deque[Any] = deque()
        if callable(script):
            self._responder = script
        elif script is not None:
            self._queue.extend(script)
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self._ids = itertools.count(1)
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------------
    def start(self) -> Any:
        self._httpd = _HTTPServer(("127.0.0.1", 0), _Handler)
        self._httpd.owner = self
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def close(self) -> None:
        self._closing.set()  # wakes handlers sleeping on a delay
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> Any:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("the server is not running; use it as a context manager")
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        """The URL to give a client as its base URL (OPENAI_BASE_URL)."""
        return f"http://127.0.0.1:{self.port}/v1"

    # -- scripting -------------------------------------------------------------------
    def push(self, *replies: Reply | dict[str, Any] | str) -> None:
        """Queue more replies."""
        with self._lock:
            self._queue.extend(replies)

    def _next_reply(self, request: RecordedRequest) -> Reply:
        payload = request.json
        with self._lock:
            self.requests.append(request)
            if self._responder is None and self._queue:
                return as_reply(self._queue.popleft())
        if self._responder is not None:
            try:
                return as_reply(self._responder(payload))
            except Exception as exc:  # a broken responder must fail the test visibly
                self.errors.append(f"the responder raised {exc!r}")
                return Reply.error(500, body=self.error_body(500, f"responder failed: {exc!r}"))
        if self.default is not None:
            return self.default
        self.errors.append("no scripted reply left")
        return Reply.error(500, body=self.error_body(500, "the test server has no scripted reply"))

    def _wait(self, seconds: float) -> bool:
        """Sleep, unless the server closes first. True when the wait completed."""
        return seconds <= 0 or not self._closing.wait(seconds)

    def completion(self, payload: dict[str, Any], reply: Reply) -> Any:
        """The body of a successful answer in this server's wire format (JSON or text)."""
        raise NotImplementedError

    def error_body(self, status: int, message: str | None = None) -> Any:
        """The body of an error answer in this server's wire format."""
        return _error_body(status, message)


class OpenAIServer(ScriptedServer):
    """An OpenAI-compatible HTTP server on 127.0.0.1; a context manager."""

    paths = CHAT_PATHS

    def completion(self, payload: dict[str, Any], reply: Reply) -> dict[str, Any]:
        message, finish = _message_for(payload, reply.content)
        prompt_tokens, completion_tokens = reply.usage or (
            _estimate_tokens(_prompt_text(payload)),
            _estimate_tokens(json.dumps(message, ensure_ascii=False)),
        )
        return {
            "id": f"chatcmpl-test-{next(self._ids)}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": payload.get("model") or self.model,
            "system_fingerprint": None,
            "choices": [
                {
                    "index": 0,
                    "message": message,
                    "finish_reason": reply.finish_reason or finish,
                    "logprobs": None,
                }
            ],
            "usage": {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion_tokens,
                "total_tokens": prompt_tokens + completion_tokens,
            },
        }


def as_reply(item: Any) -> Reply:
    """Accept a Reply, a dict/list (structured output) or a string (raw text)."""
    if isinstance(item, Reply):
        return item
    if isinstance(item, (dict, list, str)):
        return Reply(content=item)
    raise TypeError(f"a scripted reply must be a Reply, dict or str, not {type(item).__name__}")


def _message_for(payload: dict[str, Any], content: Any) -> tuple[dict[str, Any], str]:
    text = content if isinstance(content, str) else json.dumps(content, ensure_ascii=False)
    tool = _forced_tool(payload)
    if tool is None:
        return {"role": "assistant", "content": text, "refusal": None}, "stop"
    call = {"id": "call_test_1", "type": "function", "function": {"name": tool, "arguments": text}}
    return {"role": "assistant", "content": None, "refusal": None, "tool_calls": [call]}, (
        "tool_calls"
    )


def _forced_tool(payload: dict[str, Any]) -> str | None:
    """The function a function-calling request wants called, if any."""
    tools = payload.get("tools") or []
    if not tools or "response_format" in payload:
        return None
    choice = payload.get("tool_choice")
    if isinstance(choice, dict):
        return str(choice.get("function", {}).get("name"))
    return str(tools[0].get("function", {}).get("name"))


def _prompt_text(payload: dict[str, Any]) -> str:
    return "\n".join(_text_of(m.get("content")) for m in payload.get("messages", []))


def _text_of(content: Any) -> str:
    if isinstance(content, list):  # content parts
        return "".join(str(p.get("text", "")) for p in content if isinstance(p, dict))
    return "" if content is None else str(content)


def _estimate_tokens(text: str) -> int:
    return max(1, len(text) // 4)


def _error_body(status: int, message: str | None = None) -> dict[str, Any]:
    kinds = {
        429: "rate_limit_exceeded",
        500: "server_error",
        503: "server_error",
        401: "invalid_api_key",
        400: "invalid_request_error",
    }
    text = message or f"scripted HTTP {status}"
    return {
        "error": {
            "message": text,
            "type": kinds.get(status, "api_error"),
            "param": None,
            "code": kinds.get(status),
        }
    }


# -- A scripted "model" for contract tests ---------------------------------------------
_LANGUAGE = re.compile(r'Set "language" to "([^"]+)"')
_TONE = re.compile(r'"tone" \("([^"]*)"\)')
_LIMIT = re.compile(r"At most (\d+) characters")
_OPEN = re.compile(r'^- Open with: "(.*)"$', re.MULTILINE)
_CLOSE = re.compile(r'^- Close with: "(.*)"$', re.MULTILINE)
_FAQ = re.compile(r'<faq id="([^"]+)"( language="[^"]+")?>\n(.*?)\n', re.DOTALL)
_SENTENCE = re.compile(r"(?<=[.!?։])\s+|(?<=[。！？])")  # never inside a URL


def faithful_draft(payload: dict[str, Any]) -> dict[str, Any]:
    """A well-behaved model for prompts/draft.yaml: the locale's greeting, the first FAQ
    answer given in the reply language, the closing; whole sentences, within the limit.

    It reads the rendered prompt, so it follows the wording of draft.yaml: a test using it
    should also check that no draft fell back to the offline drafter.
    """
    request = RecordedRequest("", {}, payload)
    system, user = request.message("system"), request.message("user")
    language = _first(_LANGUAGE, system)
    limit = int(_first(_LIMIT, system) or 1000)
    entries = [(m.group(1), m.group(3)) for m in _FAQ.finditer(user) if not m.group(2)]
    cited = [faq_id for faq_id, _ in entries[:1]]
    sentences = [s for s in _SENTENCE.split(entries[0][1]) if s] if entries else []
    parts = [_first(_OPEN, system), *sentences, _first(_CLOSE, system)]
    while len(" ".join(p for p in parts if p)) > limit and len(parts) > 2:
        parts.pop(-2)  # drop the answer's last sentence, never cut one
    return {
        "text": " ".join(p for p in parts if p),
        "language": language,
        "tone": _first(_TONE, system),
        "citations": cited if len(parts) > 2 else [],
        "confidence": 0.9,
        "needs_escalation": False,
    }


def _first(pattern: re.Pattern[str], text: str) -> str:
    match = pattern.search(text)
    return match.group(1) if match else ""


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # the evaluation benchmark sends bursts of 16+
    owner: ScriptedServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients that gave up (timeouts) reset their sockets; that is expected here.
        pass


class _Handler(BaseHTTPRequestHandler):
    server: _HTTPServer
    timeout = 30  # a stuck client must not keep a handler thread forever

    def do_POST(self) -> None:
        path = self.path.split("?", 1)[0]
        owner = self.server.owner
        if path not in owner.paths:
            self._send(404, {}, owner.error_body(404, f"unknown path {path}"))
            return
        try:
            length = int(self.headers.get("Content-Length") or 0)
            payload = json.loads(self.rfile.read(length) or b"{}")
        except (ValueError, OSError):
            self._send(400, {}, owner.error_body(400, "the request body is not JSON"))
            return
        self._answer(payload, path)

    def do_GET(self) -> None:
        if self.path.split("?", 1)[0] in ("/v1/models", "/models"):
            model = {"id": self.server.owner.model, "object": "model", "owned_by": "tests"}
            self._send(200, {}, {"object": "list", "data": [model]})
            return
        self._send(404, {}, _error_body(404, f"unknown path {self.path}"))

    def _answer(self, payload: dict[str, Any], path: str) -> None:
        owner = self.server.owner
        headers = {k.lower(): v for k, v in self.headers.items()}
        reply = owner._next_reply(RecordedRequest(path, headers, payload))
        if not owner._wait(owner.latency + reply.delay):
            return
        if reply.raw_body is not None:
            self._send(reply.status, reply.headers, reply.raw_body, reply.content_type)
        elif reply.status != 200:
            body = reply.body if reply.body is not None else owner.error_body(reply.status)
            self._send(reply.status, reply.headers, body)
        else:
            body = owner.completion(payload, reply)
            self._send(200, reply.headers, body, owner.content_type, reply.trickle_s)

    def _send(
        self,
        status: int,
        headers: dict[str, str],
        body: Any,
        content_type: str = "application/json",
        trickle_s: float = 0.0,
    ) -> None:
        data = body if isinstance(body, str) else json.dumps(body, ensure_ascii=False)
        raw = data.encode("utf-8")
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(raw)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self._write(raw, trickle_s)
        except OSError:  # the client hung up (it timed out): nothing to tell it
            pass

    def _write(self, raw: bytes, trickle_s: float) -> None:
        if trickle_s <= 0:
            self.wfile.write(raw)
            return
        for i in range(len(raw)):
            if not self.server.owner._wait(trickle_s):
                return
            self.wfile.write(raw[i : i + 1])
            self.wfile.flush()

    def log_message(self, format: str, *args: Any) -> None:
        pass
