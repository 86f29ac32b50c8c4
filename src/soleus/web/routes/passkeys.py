"""Passkey API: register one (signed in), and sign in with one (public)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute

from soleus.services.accounts import passkeys, signin
from soleus.web.auth import client_of, set_session_cookie
from soleus.web.errors import ApiError
from soleus.web.requests import json_object, opt_str
from soleus.web.routes.account import signed_in
from soleus.web.routes.signin import safe_next
from soleus.web.routing import ApiRoute
from soleus.web.serialize import Json
from soleus.web.state import base_context, get_state

LIMIT = 64 * 1024


def party(request: Request) -> passkeys.Party:
    """The host the person opened (the Host check has passed) and its origin."""
    host = request.url.hostname or "localhost"
    return passkeys.Party(rp_id=host, origin=f"{request.url.scheme}://{request.url.netloc}")


def _credential(data: dict[str, Any]) -> dict[str, Any]:
    credential = data.get("credential")
    if not isinstance(credential, dict):
        raise ApiError(400, "credential must be the object the browser made")
    return credential


async def register_options(request: Request) -> Response:
    actor = signed_in(request)
    await json_object(request)
    state = get_state(request)
    return Json(
        passkeys.registration_options(base_context(request), actor, party(request), state.secret)
    )


async def register(request: Request) -> Response:
    actor = signed_in(request)
    data = await json_object(request)
    state = get_state(request)
    added = passkeys.register(
        base_context(request),
        actor,
        party(request),
        state.secret,
        state=opt_str(data, "state", "", max_len=2000),
        credential=_credential(data),
        name=opt_str(data, "name", "passkey", max_len=80),
        ip=client_of(request).ip,
    )
    return Json({"credential_id": added.credential_id, "name": added.name}, status_code=201)


async def signin_options(request: Request) -> Response:
    await json_object(request)
    state = get_state(request)
    if not state.accounts:
        raise ApiError(404, "there are no accounts here (local mode)")
    return Json(passkeys.signin_options(base_context(request), party(request), state.secret))


async def signin_with_passkey(request: Request) -> Response:
    data = await json_object(request)
    state = get_state(request)
    if not state.accounts:
        raise ApiError(404, "there are no accounts here (local mode)")
    ctx = base_context(request)
    client = client_of(request)
    person_id = passkeys.sign_in(
        ctx,
        party(request),
        state.secret,
        state=opt_str(data, "state", "", max_len=2000),
        credential=_credential(data),
        ip=client.ip,
    )
    secret = signin.start_session(ctx, person_id, client, how="passkey")
    response = Json({"next": safe_next(opt_str(data, "next", "/", max_len=500))})
    set_session_cookie(request, response, secret)
    return response


CREDENTIAL_BODY = {
    "type": "object",
    "required": ["state", "credential"],
    "properties": {
        "state": {"type": "string"},
        "credential": {"type": "object"},
        "name": {"type": "string", "maxLength": 80},
        "next": {"type": "string"},
    },
}


def routes() -> list[BaseRoute]:
    """Registering and signing in with passkeys (WebAuthn)."""
    return [
        ApiRoute(
            "/api/passkeys/register/options",
            register_options,
            "POST",
            "passkey_register_options",
            "WebAuthn options to register a passkey",
            body={"type": "object"},
            body_limit=LIMIT,
        ),
        ApiRoute(
            "/api/passkeys",
            register,
            "POST",
            "passkey_register",
            "Register the passkey the browser made",
            body=CREDENTIAL_BODY,
            status=201,
            body_limit=LIMIT,
        ),
        ApiRoute(
            "/api/passkeys/signin/options",
            signin_options,
            "POST",
            "passkey_signin_options",
            "WebAuthn options to sign in with a passkey",
            body={"type": "object"},
            security=[],
            body_limit=LIMIT,
        ),
        ApiRoute(
            "/api/passkeys/signin",
            signin_with_passkey,
            "POST",
            "passkey_signin",
            "Sign in with a passkey (sets the session cookie)",
            body=CREDENTIAL_BODY,
            security=[],
            body_limit=LIMIT,
        ),
    ]
