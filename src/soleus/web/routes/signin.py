"""Signing in and out, invitation and password-reset links, the token call.

These are the public pages of accounts mode (see :mod:`soleus.web.auth`); in local mode
the sign-in page only says that no account is needed.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute

from soleus.errors import NotSignedIn, SoleusError, TooManyAttempts
from soleus.services.accounts import links, signin, tokens
from soleus.web.auth import COOKIE, actor_of, client_of, set_session_cookie
from soleus.web.errors import ApiError, status_of
from soleus.web.requests import form_body, json_object, opt_str, req_str
from soleus.web.routing import ApiRoute, PageRoute
from soleus.web.serialize import Json
from soleus.web.state import base_context, get_state, render_page

SIGNIN_BODY_LIMIT = 8 * 1024


def safe_next(value: str | None) -> str:
    """Only a path on this site (no //host, no scheme) is followed after signing in."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return "/"


# Login CSRF: another site could post its own email and password here and sign the
# visitor in as itself. The form therefore carries the HMAC of a nonce kept in a
# SameSite=Strict cookie of this page, which a cross-site post does not send.
SIGNIN_COOKIE = "soleus_signin"


def _check_of(request: Request, nonce: str) -> str:
    key = get_state(request).secret
    return hmac.new(key, f"signin:{nonce}".encode(), hashlib.sha256).hexdigest()[:32]


def _signin_page(request: Request, extra: dict[str, Any], status: int = 200) -> Response:
    accounts = get_state(request).accounts
    nonce = request.cookies.get(SIGNIN_COOKIE) or secrets.token_urlsafe(16)
    context = {
        "accounts": accounts,
        "next": safe_next(request.query_params.get("next")),
        "signin_check": _check_of(request, nonce),
        **extra,
    }
    response = render_page(request, "signin.html", context, status)
    response.set_cookie(
        SIGNIN_COOKIE,
        nonce,
        max_age=3600,
        path="/signin",
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )
    return response


async def signin_page(request: Request) -> Response:
    if request.method == "GET":
        return _signin_page(request, {})
    form = await form_body(request)
    nonce = request.cookies.get(SIGNIN_COOKIE, "")
    if not nonce or not hmac.compare_digest(
        form.get("signin_check", ""), _check_of(request, nonce)
    ):
        raise ApiError(403, "the sign-in form has expired or came from elsewhere; open it again")
    ctx = base_context(request)
    email = form.get("email", "")[:300]
    try:
        # argon2id and the database wait in a worker thread: other requests go on, and
        # two sign-ins verify on two cores (argon2 lets go of the GIL).
        secret = await run_in_threadpool(
            signin.sign_in, ctx, email, form.get("password", ""), client_of(request)
        )
    except (NotSignedIn, TooManyAttempts) as error:
        extra = {"error": str(error), "email": email, "next": safe_next(form.get("next"))}
        response = _signin_page(request, extra, status_of(error))
        if isinstance(error, TooManyAttempts):
            response.headers["retry-after"] = str(error.retry_after)
        return response
    response = RedirectResponse(safe_next(form.get("next")), status_code=303)
    set_session_cookie(request, response, secret)
    response.delete_cookie(SIGNIN_COOKIE, path="/signin")
    return response


async def signout(request: Request) -> Response:
    await form_body(request)
    actor = actor_of(request)
    id_hash = request.scope.get("state", {}).get("session_hash")
    if actor is not None and id_hash:
        everywhere = request.query_params.get("everywhere") == "1"
        ctx = base_context(request)
        signin.sign_out(ctx, actor, None if everywhere else id_hash, client_of(request))
    response = RedirectResponse("/signin", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response


async def invitation(request: Request) -> Response:
    return await _link_page(request, "invite")


async def reset(request: Request) -> Response:
    return await _link_page(request, "reset")


async def _link_page(request: Request, kind: str) -> Response:
    ctx = base_context(request)
    token = request.path_params["token"]
    ip = client_of(request).ip
    error = ""
    if request.method == "POST":
        form = await form_body(request)
        password = form.get("password", "")
        if password != form.get("confirm", password):
            error = "the two passwords differ"
        else:
            try:
                use = links.accept if kind == "invite" else links.reset
                person_id = await run_in_threadpool(use, ctx, token, password=password, ip=ip)
            except (NotSignedIn, TooManyAttempts) as refused:
                error = str(refused)
            except SoleusError as refused:
                if status_of(refused) != 400:
                    raise
                error = str(refused)
            else:
                how = "invitation" if kind == "invite" else "reset"
                secret = await run_in_threadpool(
                    signin.start_session, ctx, person_id, client_of(request), how=how
                )
                response = RedirectResponse("/", status_code=303)
                set_session_cookie(request, response, secret)
                return response
    link = links.open_link(ctx, token, kind=kind, ip=ip)  # 404 forged, 410 used/expired
    context = {"kind": kind, "link": link, "org": links.org_name(ctx, link), "error": error}
    return render_page(request, "link.html", context, 400 if error else 200)


async def create_token(request: Request) -> Response:
    """Email and password for a personal access token (the API's way to sign in)."""
    if not get_state(request).accounts:
        raise ApiError(404, "there are no accounts here (local mode): the API needs no token")
    data = await json_object(request, csrf=False)  # no cookie read or set: nothing to forge
    ctx = base_context(request)
    email = req_str(data, "email", max_len=254)
    password = req_str(data, "password", max_len=1024)
    name = opt_str(data, "name", "api", max_len=80)
    scope = opt_str(data, "scope", "read", max_len=8)
    # argon2id and the database wait in a worker thread (see signin_page).
    secret = await run_in_threadpool(
        tokens.issue, ctx, client_of(request), email, password, name=name, scope=scope
    )
    return Json({"token": secret, "name": name, "scope": scope}, status_code=201)


TOKEN_BODY = {
    "type": "object",
    "required": ["email", "password"],
    "properties": {
        "email": {"type": "string", "maxLength": 254},
        "password": {"type": "string", "maxLength": 1024},
        "name": {"type": "string", "maxLength": 80},
        "scope": {"enum": ["read", "write"]},
    },
}


def routes() -> list[BaseRoute]:
    """Sign-in, sign-out, one-time links and POST /api/tokens."""
    return [
        PageRoute(
            "/signin",
            signin_page,
            name="signin",
            methods=["GET", "POST"],
            body_limit=SIGNIN_BODY_LIMIT,
        ),
        PageRoute("/signout", signout, name="signout", methods=["POST"]),
        PageRoute(
            "/invite/{token}",
            invitation,
            name="invitation",
            methods=["GET", "POST"],
            body_limit=SIGNIN_BODY_LIMIT,
        ),
        PageRoute(
            "/reset/{token}",
            reset,
            name="reset",
            methods=["GET", "POST"],
            body_limit=SIGNIN_BODY_LIMIT,
        ),
        ApiRoute(
            "/api/tokens",
            create_token,
            "POST",
            "create_token",
            "A personal access token for email and password (accounts mode)",
            body=TOKEN_BODY,
            status=201,
            security=[],
            body_limit=SIGNIN_BODY_LIMIT,
        ),
    ]
