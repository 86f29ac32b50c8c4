"""Every rendered page has unique element ids (a duplicate made a script clobber a section)."""

from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser

import pytest
from tests.web.test_pages import PAGES
from tests.web.web_helpers import Web

from soleus.signal.simulate import RepSet, Rest, Sensors, simulate
from soleus.signal.writers import WRITERS

pytestmark = pytest.mark.anyio

MISSING = "/nope"


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.ids.extend(value for name, value in attrs if name == "id" and value is not None)


def duplicate_ids(html: str) -> list[str]:
    parser = _Ids()
    parser.feed(html)
    return sorted(i for i, n in Counter(parser.ids).items() if n > 1)


async def _pages(web: Web) -> list[str]:
    await web.post("/api/logs", {"exercise_id": "soleus-pushup", "amount": "2x10"})
    await web.post("/api/logs", {"pain": 3, "context": "after"})
    await web.pass_screen()
    exercises = await web.client.get("/api/exercises")
    routines = await web.client.get("/api/routines")
    paths = [*PAGES, "/snacks", "/snacks/settings", "/recordings", "/player?routine=desk", MISSING]
    paths += [f"/exercises/{e['id']}" for e in exercises.json()["exercises"]]
    paths += [f"/?routine={r['id']}" for r in routines.json()["routines"]]
    return paths


async def test_no_page_repeats_an_id(web: Web) -> None:
    bad = {}
    for path in await _pages(web):
        r = await web.client.get(path)
        expected = 404 if path == MISSING else 200  # the 404 page has ids of its own
        assert r.status_code == expected, (path, r.status_code)
        if dups := duplicate_ids(r.text):
            bad[path] = dups
    sim = simulate([Rest(3), RepSet(6, 30, 5.0), Rest(3)], Sensors(rate_hz=100.0), seed=3)
    upload = await web.client.post(
        "/recordings",
        data={"csrf_token": web.token, "side": "left", "style": "sets"},
        files={"file": ("r.zip", WRITERS["sensorlogger-android-zip"][1](sim.recording), "x/y")},
    )
    assert upload.status_code == 200 and "<svg" in upload.text
    if dups := duplicate_ids(upload.text):
        bad["POST /recordings"] = dups
    assert not bad


def test_the_checker_finds_a_duplicate() -> None:
    assert duplicate_ids('<p id="a"></p><div id="b"><i id="a"></i></div>') == ["a"]
