"""The account page (password, access tokens, sessions, passkeys) and the token API."""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute

from soleus.errors import NotFound, SoleusError
from soleus.services.accounts import passkeys, signin, tokens
from soleus.services.accounts.actor import Actor
from soleus.web.auth import actor_of, client_of
from soleus.web.errors import ApiError, status_of
from soleus.web.requests import form_body
from soleus.web.routing import ApiRoute, PageRoute
from soleus.web.serialize import Json
from soleus.web.state import base_context, render_page


def signed_in(request: Request) -> Actor:
    """The signed-in actor; 404 in local mode (these pages exist in accounts mode only)."""
    actor = actor_of(request)
    if actor is None:
        raise NotFound("accounts are off here: soleus runs for one person, no sign-in")
    return actor


def _page(request: Request, actor: Actor, extra: dict[str, Any], status: int = 200) -> Response:
    ctx = base_context(request)
    current = request.scope.get("state", {}).get("session_hash")
    sessions = [
        {"id": s.id_hash[:16], "current": s.id_hash == current, "session": s}
        for s in signin.sessions_of(ctx, actor)
    ]
    context = {
        "nav_active": "Account",
        "me": actor,
        "tokens": tokens.of(ctx, actor),
        "sessions": sessions,
        "passkeys": passkeys.of(ctx, actor),
        **extra,
    }
    return render_page(request, "account.html", context, status)


async def account(request: Request) -> Response:
    return _page(request, signed_in(request), {})


async def account_action(request: Request) -> Response:
    """The page's forms: password, token create/revoke, session revoke."""
    actor = signed_in(request)
    form = await form_body(request)
    ctx = base_context(request)
    client = client_of(request)
    action = request.path_params["action"]
    extra: dict[str, Any] = {}
    try:
        if action == "password":
            if form.get("new", "") != form.get("confirm", ""):
                raise SoleusError("the two new passwords differ")
            old, new = form.get("old", ""), form.get("new", "")
            # Two argon2id hashes: in a worker thread, so other requests go on.
            await run_in_threadpool(signin.change_password, ctx, actor, old, new, client)
            extra["message"] = "Your password is changed."
        elif action == "token":
            name, scope = form.get("name", ""), form.get("scope", "read")
            extra["new_token"] = tokens.create(ctx, actor, name=name, scope=scope, ip=client.ip)
        elif action == "revoke-token":
            tokens.revoke(ctx, actor, form.get("token_id", ""), ip=client.ip)
            extra["message"] = "The token is revoked."
        elif action == "revoke-session":
            wanted = form.get("session_id", "")
            found = [s for s in signin.sessions_of(ctx, actor) if s.id_hash[:16] == wanted]
            if not wanted or not found:
                raise NotFound("no such session (signed out already?)")
            signin.sign_out(ctx, actor, found[0].id_hash, client)
            extra["message"] = "That session is signed out."
        elif action == "remove-passkey":
            passkeys.remove(ctx, actor, form.get("credential_id", ""), ip=client.ip)
            extra["message"] = "The passkey is removed."
        else:
            raise NotFound(f"nothing at {request.url.path}")
    except SoleusError as error:
        if status_of(error) == 404 and action not in ("revoke-token", "revoke-session"):
            raise
        return _page(request, actor, {"error": str(error)}, status_of(error))
    if action == "revoke-session" and request.scope["state"].get("session_hash") not in {
        s.id_hash for s in signin.sessions_of(ctx, actor)
    }:
        return RedirectResponse("/signin", status_code=303)
    return _page(request, actor, extra)


async def list_tokens(request: Request) -> Response:
    actor = signed_in(request)
    found = tokens.of(base_context(request), actor)
    return Json(
        [
            {
                "id": t.id,
                "name": t.name,
                "scope": t.scope,
                "created_at": t.created_at,
                "last_used_at": t.last_used_at,
            }
            for t in found
        ]
    )


async def revoke_token(request: Request) -> Response:
    actor = signed_in(request)
    if request.headers.get("content-length", "0") not in ("", "0"):
        raise ApiError(400, "DELETE takes no body")
    from soleus.web.requests import CSRF_HEADER, check_csrf

    check_csrf(request, request.headers.get(CSRF_HEADER))
    tokens.revoke(base_context(request), actor, request.path_params["id"], ip=client_of(request).ip)
    return Response(status_code=204)


def routes() -> list[BaseRoute]:
    """The account page and the token list/revoke API."""
    return [
        PageRoute("/account", account, name="account"),
        PageRoute("/account/{action}", account_action, name="account_action", methods=["POST"]),
        ApiRoute("/api/tokens", list_tokens, "GET", "list_tokens", "Your access tokens"),
        ApiRoute(
            "/api/tokens/{id}",
            revoke_token,
            "DELETE",
            "revoke_token",
            "Revoke one of your access tokens",
            status=204,
        ),
    ]
