"""The browser player's parts in real Chromium: keys (→ skip, ← back, Esc stop), the
remembered sound switch, the offline outbox, and the look-ahead scheduler's sound queue
(every cue once, at its planned time). JS machine vs Python: test_player_conformance.py."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tests.browser.browser_helpers import (
    App,
    pass_screen_and_open,
    saved_sets,
    wait_for,
    wait_saved,
)

pytestmark = pytest.mark.browser


def test_keys_skip_back_and_stop_keep_what_was_done(
    app: App, page: Any, shot: Callable[[Any, str], Path]
) -> None:
    page.set_viewport_size({"width": 390, "height": 844})  # a phone propped on the desk
    pass_screen_and_open(page, app, "/player?routine=quick-desk")
    page.locator("#p-start").click()
    wait_for(page, lambda s: s["phase"] == "get_ready")
    shot(page, "20-phone-get-ready")
    session_id = page.evaluate("() => window.soleusPlayer.sessionId")

    page.keyboard.press("ArrowRight")  # skip the wait
    wait_for(page, lambda s: s["phase"] == "work" and s["index"] == 0, timeout=3)
    wait_for(page, lambda s: s["elapsed"] >= 1.2)  # one rep done, the second under way
    shot(page, "21-phone-work")
    page.keyboard.press("ArrowRight")  # skip the rest of the set: recorded as skipped
    snap = wait_for(page, lambda s: s["phase"] == "switch_side", timeout=3)
    assert snap["index"] == 1
    [first] = wait_saved(app, session_id, 1)
    assert (first["plan_index"], first["skipped"], first["actual_reps"]) == (0, True, 1)

    page.keyboard.press("ArrowLeft")  # back, from the wait: to the previous set, again
    snap = wait_for(page, lambda s: s["phase"] == "get_ready", timeout=3)
    assert snap["index"] == 0
    assert page.locator("#p-rep").inner_text().startswith("Again:")

    page.locator("#p-sound-toggle").uncheck()
    page.keyboard.press("Escape")  # stop: the finish form, with "Resume later"
    page.wait_for_selector("#p-finish:not([hidden])", timeout=3000)
    assert page.locator("#p-finish-title").inner_text() == "Stopped"
    assert page.locator("#p-later").is_visible()
    session = app.get("/api/sessions/active")["session"]
    assert session and session["id"] == session_id

    # The sound switch is remembered; reopening offers to resume the stopped session.
    page.goto(app.url + "/player?routine=quick-desk")
    page.wait_for_function("() => window.soleusPlayer && window.soleusPlayer.ready")
    assert not page.locator("#p-sound-toggle").is_checked()
    assert page.locator("#p-speech-toggle").is_checked()
    assert page.locator("#p-resume").is_visible()
    assert "0 of 4 sets done" in page.locator("#p-resume-text").inner_text()

    # Start over: the stopped session is closed as abandoned, a new one begins.
    page.get_by_role("button", name="Start over").click()
    wait_for(page, lambda s: s["phase"] == "get_ready")
    new_id = page.evaluate("() => window.soleusPlayer.sessionId")
    assert new_id != session_id
    assert app.get(f"/api/sessions/{session_id}")["session"]["status"] == "abandoned"


def test_offline_sets_wait_in_the_outbox_and_every_cue_is_queued_once(app: App, page: Any) -> None:
    pass_screen_and_open(page, app, "/player?routine=quick-desk")
    page.locator("#p-start").click()
    wait_for(page, lambda s: s["phase"] == "get_ready")
    session_id = page.evaluate("() => window.soleusPlayer.sessionId")
    plan = app.get(f"/api/sessions/{session_id}")["plan"]

    page.context.set_offline(True)
    wait_for(page, lambda s: s["index"] == 1)  # the first set completed while offline
    outbox = json.loads(page.evaluate("() => localStorage.getItem('soleus.outbox')"))
    assert [(i["session_id"], i["body"]["plan_index"]) for i in outbox] == [(session_id, 0)]
    assert saved_sets(app, session_id) == []
    page.context.set_offline(False)
    wait_saved(app, session_id, 1)

    page.wait_for_selector("#p-finish:not([hidden])", timeout=40_000)
    deadline = time.monotonic() + 10
    while page.evaluate("() => localStorage.getItem('soleus.outbox')") != "[]":
        assert time.monotonic() < deadline
        page.wait_for_timeout(100)
    assert sorted(s["plan_index"] for s in saved_sets(app, session_id)) == [0, 1, 2, 3]

    # Every cue of the plan was handed to the audio clock exactly once, at its planned time.
    records = page.evaluate("() => window.soleusPlayer.audio.report()")
    live = [r for r in records if not r.get("cancelled")]
    t0 = min(r["planned"] for r in live)
    expected = page.evaluate(
        """async (plan) => {
          const { Player } = await import("/static/js/player/machine.js");
          const p = new Player(plan);
          return [...p.start(0), ...p.tick(1e6)].filter((e) => e.type === "cue")
            .map((e) => [Math.round(e.at * 1e4) / 1e4, e.sound]);
        }""",
        plan,
    )
    got = sorted([round(r["planned"] - t0, 4), r["sound"]] for r in live)
    assert got == sorted(expected)
    ahead = [r for r in live if r["key"] and r["lead"] > 0]
    assert len(ahead) >= len(live) - 2  # all but the cues due at the moment of a click


def test_js_plural_matches_the_python_filter(app: App, page: Any) -> None:
    from soleus.domain.text import plural

    cases = [(0, "set", None), (1, "set", None), (2, "rep", None), (1, "entry", "entries")]
    cases += [(3, "entry", "entries")]
    page.goto(app.url + "/exercises")
    got = page.evaluate(
        """async (cases) => {
          const { plural } = await import("/static/js/plural.js");
          return cases.map(([n, one, many]) => plural(n, one, many ?? undefined));
        }""",
        cases,
    )
    assert got == [plural(n, one, many) for n, one, many in cases]


def test_switch_side_shows_one_countdown_and_what_comes_after(
    app: App, page: Any, shot: Callable[[Any, str], Path]
) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    pass_screen_and_open(page, app, "/player?routine=quick-desk")
    page.locator("#p-start").click()
    wait_for(page, lambda s: s["phase"] == "get_ready")
    page.keyboard.press("ArrowRight")  # skip the wait; the left leg's set runs
    wait_for(page, lambda s: s["phase"] == "switch_side", timeout=10)
    # The order is left 1, right 1, left 2, right 2: switching to the right leg's first
    # set, what comes after it is the left leg's second set (not the set on screen).
    assert page.locator("#p-set").inner_text() == "Set 1 of 2 · 2 reps"
    assert page.locator("#p-next").inner_text() == (
        "Then: Seated soleus pushup, left leg: set 2 of 2, 2 reps"
    )
    # "3" is spoken at 2 s of the 5 s switch; the ring shows it, the big cue does not.
    wait_for(page, lambda s: s["phase"] == "switch_side" and s["elapsed"] >= 2.3, timeout=5)
    assert page.locator("#p-ring-text").text_content() in {"3", "2"}
    assert page.locator("#p-cue").inner_text() == ""
    shot(page, "22-phone-switch-side")
    page.keyboard.press("ArrowRight")
    wait_for(page, lambda s: s["phase"] == "work" and s["index"] == 1, timeout=3)
    assert page.locator("#p-next").inner_text().startswith("Next: Seated soleus pushup, left leg")


def test_another_unfinished_routine_is_offered_beside_the_one_asked_for(
    app: App, page: Any, shot: Callable[[Any, str], Path]
) -> None:
    pass_screen_and_open(page, app, "/player?routine=quick-desk")
    page.get_by_role("button", name="Start", exact=True).click()
    wait_for(page, lambda s: s["phase"] == "get_ready")
    unfinished = page.evaluate("() => window.soleusPlayer.sessionId")

    page.goto(app.url + "/player?routine=mixed")
    page.wait_for_function("() => window.soleusPlayer && window.soleusPlayer.ready")
    assert page.locator("#p-title").inner_text() == "Mixed test routine"
    assert "Quick desk break is in progress" in page.locator("#p-resume-text").inner_text()
    assert page.get_by_role("button", name="Resume Quick desk break").is_visible()
    assert not page.get_by_role("button", name="Start over").is_visible()
    shot(page, "player-other-routine-unfinished")
    page.get_by_role("button", name="Start Mixed test routine").click()
    wait_for(page, lambda s: s["phase"] == "get_ready")
    started = page.evaluate("() => window.soleusPlayer.sessionId")
    assert started != unfinished
    assert app.get(f"/api/sessions/{started}")["session"]["routine_id"] == "mixed"
    assert app.get(f"/api/sessions/{unfinished}")["session"]["status"] == "active"
