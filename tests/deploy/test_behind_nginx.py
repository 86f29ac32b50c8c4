"""soleus as a clinic runs it: two instances on one PostgreSQL behind Debian's nginx."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text
from tests.deploy.deploy_harness import (
    HOST,
    UPSTREAM_HEADER,
    Deployment,
    Missing,
    check_site,
    deployment,
)
from tests.required import missing

from soleus.settings.registry import ROWS
from soleus.store.db import HEAD_REVISION

NO_FLAGS = {"one_calf_swollen": "no", "breathless": "no", "heel_pop": "no", "no_tiptoe": "no"}


@pytest.fixture(scope="module")
def deployed() -> Iterator[Deployment]:
    """PostgreSQL, two soleus instances started together on its empty database, and
    Debian's nginx in front: started once for this module. (Here, not in a conftest.py:
    every folder's conftest is imported as ``conftest`` and would shadow the root's.)"""
    try:
        with deployment(instances=2) as running:
            yield running
    except Missing as error:
        missing(str(error))


@pytest.fixture(scope="module")
def welcomed(deployed: Deployment) -> Deployment:
    """The deployment's one (local-mode) person, sent to the first-run welcome by any
    instance, has skipped it through nginx: every instance agrees it is done."""
    with httpx.Client(base_url=deployed.url, headers={"Host": HOST}, timeout=10) as c:
        first = c.get("/")
        assert first.status_code == 303
        assert first.headers["location"].endswith("/welcome")
        skipped = c.post("/welcome/skip", data={"csrf_token": csrf_token(c.get("/welcome"))})
        assert skipped.status_code == 303
        for _ in deployed.instances:
            assert c.get("/").status_code == 200
    return deployed


@pytest.fixture
def web(welcomed: Deployment) -> Iterator[httpx.Client]:
    """A browser's view: through nginx, with the Host people use."""
    with httpx.Client(base_url=welcomed.url, headers={"Host": HOST}, timeout=10) as c:
        yield c


def csrf_token(page: httpx.Response) -> str:
    match = re.search(r'<meta name="csrf-token" content="([^"]+)"', page.text)
    assert match, page.text[:300]
    return match[1]


