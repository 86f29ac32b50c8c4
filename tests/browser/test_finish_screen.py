"""The finish screen in real Chromium after a played routine: reps done vs planned per
exercise and side and the time (exact figures, from the server), then effort and pain,
then what the day's plan says next. One h1; axe; screenshots at 1280 and 390 px."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tests.browser.browser_helpers import App, pass_screen_and_open, snapshot, wait_for
from tests.browser.test_phone_layout import PHONE

pytestmark = pytest.mark.browser


def table(page: Any) -> list[list[str]]:
    rows = page.locator("#p-done-rows tr")
    return [
        [c.strip() for c in rows.nth(i).locator("th, td").all_inner_texts()]
        for i in range(rows.count())
    ]


def test_the_finish_screen_after_a_played_routine(
    app: App, page: Any, shot: Callable[[Any, str], Path], axe: Callable[[Any, str], None]
) -> None:
    pass_screen_and_open(page, app, "/player?routine=quick-desk")
    page.locator("#p-start").click()
    wait_for(page, lambda s: s["phase"] == "get_ready")
    session_id = page.evaluate("() => window.soleusPlayer.sessionId")
    # Skip the waits (get ready, rests, switching sides), never a working set.
    while not page.locator("#p-finish").is_visible():
        snap = snapshot(page)
        if snap and snap["phase"] in ("get_ready", "rest", "switch_side"):
            page.keyboard.press("ArrowRight")
        page.wait_for_timeout(150)

    page.locator("#p-done").wait_for(state="visible")
    assert page.get_by_role("heading", level=1).all_inner_texts() == ["Well done"]
    assert table(page) == [
        ["Seated soleus pushup", "left", "4 reps", "4 reps"],
        ["Seated soleus pushup", "right", "4 reps", "4 reps"],
    ]
    summary = app.get(f"/api/sessions/{session_id}/summary")
    worked = page.locator("#p-worked").inner_text()
    assert worked == f"Time: {summary['worked_words']}, from the start to the last set."
    assert 4 <= summary["worked_s"] <= 40
    for name, size in (("1280", {"width": 1280, "height": 800}), ("390", PHONE)):
        page.set_viewport_size(size)
        shot(page, f"finish-{name}")
        axe(page, f"the finish screen at {name} px")

    page.get_by_label("Effort, 0 (nothing) to 10 (maximal)").fill("4")
    page.get_by_label("Calf or heel pain now, 0 (none) to 10 (worst)").fill("1")
    page.get_by_role("button", name="Save").click()
    page.locator("#p-after").wait_for(state="visible")
    after = app.get(f"/api/sessions/{session_id}/summary")
    assert (after["effort"], after["pain"]) == (4, 1)
    nxt = page.locator("#p-then")
    nxt.wait_for(state="visible")
    assert nxt.inner_text() == after["next"]["words"]
    assert after["next"]["words"].startswith(
        ("Next: another exercise snack at ", "No more", "That's")
    )
    shot(page, "finish-next-390")
    axe(page, "the finish screen with the next step")


HOLD_AND_REPS = """\
id = "hold-and-reps"
name = "Hold and reps"

[[blocks]]
exercise = "wall-calf-stretch"
[blocks.dosage]
kind = "hold"
sets = 1
seconds = 3
sides = "each"
rest_s = 0

[[blocks]]
exercise = "soleus-pushup"
[blocks.dosage]
kind = "reps"
sets = 1
reps = 2
sides = "both"
rest_s = 0
[blocks.dosage.tempo]
up = 0.5
top = 0.0
down = 0.5
floor = 0.0
"""


def test_holds_are_summed_in_seconds_and_a_skipped_set_counts_nothing(app: App, page: Any) -> None:
    (app.config_dir / "routines" / "hold-and-reps.toml").write_text(HOLD_AND_REPS)
    pass_screen_and_open(page, app, "/player?routine=hold-and-reps")
    page.locator("#p-start").click()
    wait_for(page, lambda s: s["phase"] == "get_ready")
    while not page.locator("#p-finish").is_visible():
        snap = snapshot(page)
        if snap and snap["phase"] in ("get_ready", "rest", "switch_side"):
            page.keyboard.press("ArrowRight")
        elif snap and snap["phase"] == "work" and snap["index"] == 1:
            page.keyboard.press("ArrowRight")  # skip the right leg's hold
            wait_for(page, lambda s: s["index"] != 1, timeout=5)
        page.wait_for_timeout(100)
    page.locator("#p-done").wait_for(state="visible")
    assert table(page) == [
        ["Wall calf stretch", "left", "3 s", "3 s"],
        ["Wall calf stretch", "right", "0 s", "3 s"],
        ["Seated soleus pushup", "both legs", "2 reps", "2 reps"],
    ]
