"""How the toolkit's errors become HTTP answers: the status and a message saying why."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from assistant.errors import (
    AssistantError,
    InvalidTransition,
    ReviewConflict,
    ReviewError,
    UserError,
)
from assistant.review import ReviewNotFound

__all__ = ["install_handlers", "unprocessable"]


def unprocessable(field: str, message: str) -> JSONResponse:
    """A 422 in FastAPI's own shape, naming the field."""
    detail = [{"loc": ["body", field], "msg": message, "type": "value_error"}]
    return JSONResponse({"detail": detail}, status_code=422)


def _status(exc: AssistantError) -> int:
    if isinstance(exc, ReviewNotFound):
        return 404
    if isinstance(exc, ReviewConflict | InvalidTransition):
        return 409
    if isinstance(exc, UserError):
        return 422
    if isinstance(exc, ReviewError):
        return 503
    return 502  # a backend outside our control failed


async def _assistant_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AssistantError)
    status = _status(exc)
    if status == 422:
        return unprocessable(getattr(exc, "field", "text"), str(exc))
    return JSONResponse({"detail": str(exc)}, status_code=status)


async def _invalid_request(request: Request, exc: Exception) -> JSONResponse:
    """FastAPI's 422 without the `input` it echoes: the body may hold a customer's private
    data, and a lone surrogate in it cannot even be encoded back (it gave a 500)."""
    assert isinstance(exc, RequestValidationError)
    detail = [
        {"loc": list(error.get("loc", ())), "msg": error.get("msg", ""), "type": error.get("type")}
        for error in exc.errors()
    ]
    return JSONResponse({"detail": detail}, status_code=422)


def install_handlers(app: FastAPI) -> None:
    app.add_exception_handler(AssistantError, _assistant_error)
    app.add_exception_handler(RequestValidationError, _invalid_request)