def test_both_instances_started_together_and_migrated_once(deployed: Deployment) -> None:
    engine = create_engine(deployed.database_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT version_num FROM alembic_version")).all()
    finally:
        engine.dispose()
    assert rows == [(HEAD_REVISION,)]
    for instance in deployed.instances:
        assert instance.proc.poll() is None
        assert "Traceback" not in instance.log.read_text()


@pytest.mark.parametrize("path", ["/", "/history", "/exercises", "/routines", "/snacks"])
def test_pages_load_through_nginx_with_their_security_headers(web: httpx.Client, path: str) -> None:
    r = web.get(path)
    assert r.status_code == 200
    assert "text/html" in r.headers["content-type"]
    assert "default-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["x-frame-options"] == "DENY"


def test_requests_alternate_between_the_instances(web: httpx.Client, deployed: Deployment) -> None:
    seen = [web.get("/api/health").headers[UPSTREAM_HEADER] for _ in range(6)]
    ports = {f"127.0.0.1:{i.port}" for i in deployed.instances}
    assert set(seen) == ports
    assert all(a != b for a, b in itertools.pairwise(seen))


def test_a_guided_session_moves_between_instances(web: httpx.Client) -> None:
    token = csrf_token(web.get("/"))
    screened = web.post("/screen", data={"csrf_token": token, "next": "/", **NO_FLAGS})
    assert screened.status_code == 303
    h = {"X-CSRF-Token": token}
    started = web.post("/api/sessions", json={"routine_id": "desk", "start_over": True}, headers=h)
    assert started.status_code == 201, started.text
    sid, sets = started.json()["id"], started.json()["plan"]["sets"]
    answered_by = [started.headers[UPSTREAM_HEADER]]
    for item in sets:
        body: dict[str, object] = {"plan_index": item["index"]}
        if item["target_reps"] is not None:
            body["actual_reps"] = item["target_reps"]
        else:
            body["actual_seconds"] = item["target_seconds"]
        saved = web.post(f"/api/sessions/{sid}/sets", json=body, headers=h)
        assert saved.status_code == 201, saved.text
        answered_by.append(saved.headers[UPSTREAM_HEADER])
    finished = web.post(f"/api/sessions/{sid}/finish", json={"effort": 6, "pain": 1}, headers=h)
    assert finished.status_code == 200, finished.text
    answered_by.append(finished.headers[UPSTREAM_HEADER])
    assert len(set(answered_by)) == 2  # both instances took part, turn about
    assert all(a != b for a, b in itertools.pairwise(answered_by))
    for _ in range(2):  # whichever instance answers sees the whole session
        view = web.get(f"/api/sessions/{sid}").json()
        assert view["session"]["status"] == "finished"
        assert view["done"] == [item["index"] for item in sets]


@pytest.mark.parametrize("host", ["evil.example", "127.0.0.1.evil.example", ""])
def test_the_host_check_holds_behind_the_proxy(deployed: Deployment, host: str) -> None:
    r = httpx.get(deployed.url + "/api/health", headers={"Host": host})
    # nginx itself answers an empty Host with 400; any other name reaches soleus.
    assert r.status_code == 400
    if host:
        assert r.json() == {"error": f"host {host!r} is not allowed here"}


def test_csrf_holds_behind_the_proxy(web: httpx.Client) -> None:
    token = csrf_token(web.get("/"))
    forged = token.split(".")[0] + "." + "0" * 32
    for headers in ({}, {"X-CSRF-Token": forged}, {"X-CSRF-Token": "nonsense"}):
        r = web.post("/api/sessions", json={"routine_id": "desk"}, headers=headers)
        assert r.status_code == 403, r.text
        assert "CSRF" in r.json()["error"]


def test_body_limits_hold_behind_the_proxy(web: httpx.Client) -> None:
    token = csrf_token(web.get("/"))
    big = b'{"routine_id": "' + b"x" * (2 * 1024 * 1024) + b'"}'
    r = web.post(
        "/api/sessions",
        content=big,
        headers={"X-CSRF-Token": token, "Content-Type": "application/json"},
    )
    assert r.status_code == 413
    assert r.json() == {"error": "request body is larger than 1024 KiB"}


def test_a_clients_own_forwarded_headers_are_not_believed(web: httpx.Client) -> None:
    r = web.get("/api/health", headers={"X-Forwarded-For": "6.6.6.6", "X-Forwarded-Proto": "https"})
    assert r.status_code == 200
    # nginx replaced X-Forwarded-For with the real client and set the scheme it served.
    assert r.json()["client"] == "127.0.0.1"
    assert r.json()["scheme"] == "http"


def test_forwarded_headers_count_only_from_trusted_proxies(deployed: Deployment) -> None:
    spoof = {"Host": HOST, "X-Forwarded-For": "6.6.6.6", "X-Forwarded-Proto": "https"}
    direct = deployed.instances[0].url + "/api/health"
    # 127.0.0.2 is not in SOLEUS_TRUSTED_PROXIES: its headers are ignored.
    transport = httpx.HTTPTransport(local_address="127.0.0.2")
    with httpx.Client(transport=transport) as untrusted:
        seen = untrusted.get(direct, headers=spoof).json()
    assert (seen["client"], seen["scheme"]) == ("127.0.0.2", "http")
    # 127.0.0.1 (where nginx connects from) is trusted: https is seen as https.
    seen = httpx.get(direct, headers=spoof).json()
    assert (seen["client"], seen["scheme"]) == ("6.6.6.6", "https")


def test_the_shipped_tls_site_passes_nginx_t(tmp_path: Path) -> None:
    try:
        result = check_site(tmp_path)
    except Missing as error:
        missing(str(error))
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


def test_the_example_environment_sets_only_known_settings() -> None:
    known = {r.env_var for r in ROWS if r.env_var} | {"SOLEUS_DATA_DIR", "SOLEUS_CONFIG_DIR"}
    example = (Path(__file__).parents[2] / "deploy" / "soleus.env.example").read_text()
    names = re.findall(r"^(SOLEUS_\w+)=", example, flags=re.M)
    assert names
    assert set(names) <= known, set(names) - known


def test_nginx_drops_idle_upstream_connections_before_soleus_does() -> None:
    import uvicorn

    site = (Path(__file__).parents[2] / "deploy" / "nginx" / "soleus.conf").read_text()
    upstream = site[site.index("upstream soleus") : site.index("}")]
    found = re.search(r"keepalive_timeout (\d+)s;", upstream)
    assert found, upstream
    # soleus serve keeps uvicorn's idle timeout; a POST nginx sent down a connection
    # uvicorn was closing would be a 502 (nginx does not retry a POST).
    keep_alive = uvicorn.Config(app=None).timeout_keep_alive  # type: ignore[arg-type]
    assert int(found[1]) < keep_alive
