"""Signing in with email and password, and the web sessions that follow.

A session id is 32 random bytes given to the browser once; the database keeps only its
SHA-256, so every instance can check it and a leaked table signs nobody in.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from soleus.errors import NotSignedIn
from soleus.services.accounts import audit, identity, limits, passwords
from soleus.services.accounts.actor import Actor
from soleus.services.context import Context
from soleus.store.accounts import accounts, attempts, credentials, websessions

SESSION_DAYS = 14
WebSession = websessions.WebSession


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class Client:
    """Where a request came from (for rate limits and the audit log)."""

    ip: str = ""
    user_agent: str = ""


def verified(
    ctx: Context, email: str, password: str, client: Client, *, first: Sequence[limits.Step] = ()
) -> tuple[str, limits.Limit]:
    """The person id for this email and password, and the account's limit to clear in
    the transaction that signs them in; or an error (401, 429).

    Rate limited per account (after ``signin_max_failures`` wrong passwords it is
    locked until its ``signin_lock_min``-minute window ends) and per address (failures
    only), after the caller's ``first`` limits; every failure is in the audit log.
    The limits are counted and the account read together (one statement on
    PostgreSQL, :mod:`soleus.store.accounts.attempts`), committed before the password
    is checked: however many instances try at once, no more than the allowance is ever
    verified in a window."""
    email = email.strip().lower()
    per_account = limits.account_limit(ctx, email)
    per_address = limits.address_limit(ctx, "signin", client.ip)
    steps = [
        *first,
        limits.Step(per_address, "too many sign-in attempts from this address", take=False),
        limits.Step(per_account, "this account is locked after too many wrong passwords"),
    ]
    counted = limits.counters(ctx, steps)
    with ctx.store.autocommit() as conn:
        account, counts = attempts.account_and_counts(
            conn, email=email, counters=counted, forget_before=limits.forget_moment(ctx, steps)
        )
    refused = limits.refusal(ctx, steps, counted, counts)
    if refused is not None:
        raise refused
    stored = account.password_hash if account is not None else None
    ok = passwords.verify(stored or passwords.dummy_hash(), password)
    if not ok or account is None or stored is None:
        with ctx.store.begin() as conn:
            limits.hit_in(conn, ctx, per_address)
            audit.record(
                conn,
                ctx,
                actor_id=None,
                action="signin.failed",
                target_id=account.person_id if account else None,
                ip=client.ip,
                detail={"email": email[:254]},
            )
        raise NotSignedIn("wrong email or password")
    if account.disabled:
        audit.record_alone(ctx, actor_id=account.person_id, action="signin.disabled", ip=client.ip)
        raise NotSignedIn("this account is disabled; ask your organisation's admin")
    if passwords.needs_rehash(stored):
        with ctx.store.begin() as conn:
            accounts.set_password(
                conn, person_id=account.person_id, password_hash=passwords.rehash(password)
            )
    return account.person_id, per_account


def start_session(
    ctx: Context, person_id: str, client: Client, *, how: str, clear: limits.Limit | None = None
) -> str:
    """A new web session for the person; the secret the browser keeps. ``clear``: the
    account's failed attempts, forgotten in the same transaction (on PostgreSQL one
    statement: the attempts, the session and its audit entry)."""
    secret = secrets.token_urlsafe(32)
    now = ctx.now()
    with ctx.store.autocommit() as conn:
        websessions.create_signed_in(
            conn,
            id_hash=digest(secret),
            person_id=person_id,
            now=now,
            expires_at=now + timedelta(days=SESSION_DAYS),
            ip=client.ip,
            user_agent=client.user_agent,
            action="signin",
            detail={"how": how},
            clear_key=None if clear is None else clear.key,
        )
    return secret


def sign_in(ctx: Context, email: str, password: str, client: Client) -> str:
    person_id, per_account = verified(ctx, email, password, client)
    return start_session(ctx, person_id, client, how="password", clear=per_account)


def idle_limit(ctx: Context) -> timedelta:
    """How long a web session lasts unused (``session_idle_hours``)."""
    return timedelta(hours=ctx.settings.session_idle_hours)


def actor_for_session(ctx: Context, secret: str) -> tuple[Actor, str]:
    """The actor of a live session, and its id hash; NotSignedIn when forged or stale.

    One statement per request (session, account and memberships together); ``last
    seen`` is written at most once a minute, so the idle timeout is exact to a minute.
    Nothing is cached: a session signed out is refused by every instance at once."""
    if not secret or len(secret) > 100:
        raise NotSignedIn("please sign in")
    id_hash = digest(secret)
    now = ctx.now()
    with ctx.store.autocommit() as conn:
        found = credentials.by_session(conn, id_hash=id_hash)
    if found is None or found.revoked or found.expires_at is None or found.expires_at <= now:
        raise NotSignedIn("your session has ended; please sign in again")
    seen = found.last_used or found.created_at
    if now - seen > idle_limit(ctx):
        hours = ctx.settings.session_idle_hours
        raise NotSignedIn(
            f"your session ended after {hours} hour{'s' if hours != 1 else ''} unused;"
            " please sign in again"
        )
    actor = identity.of_credential(found)
    if credentials.stale(found.last_used, now):
        with ctx.store.autocommit() as conn:
            credentials.session_seen(conn, id_hash=id_hash, now=now)
    return actor, id_hash


def sessions_of(ctx: Context, actor: Actor) -> list[WebSession]:
    now = ctx.now()
    with ctx.store.begin() as conn:
        return websessions.of_person(
            conn, person_id=actor.person_id, now=now, seen_since=now - idle_limit(ctx)
        )


def sign_out(ctx: Context, actor: Actor, id_hash: str | None, client: Client) -> int:
    """End one of the actor's sessions, or every one (``id_hash`` None)."""
    with ctx.store.begin() as conn:
        ended = websessions.revoke(conn, person_id=actor.person_id, id_hash=id_hash, now=ctx.now())
        action = "signout.everywhere" if id_hash is None else "signout"
        audit.record(
            conn,
            ctx,
            actor_id=actor.person_id,
            action=action,
            target_id=actor.person_id,
            ip=client.ip,
            detail={"sessions": ended},
        )
    return ended


def change_password(ctx: Context, actor: Actor, old: str, new: str, client: Client) -> None:
    with ctx.store.begin() as conn:
        account = accounts.by_person(conn, person_id=actor.person_id)
    if account is None or not passwords.verify(account.password_hash, old):
        raise NotSignedIn("the current password is not right")
    new_hash = passwords.hash_new(new)
    with ctx.store.begin() as conn:
        accounts.set_password(conn, person_id=actor.person_id, password_hash=new_hash)
        audit.record(
            conn,
            ctx,
            actor_id=actor.person_id,
            action="password.changed",
            target_id=actor.person_id,
            ip=client.ip,
        )
