"""Personal access tokens for the API: ``Authorization: Bearer <token>``.

The token is shown once; the database keeps its SHA-256. Scope ``read`` refuses writes
(403), ``write`` allows what the person may do on the web.
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from soleus.errors import Forbidden, NotFound, NotSignedIn, SoleusError
from soleus.services.accounts import audit, identity, limits, signin
from soleus.services.accounts.actor import Actor
from soleus.services.context import Context
from soleus.store.accounts import credentials, tokens

if TYPE_CHECKING:
    from soleus.store.db import Connection

SCOPES = ("read", "write")
PREFIX = "spu_"
AccessToken = tokens.AccessToken


def create(ctx: Context, actor: Actor, *, name: str, scope: str, ip: str = "") -> str:
    """A new token of the actor's; the secret (shown once)."""
    with ctx.store.begin() as conn:
        return _create_in(conn, ctx, actor, name=name, scope=scope, ip=ip)


def issue(
    ctx: Context, client: signin.Client, email: str, password: str, *, name: str, scope: str
) -> str:
    """A new token for an email and password (``POST /api/tokens``: the API's sign-in),
    rate limited per address before the sign-in's own limits; a disabled account is
    refused. One transaction counts the attempts and reads the account; then one
    statement on PostgreSQL makes the token, its audit entry and forgets the account's
    failed attempts."""
    name = _checked(name, scope)
    per_call = limits.address_limit(ctx, "token", client.ip)
    first = [limits.Step(per_call, "too many token calls")]
    person_id, per_account = signin.verified(ctx, email, password, client, first=first)
    secret = PREFIX + secrets.token_urlsafe(32)
    with ctx.store.autocommit() as conn:
        tokens.create_issued(
            conn,
            person_id=person_id,
            name=name,
            scope=scope,
            token_hash=signin.digest(secret),
            now=ctx.now(),
            ip=client.ip,
            clear_key=per_account.key,
        )
    return secret


def _checked(name: str, scope: str) -> str:
    """The token's name, stripped; SoleusError (400) when it or the scope is wrong."""
    name = name.strip()
    if not name or len(name) > 80:
        raise SoleusError("a token needs a name of 1 to 80 characters")
    if scope not in SCOPES:
        raise SoleusError(f"scope must be read or write, not {scope!r}")
    return name


def _create_in(
    conn: Connection, ctx: Context, actor: Actor, *, name: str, scope: str, ip: str
) -> str:
    name = _checked(name, scope)
    if actor.scope != "write":
        raise Forbidden("a read-only token cannot create tokens")
    secret = PREFIX + secrets.token_urlsafe(32)
    token_id = tokens.create(
        conn,
        person_id=actor.person_id,
        name=name,
        scope=scope,
        token_hash=signin.digest(secret),
        now=ctx.now(),
    )
    audit.record(
        conn,
        ctx,
        actor_id=actor.person_id,
        action="token.created",
        target_id=actor.person_id,
        ip=ip,
        detail={"token": token_id, "scope": scope},
    )
    return secret


def actor_for_token(ctx: Context, secret: str) -> Actor:
    """The actor a bearer token stands for (with its scope); NotSignedIn if not valid.

    One statement per request (token, account and memberships together); the token's
    ``last used`` is written at most once a minute. Nothing is cached: a revoked token
    is refused by every instance from the next request on."""
    if not secret.startswith(PREFIX) or len(secret) > 100:
        raise NotSignedIn("this access token is not valid")
    with ctx.store.autocommit() as conn:
        found = credentials.by_token(conn, token_hash=signin.digest(secret))
    if found is None or found.revoked:
        raise NotSignedIn("this access token is not valid (revoked or unknown)")
    actor = identity.of_credential(found)
    now = ctx.now()
    if credentials.stale(found.last_used, now):
        with ctx.store.autocommit() as conn:
            credentials.token_used(conn, token_id=found.id, now=now)
    return actor


def of(ctx: Context, actor: Actor) -> list[AccessToken]:
    with ctx.store.begin() as conn:
        return tokens.of_person(conn, person_id=actor.person_id)


def revoke(ctx: Context, actor: Actor, token_id: str, *, ip: str = "") -> None:
    with ctx.store.begin() as conn:
        if not tokens.revoke(conn, person_id=actor.person_id, token_id=token_id, now=ctx.now()):
            raise NotFound(f"no token {token_id!r}")
        audit.record(
            conn,
            ctx,
            actor_id=actor.person_id,
            action="token.revoked",
            target_id=actor.person_id,
            ip=ip,
            detail={"token": token_id},
        )
