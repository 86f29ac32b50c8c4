"""Sign-in brute force on the two-instance deployment: accounts mode on PostgreSQL
behind nginx. 1,000 wrong passwords, alternating instances, are limited as configured
(429 with the unlock time, counted once in PostgreSQL); the right one works after."""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import httpx
import pytest
from sqlalchemy import create_engine, text
from tests.deploy.deploy_harness import (
    ACCOUNT_SETTINGS,
    HOST,
    UPSTREAM_HEADER,
    Deployment,
    Missing,
    deployment,
)
from tests.required import missing

PASSWORD = "correct horse battery"
EMAIL = "pat@example.org"
MAX_FAILURES = 5
ATTEMPTS = 1000


@pytest.fixture(scope="module")
def deployed() -> Iterator[Deployment]:
    settings = {
        **ACCOUNT_SETTINGS,
        "SOLEUS_SIGNIN_MAX_FAILURES": str(MAX_FAILURES),
        "SOLEUS_SIGNIN_LOCK_MIN": "1",  # the shortest lock: one minute
    }
    try:
        with deployment(instances=2, settings=settings) as running:
            yield running
    except Missing as error:
        missing(str(error))


def hidden(page: httpx.Response, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]+)"', page.text)
    assert found, page.text[:400]
    return found[1]


def take_up(deployed: Deployment, email: str, role: str, org: str = "Clinic") -> None:
    """An invitation made with the CLI, accepted through nginx with a password."""
    link = json.loads(deployed.cli("user", "invite", email, "--role", role, "--org", org, "--json"))
    path = "/" + link["url"].split("/", 3)[3]
    with httpx.Client(base_url=deployed.url, headers={"Host": HOST}, timeout=10) as c:
        page = c.get(path)
        assert page.status_code == 200, page.text[:300]
        form = {"csrf_token": hidden(page, "csrf_token"), "password": PASSWORD, "confirm": PASSWORD}
        accepted = c.post(path, data=form)
        assert accepted.status_code == 303, accepted.text[:300]


def signin_form(c: httpx.Client) -> dict[str, str]:
    page = c.get("/signin")
    return {
        "csrf_token": hidden(page, "csrf_token"),
        "signin_check": hidden(page, "signin_check"),
        "email": EMAIL,
    }


def start_of_a_fresh_minute() -> None:
    """The lock is a fixed one-minute window: start early in one, so that all 1,000
    attempts fall into it and the counts below are exact."""
    second = datetime.now(UTC).second
    if second > 30:
        time.sleep(60.5 - second)


def test_a_thousand_wrong_passwords_across_instances_are_locked_out(deployed: Deployment) -> None:
    deployed.cli("org", "create", "Clinic")
    take_up(deployed, EMAIL, "patient")
    start_of_a_fresh_minute()
    with httpx.Client(base_url=deployed.url, headers={"Host": HOST}, timeout=30) as c:
        form = signin_form(c)

        def attempt(i: int) -> httpx.Response:
            return c.post("/signin", data={**form, "password": f"wrong {i}"})

        with ThreadPoolExecutor(max_workers=4) as pool:
            answers = list(pool.map(attempt, range(ATTEMPTS)))
        statuses = Counter(r.status_code for r in answers)
        # Only the allowance was ever checked; every other attempt was refused unread.
        assert statuses == {401: MAX_FAILURES, 429: ATTEMPTS - MAX_FAILURES}
        assert {r.headers[UPSTREAM_HEADER] for r in answers} == {
            f"127.0.0.1:{i.port}" for i in deployed.instances
        }
        refused = [r for r in answers if r.status_code == 429]
        for r in refused:
            assert "this account is locked after too many wrong passwords" in r.text
            assert re.search(r"try again at \d\d:\d\d:\d\d UTC \(in \d+ s\)", r.text)
            assert 1 <= int(r.headers["retry-after"]) <= 60
        # Counted once, in PostgreSQL, whichever instance took the attempt.
        engine = create_engine(deployed.database_url)
        try:
            with engine.connect() as conn:
                counted = conn.execute(
                    text("SELECT sum(count) FROM rate_limits WHERE key = :key"),
                    {"key": f"signin:account:{EMAIL}"},
                ).scalar_one()
        finally:
            engine.dispose()
        assert counted == ATTEMPTS
        # The right password during the lock is refused as well, on both instances.
        during = [c.post("/signin", data={**form, "password": PASSWORD}) for _ in range(2)]
        assert [r.status_code for r in during] == [429, 429]
        assert during[0].headers[UPSTREAM_HEADER] != during[1].headers[UPSTREAM_HEADER]
        time.sleep(int(during[-1].headers["retry-after"]) + 1)
        signed_in = c.post("/signin", data={**form, "password": PASSWORD})
        assert signed_in.status_code == 303, signed_in.text[:300]
        assert signed_in.headers["location"] == "/"
        # The session started on one instance holds on the other.
        for _ in deployed.instances:
            page = c.get("/account")
            assert page.status_code == 200
            assert EMAIL in page.text
    for instance in deployed.instances:
        assert "Traceback" not in instance.log.read_text()
