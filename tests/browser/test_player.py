"""The browser player's parts in real Chromium: the JS state machine against the Python
one, keys (→ skip, ← back, Esc stop), the remembered sound switch, the offline outbox,
and the look-ahead scheduler's sound queue (every cue once, at its planned time)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from browser_helpers import App, saved_sets, wait_for, wait_saved

from soleus.content import load_catalog, load_routines
from soleus.domain.player import Cue, Event, PhaseStarted, Player, SessionFinished, SetCompleted
from soleus.domain.routine import Plan

pytestmark = pytest.mark.browser

# (time, action) pressed in both machines; ticks in between move them on.
KEYS = [(3.2, "pause"), (7.0, "resume"), (12.5, "skip"), (20.2, "back"), (31.0, "skip")]


def _r(x: float | None) -> float | None:
    return None if x is None else round(x, 6)


def python_events(plan: Plan, keys: list[tuple[float, str]]) -> list[list[Any]]:
    player = Player(plan)
    events: list[Event] = list(player.start(0.0))
    for at, action in keys:
        events += player.tick(at)
        events += getattr(player, action)(at)
    events += player.tick(1e6)
    out: list[list[Any]] = []
    for e in events:
        if isinstance(e, Cue):
            out.append(["cue", _r(e.at), e.text, e.sound, e.speak, e.rep])
        elif isinstance(e, PhaseStarted):
            index = e.planned.index if e.planned else None
            out.append(["phase", _r(e.at), e.phase, index, _r(e.duration), e.message])
        elif isinstance(e, SetCompleted):
            r = e.result
            seconds = _r(r.seconds_done)
            out.append(["set", _r(e.at), r.index, r.reps_done, seconds, r.skipped, r.interrupted])
        elif isinstance(e, SessionFinished):
            out.append(["finished", _r(e.at), e.quit])
    return out


JS_EVENTS = """async ([plan, keys]) => {
  const { Player } = await import("/static/js/player/machine.js");
  const r = (x) => (x === null || x === undefined ? null : Math.round(x * 1e6) / 1e6);
  const player = new Player(plan);
  const events = player.start(0);
  for (const [at, action] of keys) {
    events.push(...player.tick(at), ...player[action](at));
  }
  events.push(...player.tick(1e6));
  return events.map((e) => {
    if (e.type === "cue") return ["cue", r(e.at), e.text, e.sound, e.speak, e.rep];
    if (e.type === "phase") return ["phase", r(e.at), e.phase, e.planned ? e.planned.index : null,
                                    r(e.duration), e.message];
    if (e.type === "set") return ["set", r(e.at), e.result.planned.index, e.result.reps_done,
                                  r(e.result.seconds_done), e.result.skipped, e.result.interrupted];
    return ["finished", r(e.at), e.quit];
  });
}"""


@pytest.mark.parametrize("keys", [[], KEYS], ids=["no-keys", "keys"])
def test_js_machine_matches_the_python_player(app: App, page: Any, keys: list) -> None:
    catalog = load_catalog(app.config_dir)
    routines = load_routines(app.config_dir, catalog)
    page.goto(app.url + "/exercises")
    for routine_id in ("desk", "full", "spu-bout", "quick-desk", "mixed"):
        plan_json = app.get(f"/api/routines/{routine_id}/plan")
        expected = python_events(Plan.build(routines[routine_id], catalog), keys)
        got = page.evaluate(JS_EVENTS, [plan_json, keys])
        assert len(got) == len(expected), routine_id
        for i, (a, b) in enumerate(zip(got, expected, strict=True)):
            assert a == b, f"{routine_id}: event {i} differs: JS {a} vs Python {b}"


def pass_screen_and_open(page: Any, app: App, path: str) -> None:
    page.goto(app.url + path)
    if "/screen" in page.url:
        for radio in page.locator("input[type=radio][value=no]").all():
            radio.check()
        page.get_by_role("button", name="Continue").click()
        page.wait_for_url("**/player**")
    page.wait_for_function("() => window.soleusPlayer && window.soleusPlayer.ready")


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
