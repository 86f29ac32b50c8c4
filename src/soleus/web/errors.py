"""Errors become a clear message: JSON ``{"error": ...}`` under /api, a page elsewhere."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from soleus.errors import (
    Forbidden,
    Gone,
    NotFound,
    NotSignedIn,
    SafetyRefusal,
    SoleusError,
    TooManyAttempts,
)
from soleus.web.security import BodyTooLarge


class ApiError(Exception):
    """A refusal with an HTTP status (403 CSRF, 415 content type, 400 bad JSON...)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


_STATUS: tuple[tuple[type[SoleusError], int], ...] = (
    (NotFound, 404),
    (NotSignedIn, 401),
    (Forbidden, 403),
    (Gone, 410),
    (TooManyAttempts, 429),
)


def status_of(error: SoleusError) -> int:
    """404 for an unknown id, 401/403/410/429 for sign-in refusals, 409 for a refusal on
    safety grounds (a rest or stopped day: the request was fine, today is not), 400 for
    any other bad input."""
    for kind, status in _STATUS:
        if isinstance(error, kind):
            return status
    return 409 if isinstance(error, SafetyRefusal) else 400


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/openapi.json"


def _page(request: Request, status: int, message: str) -> Response:
    from soleus.web.state import get_state

    try:
        state = get_state(request)
        return state.render(  # type: ignore[no-any-return]
            request, "error.html", {"status": status, "message": message}, status=status
        )
    except Exception:  # the error page itself must never fail with a traceback
        return HTMLResponse(f"<h1>{status}</h1>", status_code=status)


def respond(request: Request, status: int, message: str) -> Response:
    if _wants_json(request):
        return JSONResponse({"error": message}, status_code=status)
    return _page(request, status, message)


async def _soleus(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, SoleusError)
    status = status_of(exc)
    response = respond(request, status, str(exc))
    if isinstance(exc, TooManyAttempts):
        response.headers["retry-after"] = str(exc.retry_after)
    elif status == 401 and _wants_json(request):
        response.headers["www-authenticate"] = "Bearer"  # as web.auth's own refusals
    return response


async def _api(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return respond(request, exc.status, exc.message)


async def _http(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    message = exc.detail if isinstance(exc.detail, str) else "request refused"
    if exc.status_code == 404:
        message = f"nothing at {request.url.path}"
    elif exc.status_code == 405:
        message = f"{request.method} is not allowed on {request.url.path}"
    return respond(request, exc.status_code, message)


async def _too_large(request: Request, exc: Exception) -> Response:
    return respond(request, 413, str(exc))


async def _crash(request: Request, exc: Exception) -> Response:
    return respond(request, 500, "something went wrong on the server; nothing was saved")


def handlers() -> Mapping[Any, Callable[[Request, Exception], Any]]:
    return {
        SoleusError: _soleus,
        ApiError: _api,
        HTTPException: _http,
        BodyTooLarge: _too_large,
        Exception: _crash,
    }
