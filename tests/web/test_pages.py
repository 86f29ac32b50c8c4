"""Every page renders; forms need the CSRF token; the screen guards the player."""

from __future__ import annotations

import html
import re

import pytest
from tests.web.web_helpers import NO_FLAGS, Web

from soleus.domain.text import plural

pytestmark = pytest.mark.anyio

PAGES = [
    "/",
    "/?routine=full",
    "/exercises",
    "/exercises/soleus-pushup",
    "/history",
    "/routines",
    "/routines/new?kind=routines",
    "/routines/new?kind=exercises",
    "/routines/new?kind=routines&from=desk",
    "/log",
    "/screen",
]


@pytest.mark.parametrize("path", PAGES)
async def test_every_page_renders_with_layout_and_headers(web: Web, path: str) -> None:
    r = await web.client.get(path)
    assert r.status_code == 200, r.text[:300]
    assert r.headers["content-type"].startswith("text/html")
    assert '<meta name="csrf-token"' in r.text
    assert 'id="announcer" aria-live="polite"' in r.text
    assert "default-src 'self'" in r.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff"
    assert "<script>" not in r.text  # CSP forbids inline scripts
    assert "http://" not in re.sub(r'xmlns="http://www.w3.org/2000/svg"', "", r.text)


async def test_pages_show_data_after_some_work(web: Web) -> None:
    await web.post("/api/logs", {"exercise_id": "soleus-pushup", "amount": "2x10"})
    await web.post("/api/logs", {"pain": 3, "context": "after"})
    today = (await web.client.get("/")).text
    assert "1 / 3" in today and "day streak" in today
    history = (await web.client.get("/history")).text
    assert history.count('role="img"') == 4
    assert "<title" in history and "2026-03-02: 40 reps" in history
    assert "<table" in history


async def test_unknown_pages_and_ids_are_clear_404s(web: Web) -> None:
    for path in ("/nope", "/exercises/nope", "/routines/routines/nope/edit"):
        r = await web.client.get(path)
        assert r.status_code == 404
        assert 'role="alert"' in r.text and "Traceback" not in r.text
    r = await web.client.get("/exercises/nope")
    assert "unknown exercise" in r.text


async def test_illustrations_are_served_as_svg(web: Web) -> None:
    r = await web.client.get("/illustrations/soleus-pushup.svg")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("image/svg+xml")
    assert "<svg" in r.text
    fallback = await web.client.get("/illustrations/downward-dog.svg")
    assert fallback.status_code == 200 and "<svg" in fallback.text
    assert (await web.client.get("/illustrations/..%2Fsecret.svg")).status_code == 404


async def test_static_css_is_served(web: Web) -> None:
    r = await web.client.get("/static/css/site.css")
    assert r.status_code == 200 and "visually-hidden" in r.text


async def test_player_needs_the_screen_first(web: Web) -> None:
    # An unknown routine is a 404 at once: no safety questions for a page that is not there.
    assert (await web.client.get("/player?routine=nope")).status_code == 404
    assert (await web.client.get("/player/no-such-session")).status_code == 404
    r = await web.client.get("/player?routine=desk")
    assert r.status_code == 303
    assert r.headers["location"] == "/screen?next=%2Fplayer%3Froutine%3Ddesk"
    r = await web.form("/screen", {"next": "/player?routine=desk", **NO_FLAGS})
    assert r.status_code == 303 and r.headers["location"] == "/player?routine=desk"
    r = await web.client.get("/player?routine=desk")
    assert r.status_code == 200
    assert (await web.client.get("/player?routine=nope")).status_code == 404


async def test_any_yes_on_the_screen_stops_and_never_reaches_the_player(web: Web) -> None:
    answers = {**NO_FLAGS, "heel_pop": "yes"}
    r = await web.form("/screen", {"next": "/player?routine=desk", **answers})
    assert r.status_code == 200
    assert "Stop: no exercise today." in r.text and "Achilles" in r.text
    r = await web.client.get("/player?routine=desk")
    assert r.status_code == 303 and r.headers["location"].startswith("/screen")
    today = (await web.client.get("/")).text
    assert "Stop: no exercise today" in today and "You answered yes to a safety question" in today
    assert 'href="/player?routine=desk">Start<' not in today


async def test_screen_must_be_complete_and_next_stays_on_site(web: Web) -> None:
    r = await web.form("/screen", {"next": "/", "breathless": "no"})
    assert r.status_code == 400 and "Please answer every question" in r.text
    r = await web.form("/screen", {"next": "https://evil.example/", **NO_FLAGS})
    assert r.headers["location"] == "/"


async def test_forms_without_csrf_token_are_refused(web: Web) -> None:
    r = await web.client.post("/log", data={"what": "pain", "pain": "2"})
    assert r.status_code == 403
    r = await web.client.post("/log", data={"csrf_token": "x.y", "what": "pain", "pain": "2"})
    assert r.status_code == 403
    r = await web.client.post("/log", json={"what": "pain"})
    assert r.status_code == 415


