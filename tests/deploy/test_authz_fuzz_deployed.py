"""Authorization fuzzing on the two-instance deployment (accounts mode, PostgreSQL,
nginx): schemathesis makes calls from /openapi.json for three identities — patient A,
patient B, and a clinician of A only — with every id in a path set to someone else's.

Nobody may read or change another person's data: no call naming another's id
succeeds, no answer carries another's email, note or ids, the victims' sessions are
unchanged afterwards, and there is no 5xx. Derandomized and bounded (a few examples
per operation and identity) so it runs in CI in about a minute."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.core.result import Ok
from tests.deploy.deploy_harness import ACCOUNT_SETTINGS, HOST, Deployment, Missing, deployment
from tests.required import missing

PASSWORD = "correct horse battery"
NO_FLAGS = {"one_calf_swollen": "no", "breathless": "no", "heel_pop": "no", "no_tiptoe": "no"}
EXAMPLES = 10  # per operation and identity


@dataclass
class Person:
    email: str
    client: httpx.Client
    token: str = ""
    ids: set[str] = field(default_factory=set)  # ids of their own data
    sessions: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def deployed() -> Iterator[Deployment]:
    try:
        with deployment(instances=2, settings=ACCOUNT_SETTINGS) as running:
            yield running
    except Missing as error:
        missing(str(error))


_OPEN: list[httpx.Client] = []


@pytest.fixture(autouse=True)
def _close_clients() -> Iterator[None]:
    """Every person's client is closed after the test, passed or failed."""
    yield
    while _OPEN:
        _OPEN.pop().close()


def hidden(page: httpx.Response, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]+)"', page.text)
    assert found, page.text[:400]
    return found[1]


def meta_csrf(page: httpx.Response) -> str:
    found = re.search(r'<meta name="csrf-token" content="([^"]+)"', page.text)
    assert found, page.text[:400]
    return found[1]


def take_up(deployed: Deployment, email: str, url: str) -> Person:
    path = "/" + url.split("/", 3)[3]
    c = httpx.Client(base_url=deployed.url, headers={"Host": HOST}, timeout=30)
    _OPEN.append(c)
    page = c.get(path)
    form = {"csrf_token": hidden(page, "csrf_token"), "password": PASSWORD, "confirm": PASSWORD}
    assert c.post(path, data=form).status_code == 303
    c.post("/welcome/skip", data={"csrf_token": meta_csrf(c.get("/welcome"))})
    made = c.post(
        "/api/tokens", json={"email": email, "password": PASSWORD, "scope": "write", "name": "f"}
    )
    assert made.status_code == 201, made.text
    return Person(email, c, made.json()["token"])


def cli_invite(deployed: Deployment, email: str, role: str) -> str:
    out = deployed.cli("user", "invite", email, "--role", role, "--org", "Clinic", "--json")
    return str(json.loads(out)["url"])


def give_data(p: Person) -> None:
    """A finished session with a set: data that is theirs alone."""
    c = p.client
    token = meta_csrf(c.get("/"))
    assert c.post("/screen", data={"csrf_token": token, "next": "/", **NO_FLAGS}).status_code == 303
    h = {"X-CSRF-Token": token}
    started = c.post("/api/sessions", json={"routine_id": "desk", "start_over": True}, headers=h)
    assert started.status_code == 201, started.text
    sid, first = started.json()["id"], started.json()["plan"]["sets"][0]
    body: dict[str, Any] = {"plan_index": first["index"]}
    if first["target_reps"] is not None:
        body["actual_reps"] = first["target_reps"]
    else:
        body["actual_seconds"] = first["target_seconds"]
    saved = c.post(f"/api/sessions/{sid}/sets", json=body, headers=h)
    assert saved.status_code == 201, saved.text
    done = c.post(f"/api/sessions/{sid}/finish", json={"effort": 5, "pain": 1}, headers=h)
    assert done.status_code == 200, done.text
    p.ids.add(sid)
    sets = c.get(f"/api/sessions/{sid}").json()["session"]["sets"]
    p.ids.update(str(s["id"]) for s in sets if len(str(s.get("id", ""))) >= 8)
    p.sessions.append(sid)
    # Their tokens' ids (routines and exercises are the organisation's, edited by an
    # admin: not one person's data).
    listed = c.get("/api/tokens", headers={"Authorization": f"Bearer {p.token}"})
    assert listed.status_code == 200, listed.text
    rows = listed.json()
    p.ids.update(str(t["id"]) for t in (rows["tokens"] if isinstance(rows, dict) else rows))


