"""Personal access tokens for the API: ``Authorization: Bearer <token>``.

The token is shown once; the database keeps its SHA-256. Scope ``read`` refuses writes
(403), ``write`` allows what the person may do on the web.
"""

from __future__ import annotations

import secrets

from soleus.errors import NotFound, NotSignedIn, SoleusError
from soleus.services.accounts import audit, identity, signin
from soleus.services.accounts.actor import Actor
from soleus.services.context import Context
from soleus.store.accounts import credentials, tokens

SCOPES = ("read", "write")
PREFIX = "spu_"
AccessToken = tokens.AccessToken


def create(ctx: Context, actor: Actor, *, name: str, scope: str, ip: str = "") -> str:
    """A new token of the actor's; the secret (shown once)."""
    name = name.strip()
    if not name or len(name) > 80:
        raise SoleusError("a token needs a name of 1 to 80 characters")
    if scope not in SCOPES:
        raise SoleusError(f"scope must be read or write, not {scope!r}")
    if actor.scope != "write":
        from soleus.errors import Forbidden

        raise Forbidden("a read-only token cannot create tokens")
    secret = PREFIX + secrets.token_urlsafe(32)
    with ctx.store.begin() as conn:
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