async def test_log_page_logs_sets_pain_and_shows_errors(web: Web) -> None:
    r = await web.form("/log", {"what": "sets", "exercise_id": "soleus-pushup", "amount": "3x10"})
    assert r.status_code == 200 and "Logged Seated soleus pushup 3 × 10 per leg." in r.text
    r = await web.form("/log", {"what": "pain", "pain": "7", "context": "after"})
    assert "Rest the calf today" in r.text
    r = await web.form("/log", {"what": "sets", "exercise_id": "soleus-pushup", "amount": "lots"})
    assert r.status_code == 400 and "cannot read &#39;lots&#39; as an amount" in r.text
    r = await web.form("/log", {"what": "pain", "pain": "11"})
    assert r.status_code == 400 and "pain must be from 0 to 10" in r.text


async def test_log_page_finishes_an_active_session(web: Web) -> None:
    started = (await web.post("/api/sessions", {"routine_id": "desk"})).json()
    page = (await web.client.get("/log")).text
    assert started["id"] in page
    r = await web.form("/log", {"what": "finish", "session_id": started["id"], "effort": "6"})
    assert "Session finished" in r.text
    session = (await web.client.get(f"/api/sessions/{started['id']}")).json()["session"]
    assert session["status"] == "finished" and session["effort"] == 6


async def test_counts_agree_with_their_nouns(web: Web) -> None:
    routines = (await web.client.get("/routines")).text
    assert "1 sets" not in routines and re.search(r">1 set · about", routines)
    await web.post("/api/logs", {"exercise_id": "soleus-pushup", "amount": "1x1", "side": "left"})
    today = (await web.client.get("/")).text
    assert "<div>set today · 1 rep</div>" in today
    history = (await web.client.get("/history")).text
    assert "<div>set this week (0 last week)</div>" in history
    assert "<div>active day in all</div>" in history


def test_the_plural_filter() -> None:
    assert [plural(n, "set") for n in (0, 1, 2)] == ["0 sets", "1 set", "2 sets"]
    assert plural(1.0, "day") == "1 day" and plural(2.5, "min", "min") == "2.5 min"
    assert plural(3, "entry", "entries") == "3 entries"
    assert plural(1, "set", number=False) == "set"


async def test_history_of_a_new_user_says_nothing_is_logged(web: Web) -> None:
    history = (await web.client.get("/history")).text
    assert "Nothing logged yet" in history
    assert 'role="img"' not in history  # no empty charts
    await web.post("/api/logs", {"pain": 2, "context": "morning"})
    history = (await web.client.get("/history")).text
    assert "Nothing logged yet" not in history
    assert history.count('role="img"') == 2  # the calendar and the pain trend
    assert "No sets in the last 12 weeks." in history
    assert "No one-sided sets in the last 4 weeks." in history


async def test_a_broken_user_file_shows_its_error_in_the_editor(web: Web) -> None:
    folder = web.settings.config_dir / "routines"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "broken.toml").write_text(
        'id = "broken"\nname = "Broken"\n[[blocks]]\nexercise = "no-such-exercise"\n'
    )
    listing = (await web.client.get("/routines")).text
    assert '<p class="file-error">' in listing and "Fix it" in listing
    assert '<span class="notice error">' not in listing  # inline boxes overlapped
    edit = await web.client.get("/routines/routines/broken/edit")
    assert edit.status_code == 200
    assert "This file does not load:" in edit.text and "no-such-exercise" in edit.text
    assert 'aria-describedby="edit-error"' in edit.text
    good = 'id = "fine"\nname = "Fine"\n[[blocks]]\nexercise = "soleus-pushup"\n'
    (folder / "fine.toml").write_text(good)
    assert "does not load" not in (await web.client.get("/routines/routines/fine/edit")).text


async def test_the_log_form_keeps_and_marks_exercise_on_a_rest_day(web: Web) -> None:
    from soleus.services.safety.advice import day_state

    await web.form("/log", {"what": "pain", "pain": "8", "context": "after"})
    words = day_state(web.ctx).words
    assert "Pain was 8/10 after exercise today" in words
    r = await web.form("/log", {"what": "sets", "exercise_id": "soleus-pushup", "amount": "3x10"})
    assert r.status_code == 200 and "Logged Seated soleus pushup 3 × 10 per leg." in r.text
    assert words in html.unescape(r.text) and 'class="notice stop"' in r.text
    r = await web.post("/api/logs", {"exercise_id": "soleus-pushup", "amount": "2x10"})
    assert r.status_code == 201 and r.json()["advice"] == words and r.json()["level"] == "rest"
    day = (await web.client.get("/api/history?days=1")).json()["days"][0]
    notes = [s["note"] for s in day["sessions"] if s["source"] == "quick"]
    assert notes == [f"Logged on a rest day: {day_state(web.ctx).reason}"] * 2
    assert len(day["sets"]) == 6 + 4  # all of it kept
    today = (await web.client.get("/")).text
    assert day_state(web.ctx).advice in html.unescape(today)
    assert 'href="/player?routine=desk">Start<' not in today
