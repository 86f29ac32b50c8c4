"""Reading request bodies safely: CSRF, content type, JSON shape, typed fields."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl

from starlette.requests import Request

from soleus.domain.catalog import is_valid_id
from soleus.web.errors import ApiError
from soleus.web.state import get_state

CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"


def _media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


def check_csrf(request: Request, token: str | None) -> None:
    # A bearer token is not sent by a browser on its own: no cross-site request to fear.
    if request.scope.get("state", {}).get("auth") == "token":
        return
    if not get_state(request).csrf.valid(token):
        raise ApiError(
            403,
            "missing or invalid CSRF token (send the page's csrf-token meta value"
            " in the X-CSRF-Token header)",
        )


async def json_body(request: Request, *, allow: tuple[str, ...] = (), csrf: bool = True) -> Any:
    """The JSON body of a state-changing call, after the CSRF and content-type checks.

    Media types in ``allow`` are accepted too and returned as text. ``csrf=False`` only
    for a call that neither reads nor sets a cookie (``POST /api/tokens``).
    """
    media = _checked(request, allow, csrf=csrf)
    return _decoded(media, await request.body())


async def json_object(request: Request, *, csrf: bool = True) -> dict[str, Any]:
    return _object(await json_body(request, csrf=csrf))


def json_object_of(request: Request, raw: bytes) -> dict[str, Any]:
    """:func:`json_object` of a body already read (a route that reads it before its
    worker-thread call, see :func:`soleus.web.auth.acting`)."""
    return _object(_decoded(_checked(request, (), csrf=True), raw))


def _checked(request: Request, allow: tuple[str, ...], *, csrf: bool) -> str:
    """The media type, after the CSRF and content-type checks."""
    if csrf:
        check_csrf(request, request.headers.get(CSRF_HEADER))
    media = _media_type(request)
    if media != "application/json" and media not in allow:
        wanted = " or ".join(("application/json", *allow))
        raise ApiError(415, f"Content-Type must be {wanted}, not {media or 'missing'!r}")
    return media


def _decoded(media: str, raw: bytes) -> Any:
    if media != "application/json":
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            raise ApiError(400, "the body is not UTF-8 text") from None
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError) as error:
        raise ApiError(400, f"malformed JSON: {error}") from None


def _object(data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise ApiError(400, "the JSON body must be an object")
    return data


async def form_body(request: Request) -> dict[str, str]:
    """A urlencoded form, CSRF-checked. Repeated fields keep their last value."""
    media = _media_type(request)
    if media != "application/x-www-form-urlencoded":
        raise ApiError(415, "forms must be sent as application/x-www-form-urlencoded")
    raw = await request.body()
    try:
        pairs = parse_qsl(raw.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
    except (UnicodeDecodeError, ValueError):
        raise ApiError(400, "the form could not be read") from None
    form = dict(pairs)
    check_csrf(request, form.get(CSRF_FIELD))
    return form


def _bad(field: str, wanted: str, value: Any) -> ApiError:
    return ApiError(400, f"{field} must be {wanted}, not {json.dumps(value)}")


def opt_int(data: Mapping[str, Any], field: str, *, lo: int, hi: int) -> int | None:
    value = data.get(field)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise _bad(field, "a whole number or null", value)
    if not lo <= value <= hi:
        raise ApiError(400, f"{field} must be from {lo} to {hi}, not {value}")
    return value


def req_int(data: Mapping[str, Any], field: str, *, lo: int, hi: int) -> int:
    value = opt_int(data, field, lo=lo, hi=hi)
    if value is None:
        raise ApiError(400, f"{field} is required")
    return value


def opt_float(data: Mapping[str, Any], field: str, *, lo: float, hi: float) -> float | None:
    value = data.get(field)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _bad(field, "a number or null", value)
    if not lo <= value <= hi:
        raise ApiError(400, f"{field} must be from {lo:g} to {hi:g}, not {value}")
    return float(value)


def opt_bool(data: Mapping[str, Any], field: str, default: bool = False) -> bool:
    value = data.get(field, default)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise _bad(field, "true or false", value)
    return value


def req_str(data: Mapping[str, Any], field: str, *, max_len: int = 200) -> str:
    value = data.get(field)
    if not isinstance(value, str) or not value.strip():
        raise ApiError(400, f"{field} is required (a string)")
    if len(value) > max_len:
        raise ApiError(400, f"{field} is longer than {max_len} characters")
    return value.strip()


def opt_str(data: Mapping[str, Any], field: str, default: str, *, max_len: int = 200) -> str:
    if data.get(field) in (None, ""):
        return default
    return req_str(data, field, max_len=max_len)


def opt_flag(request: Request, name: str) -> bool:
    """A ``?name=1`` / ``?name=0`` query flag (absent: off)."""
    raw = request.query_params.get(name, "0")
    if raw not in ("0", "1", "true", "false"):
        raise ApiError(400, f"{name} must be 1 or 0, not {raw!r}")
    return raw in ("1", "true")


def routine_param(request: Request, default: str = "desk") -> str:
    """The ``?routine=`` id of a page (the default routine when absent)."""
    routine_id = request.query_params.get("routine") or default
    if not is_valid_id(routine_id):
        raise ApiError(400, f"routine must be an id like 'desk', not {routine_id!r}")
    return routine_id