def attack(
    deployed: Deployment,
    operation: Any,
    actor: Person,
    victim: Person,
    problems: list[str],
    calls: list[int],
    session: requests.Session,
) -> Any:
    """A derandomized hypothesis test: ``actor`` calls ``operation`` with every id in
    its path set to one of ``victim``'s; what went wrong is added to ``problems``."""
    victim_ids = sorted(victim.ids)
    markers = (victim.email, *victim.ids)

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(), pick=st.integers(0, len(victim_ids) - 1))
    def run(case: Any, pick: int) -> None:
        targeted = False
        for name in case.path_parameters or {}:
            if name.endswith("id"):
                case.path_parameters[name] = victim_ids[pick]
                targeted = True
        response = case.call(
            base_url=deployed.url,
            session=session,
            headers={"Host": HOST, "Authorization": f"Bearer {actor.token}"},
            timeout=30,
        )
        calls.append(response.status_code)
        what = f"{actor.email} {case.method} {case.formatted_path}: {response.status_code}"
        if response.status_code >= 500:
            problems.append(f"5xx: {what}")
        if targeted and response.status_code < 300:
            problems.append(f"reached another's id: {what}")
        # An id the caller sent may come back in the error ("no session X"): not a leak.
        sent = f"{case.formatted_path} {case.query} {case.body}"
        leaked = [m for m in markers if m.encode() in response.content and m not in sent]
        if leaked:
            problems.append(f"revealed {leaked}: {what}")

    return run


def snapshot(p: Person) -> list[Any]:
    return [p.client.get(f"/api/sessions/{sid}").json() for sid in p.sessions]


def test_nobody_reads_or_changes_another_persons_data(deployed: Deployment) -> None:
    deployed.cli("org", "create", "Clinic")
    doc = take_up(deployed, "doc@example.org", cli_invite(deployed, "doc@example.org", "clinician"))
    people_page = doc.client.get("/people")
    invited = doc.client.post(
        "/people/invite",
        data={
            "csrf_token": meta_csrf(people_page),
            "email": "a@example.org",
            "role": "patient",
            "org": "Clinic",
        },
    )
    link = re.search(r'id="invite-link"[^>]*>([^<]+)<', invited.text)
    assert link, invited.text[:500]
    a = take_up(deployed, "a@example.org", link[1].strip())
    b = take_up(deployed, "b@example.org", cli_invite(deployed, "b@example.org", "patient"))
    give_data(a)
    give_data(b)
    before = {p.email: snapshot(p) for p in (a, b)}
    assert all(before.values())

    raw = httpx.get(
        deployed.url + "/openapi.json", headers={"Host": HOST, "Authorization": f"Bearer {a.token}"}
    ).json()
    schema = schemathesis.openapi.from_dict(raw)
    # Who acts, and whose data they must never reach.
    pairs = [(a, b), (b, a), (doc, b)]
    problems: list[str] = []
    calls: list[int] = []
    # One HTTP session for every call, closed at the end (schemathesis would otherwise
    # leave a connection per call open until garbage collection).
    with requests.Session() as session:
        for result in schema.get_all_operations():
            assert isinstance(result, Ok), result
            operation = result.ok()
            if "{" not in operation.path and operation.method.upper() != "GET":
                continue  # only calls that name an id or return someone's data
            for actor, victim in pairs:
                attack(deployed, operation, actor, victim, problems, calls, session)()
    print("calls by status:", sorted(Counter(calls).items()))
    assert len(calls) > 50
    assert problems == []
    after = {p.email: snapshot(p) for p in (a, b)}
    assert after == before
    for p in (a, b, doc):  # nobody revoked anybody else's token
        mine = httpx.get(
            deployed.url + "/api/tokens",
            headers={"Host": HOST, "Authorization": f"Bearer {p.token}"},
        )
        assert mine.status_code == 200, (p.email, mine.text)
    for instance in deployed.instances:
        assert "Traceback" not in instance.log.read_text()
