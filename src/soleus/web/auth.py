"""Who is making a request, decided once per request before any route runs.

Local mode (no accounts): nothing happens here, every route acts for the settings'
person as before. Accounts mode: a request needs a live session cookie or an
``Authorization: Bearer`` access token, except the public paths (sign-in, invitation
and reset links, health, static files, the token call and Sensor Logger's push, which
carries an ingest token of its own). The actor goes into ``request.state.actor``;
:func:`soleus.web.state.context_of` hands it to the one access module. A read-scoped
token is refused (403) on anything but GET and HEAD, here, for every route at once.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Concatenate, ParamSpec, TypeVar
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from soleus.errors import Forbidden, NotSignedIn
from soleus.services.accounts import access, signin, tokens
from soleus.services.accounts.actor import Actor
from soleus.web.threads import hot

if TYPE_CHECKING:
    from soleus.services.context import Context

P = ParamSpec("P")
T = TypeVar("T")

COOKIE = "soleus_session"
SAFE_METHODS = ("GET", "HEAD")
PUBLIC_PATHS = frozenset(
    {
        "/signin",
        "/api/health",
        "/health",  # a redirect to /api/health
        "/api/tokens",
        "/api/live/sensorlogger",
        "/api/passkeys/signin/options",
        "/api/passkeys/signin",
        "/favicon.ico",
    }
)
# /calendar/<secret>.ics: a prescribed plan's feed, authorised by its secret alone.
PUBLIC_PREFIXES = ("/invite/", "/reset/", "/static/", "/calendar/")
# Writes to what every person of the install shares: the routine and exercise files in
# the config dir and the reminder settings in config.toml (admins only, see
# services.accounts.access.may_change_install).
INSTALL_WRITES = re.compile(
    r"^/(routines/(save|import|delete|build|[^/]+/[^/]+/delete)"
    r"|api/(exercises|routines)(/[^/]+)?|snacks/settings)$"
)


def is_public(path: str, method: str) -> bool:
    if path == "/api/tokens" and method != "POST":
        return False  # listing and revoking tokens needs a sign-in
    return path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES)


def client_of(request: Request) -> signin.Client:
    ip = request.client.host if request.client else ""
    return signin.Client(ip=ip, user_agent=request.headers.get("user-agent", "")[:200])


def credential_of(request: Request) -> tuple[str, str] | None:
    """("token", secret) from a Bearer header, ("cookie", secret), or None."""
    header = request.headers.get("authorization", "")
    # scope["path"], not request.url.path: building the URL costs every request ~8 µs.
    if header.lower().startswith("bearer ") and request.scope["path"] != "/api/live/sensorlogger":
        return "token", header[7:].strip()
    cookie = request.cookies.get(COOKIE)
    return ("cookie", cookie) if cookie else None


def identify(request: Request, credential: tuple[str, str]) -> tuple[Actor, str, str | None]:
    """(actor, "token" or "cookie", the session's id hash) or NotSignedIn."""
    from soleus.web.state import base_context

    ctx = base_context(request)
    how, secret = credential
    if how == "token":
        return tokens.actor_for_token(ctx, secret), "token", None
    actor, id_hash = signin.actor_for_session(ctx, secret)
    return actor, "cookie", id_hash


def refusal(request: Request, actor: Actor, how: str) -> str | None:
    """Why an identified actor may not make this request at all (403), or None: a
    read-scoped token writing, or a non-admin changing what the install shares."""
    if request.method in SAFE_METHODS:
        return None
    if how == "token" and actor.scope != "write":
        return "this token may only read (its scope is read)"
    if INSTALL_WRITES.match(request.scope["path"]) and not access.may_change_install(actor):
        return (
            "only an admin changes the routines, exercises and reminder settings"
            " everyone here shares"
        )
    return None


def _refuse(request: Request, status: int, message: str) -> Response:
    path = request.url.path
    if path.startswith("/api/") or path == "/openapi.json":
        headers = {"www-authenticate": "Bearer"} if status == 401 else None
        return JSONResponse({"error": message}, status_code=status, headers=headers)
    if status == 401 and request.method in SAFE_METHODS:
        target = path + (f"?{request.url.query}" if request.url.query else "")
        response = RedirectResponse(f"/signin?next={quote(target, safe='')}", status_code=303)
        if request.cookies.get(COOKIE):
            response.delete_cookie(COOKIE, path="/")
        return response
    from soleus.web.errors import respond

    return respond(request, status, message)


class AccountsMiddleware:
    """Pure ASGI: put the acting person on the request, or refuse it (401/403).

    A bearer token sent to a route that checks it itself (``in_route``: an
    ``ApiRoute(..., checks_token=True)``, the hot path of a shared deployment) is left
    for that route's worker-thread call (:func:`acting`): the token's lookup and the
    route's work then share one executor hop and one transaction."""

    def __init__(
        self, app: ASGIApp, *, enabled: bool, in_route: Callable[[Scope], bool] | None = None
    ) -> None:
        self.app = app
        self.enabled = enabled
        self.in_route = in_route

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.enabled:
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive)
        state = scope.setdefault("state", {})
        credential = credential_of(request)
        token = credential is not None and credential[0] == "token"
        if token and self.in_route is not None and self.in_route(scope):
            assert credential is not None
            state.update(auth="token", pending_token=credential[1])
            await self.app(scope, receive, send)
            return
        try:
            if credential is None:
                raise NotSignedIn("please sign in")
            # The lookup waits for the database: in a worker thread (one of few, see
            # web/threads.py), so the event loop serves other requests meanwhile.
            actor, how, id_hash = await hot(identify, request, credential)
        except NotSignedIn as error:
            if not is_public(request.url.path, request.method):
                await _refuse(request, 401, str(error))(scope, receive, send)
                return
        else:
            refused = refusal(request, actor, how)
            if refused is not None:
                await _refuse(request, 403, refused)(scope, receive, send)
                return
            state.update(actor=actor, auth=how, session_hash=id_hash)
        await self.app(scope, receive, send)


