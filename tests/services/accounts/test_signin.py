"""Sign-in, sessions, tokens and rate limits, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from tests.services.accounts.acc_helpers import PASSWORD, clinic

from soleus.domain.clock import FakeClock
from soleus.errors import Forbidden, NotSignedIn, SoleusError, TooManyAttempts
from soleus.services.accounts import audit, passwords, signin, tokens
from soleus.services.accounts.actor import OPERATOR
from soleus.services.context import Context
from soleus.store.accounts import accounts

CLIENT = signin.Client(ip="192.0.2.7", user_agent="pytest")


def test_sign_in_is_case_insensitive_and_the_session_names_the_person(db_ctx: Context) -> None:
    c = clinic(db_ctx)
    secret = signin.sign_in(db_ctx, "ADMIN@example.org ", PASSWORD, CLIENT)
    actor, _ = signin.actor_for_session(db_ctx, secret)
    assert actor.person_id == c.admin.person_id
    assert actor.email == "admin@example.org"
    assert [(r.org_name, r.role) for r in actor.roles] == [("Clinic", "admin")]


def test_wrong_password_and_unknown_email_say_the_same_and_are_audited(db_ctx: Context) -> None:
    c = clinic(db_ctx)
    with pytest.raises(NotSignedIn, match="wrong email or password"):
        signin.sign_in(db_ctx, "a@example.org", "not the password", CLIENT)
    with pytest.raises(NotSignedIn, match="wrong email or password"):
        signin.sign_in(db_ctx, "nobody@example.org", PASSWORD, CLIENT)
    failed = [e for e in audit.entries(db_ctx, OPERATOR) if e.action == "signin.failed"]
    assert [e.target_id for e in failed] == [None, c.patient_a.person_id]
    assert failed[0].ip == "192.0.2.7"
    # The admin sees the failure on their patient's account, not the unknown address.
    seen = [e for e in audit.entries(db_ctx, c.admin) if e.action == "signin.failed"]
    assert [e.target_id for e in seen] == [c.patient_a.person_id]


def test_forged_stale_and_revoked_sessions_are_refused(db_ctx: Context, clock: FakeClock) -> None:
    clinic(db_ctx)
    with pytest.raises(NotSignedIn):
        signin.actor_for_session(db_ctx, "forged-cookie-value")
    first = signin.sign_in(db_ctx, "a@example.org", PASSWORD, CLIENT)
    second = signin.sign_in(db_ctx, "a@example.org", PASSWORD, CLIENT)
    actor, first_hash = signin.actor_for_session(db_ctx, first)
    assert len(signin.sessions_of(db_ctx, actor)) == 2
    assert signin.sign_out(db_ctx, actor, first_hash, CLIENT) == 1
    with pytest.raises(NotSignedIn, match="ended"):
        signin.actor_for_session(db_ctx, first)
    signin.actor_for_session(db_ctx, second)  # the other session lives on
    clock.advance(signin.SESSION_DAYS * 86400 + 1)
    with pytest.raises(NotSignedIn, match="ended"):
        signin.actor_for_session(db_ctx, second)


def test_sign_out_everywhere_ends_every_session(db_ctx: Context) -> None:
    clinic(db_ctx)
    secrets_ = [signin.sign_in(db_ctx, "b@example.org", PASSWORD, CLIENT) for _ in range(3)]
    actor, _ = signin.actor_for_session(db_ctx, secrets_[0])
    assert signin.sign_out(db_ctx, actor, None, CLIENT) == 3
    for s in secrets_:
        with pytest.raises(NotSignedIn):
            signin.actor_for_session(db_ctx, s)


def test_brute_force_locks_the_account_until_the_window_ends(
    db_ctx: Context, clock: FakeClock
) -> None:
    clinic(db_ctx)
    limit = db_ctx.settings.signin_max_failures
    for _ in range(limit):
        with pytest.raises(NotSignedIn):
            signin.sign_in(db_ctx, "a@example.org", "guess guess guess", CLIENT)
    for _ in range(20):
        with pytest.raises(TooManyAttempts, match="locked") as locked:
            signin.sign_in(db_ctx, "a@example.org", "guess guess guess", CLIENT)
    # The right password does not get through the lock either, and it says when it ends.
    with pytest.raises(TooManyAttempts, match=r"try again at \d\d:\d\d:\d\d UTC"):
        signin.sign_in(db_ctx, "a@example.org", PASSWORD, CLIENT)
    assert 0 < locked.value.retry_after <= db_ctx.settings.signin_lock_min * 60
    clock.advance(locked.value.retry_after)
    signin.sign_in(db_ctx, "a@example.org", PASSWORD, CLIENT)
    # Another account is not locked by A's failures.
    signin.sign_in(db_ctx, "b@example.org", PASSWORD, CLIENT)


def test_disabled_account_cannot_sign_in_and_its_sessions_end(db_ctx: Context) -> None:
    from soleus.services.accounts import people

    clinic(db_ctx)
    secret = signin.sign_in(db_ctx, "b@example.org", PASSWORD, CLIENT)
    people.set_disabled(db_ctx, OPERATOR, "b@example.org")
    with pytest.raises(NotSignedIn):
        signin.actor_for_session(db_ctx, secret)
    with pytest.raises(NotSignedIn, match="disabled"):
        signin.sign_in(db_ctx, "b@example.org", PASSWORD, CLIENT)


@pytest.mark.parametrize(
    "older",
    [
        PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1),
        # The OWASP set soleus used before (as strong, dearer to verify).
        PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1),
    ],
    ids=["weak", "m19-t2"],
)
def test_login_rehashes_a_hash_made_with_older_parameters(
    db_ctx: Context, older: PasswordHasher
) -> None:
    c = clinic(db_ctx)
    weak = older.hash(PASSWORD)
    with db_ctx.store.begin() as conn:
        accounts.set_password(conn, person_id=c.patient_a.person_id, password_hash=weak)
    signin.sign_in(db_ctx, "a@example.org", PASSWORD, CLIENT)
    with db_ctx.store.begin() as conn:
        stored = accounts.by_person(conn, person_id=c.patient_a.person_id)
    assert stored is not None and stored.password_hash is not None
    assert stored.password_hash != weak
    assert stored.password_hash.startswith("$argon2id$v=19$m=7168,t=5,p=1$")
    assert not passwords.needs_rehash(stored.password_hash)


def test_tokens_are_scoped_hashed_and_revocable(db_ctx: Context) -> None:
    c = clinic(db_ctx)
    secret = tokens.create(db_ctx, c.patient_a, name="phone", scope="read")
    actor = tokens.actor_for_token(db_ctx, secret)
    assert (actor.person_id, actor.scope) == (c.patient_a.person_id, "read")
    with pytest.raises(Forbidden):
        tokens.create(db_ctx, actor, name="more", scope="write")
    [listed] = tokens.of(db_ctx, c.patient_a)
    with pytest.raises(Exception, match="no token"):
        tokens.revoke(db_ctx, c.patient_b, listed.id)  # not B's to revoke
    tokens.revoke(db_ctx, c.patient_a, listed.id)
    with pytest.raises(NotSignedIn):
        tokens.actor_for_token(db_ctx, secret)
    with pytest.raises(NotSignedIn):
        tokens.actor_for_token(db_ctx, "spu_forged")


def test_concurrent_wrong_passwords_verify_no_more_than_the_allowance(db_ctx: Context) -> None:
    from concurrent.futures import ThreadPoolExecutor

    clinic(db_ctx)

    def attempt(i: int) -> str:
        try:
            signin.sign_in(db_ctx, "a@example.org", f"guess {i:04d} wrong", CLIENT)
        except NotSignedIn:
            return "401"
        except TooManyAttempts:
            return "429"
        return "200"

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(attempt, range(24)))
    assert answers.count("401") == db_ctx.settings.signin_max_failures
    assert answers.count("429") == 24 - db_ctx.settings.signin_max_failures


def test_a_sign_in_forgets_the_accounts_failures(db_ctx: Context) -> None:
    clinic(db_ctx)
    below = db_ctx.settings.signin_max_failures - 1
    for _ in range(2):  # twice the allowance in all, never locked
        for _ in range(below):
            with pytest.raises(NotSignedIn):
                signin.sign_in(db_ctx, "a@example.org", "guess guess guess", CLIENT)
        signin.sign_in(db_ctx, "a@example.org", PASSWORD, CLIENT)
    # The token call forgets them too.
    for _ in range(below):
        with pytest.raises(NotSignedIn):
            tokens.issue(db_ctx, CLIENT, "a@example.org", "guess guess", name="x", scope="read")
    tokens.issue(db_ctx, CLIENT, "a@example.org", PASSWORD, name="x", scope="read")
    signin.sign_in(db_ctx, "a@example.org", PASSWORD, CLIENT)


def test_a_refused_token_call_counts_against_the_address_only(db_ctx: Context) -> None:
    from soleus.store.accounts import audit as audit_repo

    clinic(db_ctx)
    calls = 10 * db_ctx.settings.signin_max_failures  # the address allowance
    other = signin.Client(ip="198.51.100.9")
    issued = [
        tokens.issue(db_ctx, other, "b@example.org", PASSWORD, name=f"t{i}", scope="read")
        for i in range(calls)
    ]
    assert len(set(issued)) == calls
    with pytest.raises(TooManyAttempts, match="too many token calls"):
        tokens.issue(db_ctx, other, "a@example.org", "guess guess", name="t", scope="read")
    # Refused before the password: A's account counted nothing, nothing was audited.
    with db_ctx.store.begin() as conn:
        logged = audit_repo.entries(conn, org_ids=None, people=None, limit=500)
    assert not [e for e in logged if e.action == "signin.failed"]
    for _ in range(db_ctx.settings.signin_max_failures - 1):
        with pytest.raises(NotSignedIn):
            signin.sign_in(db_ctx, "a@example.org", "guess guess guess", CLIENT)
    signin.sign_in(db_ctx, "a@example.org", PASSWORD, CLIENT)


def test_a_bad_token_name_or_scope_makes_no_token(db_ctx: Context) -> None:
    c = clinic(db_ctx)
    with pytest.raises(SoleusError, match="scope must be read or write"):
        tokens.issue(db_ctx, CLIENT, "a@example.org", PASSWORD, name="x", scope="admin")
    with pytest.raises(SoleusError, match="a token needs a name"):
        tokens.issue(db_ctx, CLIENT, "a@example.org", PASSWORD, name=" ", scope="read")
    assert tokens.of(db_ctx, c.patient_a) == []


def test_counters_a_day_old_are_forgotten_by_the_next_sign_in(
    db_ctx: Context, clock: FakeClock
) -> None:
    from sqlalchemy import func, select

    from soleus.store.schema import rate_limits

    clinic(db_ctx)
    with pytest.raises(NotSignedIn):
        signin.sign_in(db_ctx, "a@example.org", "guess guess guess", CLIENT)

    def keys() -> set[str]:
        with db_ctx.store.begin() as conn:
            return set(conn.execute(select(rate_limits.c.key)).scalars())

    assert {"signin:account:a@example.org", "signin:ip:192.0.2.7"} <= keys()
    clock.advance(2 * 86400)
    signin.sign_in(db_ctx, "b@example.org", PASSWORD, CLIENT)
    # Every old window is gone (A's, the address's, the invitations'); B's attempt was
    # forgotten by its success.
    with db_ctx.store.begin() as conn:
        assert conn.execute(select(func.count()).select_from(rate_limits)).scalar() == 0
