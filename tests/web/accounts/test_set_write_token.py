"""Saving a set with a bearer token: the route checks the token itself, in the same
worker-thread call and transaction as the save (web.auth.acting), and refuses exactly
what the middleware refuses everywhere else."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from tests.web.accounts.acc_web import Clinic, Site

from soleus.services.accounts import access, tokens
from soleus.services.accounts import people as people_service
from soleus.services.accounts.actor import OPERATOR, Actor
from soleus.services.safety import screen
from soleus.services.sessions import guided
from soleus.store import sessions as repo

pytestmark = pytest.mark.anyio

NO_FLAGS = {"one_calf_swollen": False, "breathless": False, "heel_pop": False, "no_tiptoe": False}


def started(site: Site, actor: Actor) -> str:
    acting = access.context_for(site.ctx, actor, write=True)
    screen.record_screen(acting, NO_FLAGS)
    return guided.start(acting, site.ctx.routines.get_routine("desk"), source="test")


def saved(site: Site, actor: Actor, session_id: str) -> list[int]:
    with site.ctx.store.begin() as conn:
        rows = repo.list_sets(conn, person_id=actor.person_id, session_id=session_id)
    return [r["plan_index"] for r in rows]


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def engine_events(site: Site) -> Iterator[dict[str, int]]:
    """Pool checkouts and transactions (BEGINs) on the site's engine."""
    from sqlalchemy import event

    seen = {"checkouts": 0, "transactions": 0}
    engine = site.ctx.store.engine

    def checkout(*_: Any) -> None:
        seen["checkouts"] += 1

    def begin(conn: Any) -> None:
        if conn.get_execution_options().get("isolation_level") != "AUTOCOMMIT":
            seen["transactions"] += 1

    event.listen(engine.pool, "checkout", checkout)
    event.listen(engine, "begin", begin)
    yield seen
    event.remove(engine.pool, "checkout", checkout)
    event.remove(engine, "begin", begin)


async def test_a_write_token_saves_in_one_transaction(
    site: Site, people: Clinic, engine_events: dict[str, int]
) -> None:
    sid = started(site, people.patient_a)
    secret = tokens.create(site.ctx, people.patient_a, name="watch", scope="write")
    async with site.client() as c:
        for index in (0, 1, 2):
            engine_events.update(checkouts=0, transactions=0)
            r = await c.post(
                f"/api/sessions/{sid}/sets",
                json={"plan_index": index, "actual_reps": 10},
                headers=bearer(secret),
            )
            assert r.status_code == 201, r.text
            if index > 0:  # the app's first request builds the services' context
                # The token's lookup and the save: one connection, one transaction.
                assert engine_events == {"checkouts": 1, "transactions": 1}
    assert saved(site, people.patient_a, sid) == [0, 1, 2]


@pytest.mark.parametrize(
    ("secret", "body"),
    [
        ("spu_forged", {"plan_index": 0}),
        ("spu_forged", b"{not json"),  # the token is checked before the body is read
        ("not-even-a-token", {"plan_index": 0}),
        ("", {"plan_index": 0}),
    ],
    ids=["forged", "forged-bad-body", "no-prefix", "empty"],
)
async def test_a_forged_token_is_refused_401_before_the_body(
    site: Site, people: Clinic, secret: str, body: dict[str, int] | bytes
) -> None:
    sid = started(site, people.patient_a)
    async with site.client() as c:
        headers = {**bearer(secret), "content-type": "application/json"}
        content = body if isinstance(body, bytes) else None
        r = await c.post(
            f"/api/sessions/{sid}/sets",
            json=None if content else body,
            content=content,
            headers=headers,
        )
    assert r.status_code == 401, r.text
    assert r.headers["www-authenticate"] == "Bearer"
    assert "error" in r.json() and "Traceback" not in r.text
    assert saved(site, people.patient_a, sid) == []


async def test_read_revoked_and_disabled_tokens_save_nothing(site: Site, people: Clinic) -> None:
    sid = started(site, people.patient_a)
    url = f"/api/sessions/{sid}/sets"
    read = tokens.create(site.ctx, people.patient_a, name="read", scope="read")
    write = tokens.create(site.ctx, people.patient_a, name="write", scope="write")
    async with site.client() as c:
        r = await c.post(url, json={"plan_index": 0}, headers=bearer(read))
        assert r.status_code == 403
        assert r.json() == {"error": "this token may only read (its scope is read)"}
        # Revoked: refused from the next request on (nothing cached).
        assert (await c.post(url, json={"plan_index": 0}, headers=bearer(write))).status_code == 201
        [listed] = [t for t in tokens.of(site.ctx, people.patient_a) if t.name == "write"]
        tokens.revoke(site.ctx, people.patient_a, listed.id)
        r = await c.post(url, json={"plan_index": 1}, headers=bearer(write))
        assert r.status_code == 401, r.text
        again = tokens.create(site.ctx, people.patient_a, name="again", scope="write")
        people_service.set_disabled(site.ctx, OPERATOR, "a@example.org")
        r = await c.post(url, json={"plan_index": 2}, headers=bearer(again))
        assert r.status_code == 401 and "disabled" in r.json()["error"]
    assert saved(site, people.patient_a, sid) == [0]


async def test_another_persons_token_finds_no_session(site: Site, people: Clinic) -> None:
    sid = started(site, people.patient_a)
    b_token = tokens.create(site.ctx, people.patient_b, name="b", scope="write")
    async with site.client() as c:
        url = f"/api/sessions/{sid}/sets"
        r = await c.post(url, json={"plan_index": 0}, headers=bearer(b_token))
    assert r.status_code == 404, r.text
    assert saved(site, people.patient_a, sid) == []


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        (b"{not json", 400, "malformed JSON"),
        (b"[1, 2]", 400, "must be an object"),
        (b'{"plan_index": -1}', 400, "plan_index"),
        (b'{"plan_index": 99}', 400, "plan_index must be from 0 to"),
    ],
)
async def test_a_signed_bad_body_gets_one_clear_line(
    site: Site, people: Clinic, body: bytes, status: int, words: str
) -> None:
    sid = started(site, people.patient_a)
    secret = tokens.create(site.ctx, people.patient_a, name="w", scope="write")
    async with site.client() as c:
        r = await c.post(
            f"/api/sessions/{sid}/sets",
            content=body,
            headers={**bearer(secret), "content-type": "application/json"},
        )
        assert r.status_code == status and words in r.json()["error"], r.text
        r = await c.post(
            f"/api/sessions/{sid}/sets",
            content=b'{"plan_index": 0}',
            headers={**bearer(secret), "content-type": "text/plain"},
        )
        assert r.status_code == 415
    assert saved(site, people.patient_a, sid) == []


async def test_a_cookie_save_still_needs_its_csrf_token(
    site: Site, people: Clinic, as_a: tuple[httpx.AsyncClient, str]
) -> None:
    client, csrf = as_a
    sid = started(site, people.patient_a)
    url = f"/api/sessions/{sid}/sets"
    assert (await client.post(url, json={"plan_index": 0})).status_code == 403
    r = await client.post(url, json={"plan_index": 0}, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 201, r.text
    assert saved(site, people.patient_a, sid) == [0]