async def acting(
    request: Request,
    func: Callable[Concatenate[Context, P], T],
    *args: P.args,
    **kwargs: P.kwargs,
) -> T:
    """``func(context_of(request), *args, **kwargs)`` in one of the hot path's worker
    threads. A bearer token the middleware left for the route is checked there first,
    in one transaction with ``func``'s own (NotSignedIn: 401, Forbidden: 403, before
    ``func`` looks at the request's body); nothing is cached, a revoked token is
    refused at once as in the middleware."""

    def call(ctx: Context) -> T:
        return func(ctx, *args, **kwargs)

    return await hot(_acting, request, call)


def _acting(request: Request, call: Callable[[Context], T]) -> T:
    from soleus.web.state import base_context, context_of

    state = request.scope.setdefault("state", {})
    secret = state.get("pending_token")
    if secret is None:
        return call(context_of(request))
    ctx = base_context(request)
    with ctx.store.joined():
        actor = tokens.actor_for_token(ctx, secret)
        refused = refusal(request, actor, "token")
        if refused is not None:
            raise Forbidden(refused)
        state.update(actor=actor, pending_token=None, session_hash=None)
        return call(context_of(request))


def actor_of(request: Request) -> Actor | None:
    """The signed-in actor (accounts mode), or None (local mode, or a public page)."""
    actor = request.scope.get("state", {}).get("actor")
    return actor if isinstance(actor, Actor) else None


def by_token(request: Request) -> bool:
    """True when the request was signed by a bearer token (no cookie: no CSRF risk)."""
    return bool(request.scope.get("state", {}).get("auth") == "token")


def set_session_cookie(request: Request, response: Response, secret: str) -> None:
    response.set_cookie(
        COOKIE,
        secret,
        max_age=signin.SESSION_DAYS * 86400,
        path="/",
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )
