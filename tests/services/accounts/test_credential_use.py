"""What each request's sign-in check costs and writes: the idle timeout of web sessions,
``last used`` written at most once a minute, one statement per check (SQLite and
PostgreSQL, on the fake clock)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from tests.services.accounts.acc_helpers import PASSWORD, clinic

from soleus.domain.clock import FakeClock
from soleus.errors import NotSignedIn
from soleus.services.accounts import signin, tokens
from soleus.services.context import Context

CLIENT = signin.Client(ip="192.0.2.7", user_agent="pytest")
HOUR = 3600


@contextmanager
def statements(ctx: Context) -> Iterator[list[str]]:
    """The SQL statements run on the store's engine inside the block (SQLite's BEGIN
    IMMEDIATE left out: no round trip, and no BEGIN is sent on PostgreSQL's
    autocommit connection)."""
    from sqlalchemy import event

    seen: list[str] = []

    def on_execute(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if not statement.startswith("BEGIN"):
            seen.append(" ".join(statement.split()))

    event.listen(ctx.store.engine, "before_cursor_execute", on_execute)
    try:
        yield seen
    finally:
        event.remove(ctx.store.engine, "before_cursor_execute", on_execute)


def test_a_session_unused_for_the_idle_limit_ends(db_ctx: Context, clock: FakeClock) -> None:
    assert db_ctx.settings.session_idle_hours == 12
    clinic(db_ctx)
    secret = signin.sign_in(db_ctx, "a@example.org", PASSWORD, CLIENT)
    other = signin.sign_in(db_ctx, "a@example.org", PASSWORD, CLIENT)
    # Each use restarts the idle time: used every 11 h 59 min, it lives on for days.
    for _ in range(4):
        clock.advance(12 * HOUR - 60)
        actor, _ = signin.actor_for_session(db_ctx, secret)
    # The other session was not used for 47 h: it is gone from the list and refused.
    assert len(signin.sessions_of(db_ctx, actor)) == 1
    with pytest.raises(NotSignedIn, match="ended after 12 hours unused; please sign in again"):
        signin.actor_for_session(db_ctx, other)
    clock.advance(12 * HOUR + 1)
    with pytest.raises(NotSignedIn, match="12 hours unused"):
        signin.actor_for_session(db_ctx, secret)


def test_the_idle_limit_is_exact_to_the_second_just_after_a_use(
    db_ctx: Context, clock: FakeClock
) -> None:
    clinic(db_ctx)
    secret = signin.sign_in(db_ctx, "b@example.org", PASSWORD, CLIENT)
    clock.advance(12 * HOUR)
    signin.actor_for_session(db_ctx, secret)  # exactly 12 h: still alive, and seen now
    clock.advance(12 * HOUR)
    signin.actor_for_session(db_ctx, secret)
    clock.advance(12 * HOUR + 1)
    with pytest.raises(NotSignedIn, match="unused"):
        signin.actor_for_session(db_ctx, secret)


def test_a_token_check_is_one_statement_and_writes_last_used_once_a_minute(
    db_ctx: Context, clock: FakeClock
) -> None:
    c = clinic(db_ctx)
    secret = tokens.create(db_ctx, c.patient_a, name="phone", scope="write")
    start = clock.now()
    with statements(db_ctx) as first:
        actor = tokens.actor_for_token(db_ctx, secret)
    assert actor.person_id == c.patient_a.person_id
    assert [(r.org_name, r.role) for r in actor.roles] == [("Clinic", "patient")]
    # Never used: read, then noted as used.
    assert [s.split()[0] for s in first] == ["SELECT", "UPDATE"]
    [listed] = tokens.of(db_ctx, c.patient_a)
    assert listed.last_used_at == start
    clock.advance(59)
    with statements(db_ctx) as within:
        tokens.actor_for_token(db_ctx, secret)
    assert [s.split()[0] for s in within] == ["SELECT"]
    [listed] = tokens.of(db_ctx, c.patient_a)
    assert listed.last_used_at == start
    clock.advance(1)
    with statements(db_ctx) as after:
        tokens.actor_for_token(db_ctx, secret)
    assert [s.split()[0] for s in after] == ["SELECT", "UPDATE"]
    [listed] = tokens.of(db_ctx, c.patient_a)
    assert listed.last_used_at == clock.now()


def test_a_session_check_is_one_statement_and_writes_last_seen_once_a_minute(
    db_ctx: Context, clock: FakeClock
) -> None:
    c = clinic(db_ctx)
    signed = clock.now()
    secret = signin.sign_in(db_ctx, "doc@example.org", PASSWORD, CLIENT)
    clock.advance(30)
    with statements(db_ctx) as within:
        actor, _ = signin.actor_for_session(db_ctx, secret)
    assert [s.split()[0] for s in within] == ["SELECT"]
    assert actor.person_id == c.clinician.person_id
    assert [(r.org_name, r.role) for r in actor.roles] == [("Clinic", "clinician")]
    [live] = signin.sessions_of(db_ctx, actor)
    assert live.last_seen_at == signed
    clock.advance(30)
    with statements(db_ctx) as after:
        signin.actor_for_session(db_ctx, secret)
    assert [s.split()[0] for s in after] == ["SELECT", "UPDATE"]
    [live] = signin.sessions_of(db_ctx, actor)
    assert live.last_seen_at == clock.now()


def test_a_person_in_two_organisations_has_both_roles_from_one_check(db_ctx: Context) -> None:
    from soleus.services.accounts import people
    from soleus.services.accounts.actor import OPERATOR
    from soleus.store.accounts import orgs

    c = clinic(db_ctx)
    people.create_org(db_ctx, OPERATOR, "Another")
    with db_ctx.store.begin() as conn:
        org_id = orgs.id_of(conn, name="Another")
        assert org_id is not None
        orgs.add_member(
            conn,
            person_id=c.patient_a.person_id,
            org_id=org_id,
            role="clinician",
            clinician_id=None,
            now=db_ctx.now(),
        )
    secret = tokens.create(db_ctx, c.patient_a, name="phone", scope="read")
    actor = tokens.actor_for_token(db_ctx, secret)
    assert actor.scope == "read"
    assert [(r.org_name, r.role) for r in actor.roles] == [
        ("Another", "clinician"),
        ("Clinic", "patient"),
    ]


def _account_attempts(ctx: Context) -> int:
    from sqlalchemy import func, select

    from soleus.store.schema import rate_limits

    with ctx.store.begin() as conn:
        query = select(func.coalesce(func.sum(rate_limits.c.count), 0)).where(
            rate_limits.c.key == "signin:account:a@example.org"
        )
        return int(conn.execute(query).scalar_one())


def test_a_sign_in_writes_its_session_audit_entry_and_forgotten_failures_at_once(
    db_ctx: Context,
) -> None:
    from soleus.services.accounts import audit
    from soleus.services.accounts.actor import OPERATOR

    c = clinic(db_ctx)
    with pytest.raises(NotSignedIn):
        signin.sign_in(db_ctx, "a@example.org", "guess guess guess", CLIENT)
    assert _account_attempts(db_ctx) == 1
    with statements(db_ctx) as seen:
        secret = signin.sign_in(db_ctx, "a@example.org", PASSWORD, CLIENT)
    # On PostgreSQL the limits and the account in one statement, then the failures
    # forgotten, the session and its audit entry in one more (SQLite: four, then three).
    postgres = db_ctx.store.url.startswith("postgresql")
    assert len(seen) == (2 if postgres else 7)
    if postgres:
        assert seen[0].startswith("WITH forgotten AS (DELETE FROM rate_limits")
        assert seen[-1].startswith("WITH cleared AS (DELETE FROM rate_limits")
    assert _account_attempts(db_ctx) == 0
    actor, id_hash = signin.actor_for_session(db_ctx, secret)
    assert actor.person_id == c.patient_a.person_id
    assert id_hash == signin.digest(secret) and secret not in id_hash
    [live] = signin.sessions_of(db_ctx, actor)
    assert (live.id_hash, live.ip, live.user_agent) == (id_hash, "192.0.2.7", "pytest")
    [entry] = [e for e in audit.entries(db_ctx, OPERATOR) if e.action == "signin"][-1:]
    assert (entry.actor_id, entry.target_id, entry.ip) == (actor.person_id,) * 2 + ("192.0.2.7",)
    assert entry.detail == {"how": "password"}


def test_a_session_that_cannot_be_stored_writes_nothing(db_ctx: Context) -> None:
    from soleus.errors import SoleusError
    from soleus.services.accounts import audit, limits
    from soleus.services.accounts.actor import OPERATOR

    clinic(db_ctx)
    with pytest.raises(NotSignedIn):
        signin.sign_in(db_ctx, "a@example.org", "guess guess guess", CLIENT)
    before = len(audit.entries(db_ctx, OPERATOR))
    per_account = limits.account_limit(db_ctx, "a@example.org")
    # No such person: the session's foreign key refuses it, and with it the rest.
    with pytest.raises(SoleusError, match="database error"):
        signin.start_session(db_ctx, "no-such-person", CLIENT, how="password", clear=per_account)
    assert len(audit.entries(db_ctx, OPERATOR)) == before
    assert _account_attempts(db_ctx) == 1


def test_a_token_issue_writes_its_token_audit_entry_and_forgotten_failures_at_once(
    db_ctx: Context,
) -> None:
    from soleus.services.accounts import audit
    from soleus.services.accounts.actor import OPERATOR

    c = clinic(db_ctx)
    with pytest.raises(NotSignedIn):
        tokens.issue(db_ctx, CLIENT, "a@example.org", "guess guess", name="x", scope="read")
    assert _account_attempts(db_ctx) == 1
    with statements(db_ctx) as seen:
        secret = tokens.issue(db_ctx, CLIENT, "a@example.org", PASSWORD, name="x", scope="read")
    # The limits (the call's own first) and the account: one statement on PostgreSQL
    # (SQLite: five); then one more (SQLite: three).
    postgres = db_ctx.store.url.startswith("postgresql")
    assert len(seen) == (2 if postgres else 8)
    if postgres:
        assert seen[0].startswith("WITH forgotten AS (DELETE FROM rate_limits")
        assert seen[-1].startswith("WITH cleared AS (DELETE FROM rate_limits")
    assert _account_attempts(db_ctx) == 0
    actor = tokens.actor_for_token(db_ctx, secret)
    assert (actor.person_id, actor.scope) == (c.patient_a.person_id, "read")
    [token] = tokens.of(db_ctx, c.patient_a)
    [entry] = [e for e in audit.entries(db_ctx, OPERATOR) if e.action == "token.created"]
    assert entry.detail == {"token": token.id, "scope": "read"}
    assert (entry.actor_id, entry.target_id) == (c.patient_a.person_id,) * 2
