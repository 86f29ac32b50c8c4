"""The routine builder in real Chromium, by keyboard only: a routine made with the form
(no TOML typed, no mouse), its estimate and a validation message from the server, the
TOML file it writes, and that routine played in the player. Axe and screenshots too."""

from __future__ import annotations

import time
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tests.browser.browser_helpers import App, saved_sets, snapshot

pytestmark = pytest.mark.browser

Shot = Callable[[Any, str], Path]
Axe = Callable[[Any, str], None]


def focused(page: Any) -> str:
    return str(page.evaluate("() => document.activeElement.textContent.trim()"))


def type_into(page: Any, label: str, text: str, *, block: int | None = None) -> None:
    """Replace a field's text; ``block`` is the routine block the field is in."""
    scope = page if block is None else page.locator("#blocks > li").nth(block)
    scope.get_by_label(label, exact=True).focus()
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def add_exercise(page: Any, words: str, name: str) -> None:
    """Search the list, Tab to the one Add button left, press Enter (the server adds it)."""
    page.get_by_label("Search the exercises").focus()
    page.keyboard.type(words)
    page.keyboard.press("Tab")
    assert focused(page) == f"Add {name}"
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    page.wait_for_function(f"() => document.activeElement.textContent.includes({name!r})")


def slide(page: Any, label: str, presses: int) -> None:
    """Arrow keys on a slider: each press is 0.1 s, left slower, right longer."""
    page.get_by_label(label, exact=True).focus()
    key = "ArrowLeft" if presses < 0 else "ArrowRight"
    for _ in range(abs(presses)):
        page.keyboard.press(key)


def test_a_routine_built_by_keyboard_is_written_as_toml_and_plays(
    app: App, page: Any, shot: Shot, axe: Axe
) -> None:
    page.goto(app.url + "/routines")
    page.get_by_role("link", name="New routine").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/routines/new?kind=routines")
    assert page.get_by_role("heading", level=1).inner_text() == "New routine"
    type_into(page, "Name", "Keyboard break")

    add_exercise(page, "pushup", "Seated soleus pushup")
    assert page.get_by_label("Name", exact=True).input_value() == "Keyboard break"  # kept
    type_into(page, "Sets", "1", block=0)
    type_into(page, "Repetitions per set", "2", block=0)
    slide(page, "Heel up", -5)  # 1.0 -> 0.5 s
    slide(page, "Pause at the top", -3)  # 0.3 -> 0
    slide(page, "Heel down", -5)
    slide(page, "Pause on the floor", -5)  # 0.5 -> 0
    assert page.locator("#b0 output").all_inner_texts() == ["0.5 s", "0.0 s", "0.5 s", "0.0 s"]
    page.get_by_label("Both legs together, at the same time").focus()
    page.keyboard.press("Space")
    type_into(page, "Rest between sets", "0", block=0)

    add_exercise(page, "wall-calf", "Wall calf stretch")
    assert page.locator("#b0 output").first.inner_text() == "0.5 s"  # the form survived
    type_into(page, "Hold for", "3", block=1)
    type_into(page, "Rest between sets", "0", block=1)

    # Reorder by keyboard: the stretch first; the focus stays on its button.
    page.get_by_role("button", name="Move up Wall calf stretch").focus()
    page.keyboard.press("Enter")
    assert focused(page) == "Move up Wall calf stretch"
    names = page.locator("#blocks h3").all_inner_texts()
    assert names == ["1. Wall calf stretch", "2. Seated soleus pushup"]
    assert "Moved Wall calf stretch to position 1 of 2" in page.locator("#announcer").inner_text()

    # The server's estimate (2 sets of the stretch, 1 of pushups), then its validation.
    estimate = page.locator("#estimate")
    page.wait_for_function(
        "() => /about 1 min, 3 sets/.test(document.getElementById('estimate').textContent)"
    )
    type_into(page, "Repetitions per set", "0", block=1)
    error = page.locator("#blocks > li").nth(1).locator(".field-error")
    error.wait_for()
    assert error.inner_text() == "reps must be between 1 and 500, not 0"
    reps = page.locator("#blocks > li").nth(1).get_by_label("Repetitions per set", exact=True)
    assert reps.get_attribute("aria-invalid") == "true"
    assert "No estimate" in estimate.inner_text()
    type_into(page, "Repetitions per set", "2", block=1)
    page.wait_for_function("() => !document.querySelector('.field-error')")
    page.wait_for_function("() => /3 sets/.test(document.getElementById('estimate').textContent)")
    assert 'exercise = "wall-calf-stretch"' in page.locator("#toml").input_value()

    axe(page, "routine builder")
    shot(page, "builder-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    axe(page, "routine builder on a phone")
    shot(page, "builder-390")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390

    page.get_by_role("button", name="Save routine").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/routines?saved=*")
    assert "Done: routine keyboard-break." in page.locator("main").inner_text()

    written = (app.config_dir / "routines" / "keyboard-break.toml").read_text()
    data = tomllib.loads(written)
    assert data["name"] == "Keyboard break"
    stretch, pushup = data["blocks"]
    assert stretch == {
        "exercise": "wall-calf-stretch",
        "dosage": {"kind": "hold", "sets": 1, "seconds": 3, "sides": "each", "rest_s": 0},
    }
    assert pushup["dosage"] == {
        "kind": "reps", "sets": 1, "reps": 2, "sides": "both", "rest_s": 0,
        "tempo": {"up": 0.5, "top": 0, "down": 0.5, "floor": 0},
    }  # fmt: skip
    app.cli("routine", "validate", str(app.config_dir / "routines" / "keyboard-break.toml"))
    assert "Wall calf stretch" in app.cli("routine", "show", "keyboard-break")

    play_to_the_end(page, app, "keyboard-break")


def play_to_the_end(page: Any, app: App, routine: str) -> None:
    """Play the routine with the keyboard: Space starts, → skips each wait."""
    page.goto(app.url + f"/player?routine={routine}")
    if "/screen" in page.url:
        for radio in page.locator("input[type=radio][value=no]").all():
            radio.focus()
            page.keyboard.press("Space")
        page.get_by_role("button", name="Continue").focus()
        page.keyboard.press("Enter")
        page.wait_for_url("**/player**")
    page.wait_for_function("() => window.soleusPlayer && window.soleusPlayer.ready")
    page.locator("#p-start").focus()
    page.keyboard.press("Enter")
    deadline = time.monotonic() + 40
    while (snap := snapshot(page)) is None or snap["phase"] != "done":
        assert time.monotonic() < deadline, f"the session did not end: {snap}"
        if snap is not None and snap["phase"] in ("get_ready", "switch_side", "rest"):
            page.keyboard.press("ArrowRight")
        page.wait_for_timeout(100)
    session_id = page.evaluate("() => window.soleusPlayer.sessionId")
    deadline = time.monotonic() + 10
    while len(sets := saved_sets(app, session_id)) < 3:
        assert time.monotonic() < deadline, sets
        time.sleep(0.1)
    done = [(s["exercise_id"], s["side"], s["skipped"]) for s in sets]
    assert done == [
        ("wall-calf-stretch", "left", False),
        ("wall-calf-stretch", "right", False),
        ("soleus-pushup", "both", False),
    ]
