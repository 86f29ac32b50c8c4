"""The exercise builder in real Chromium, by keyboard only: a custom exercise made with
the form (no TOML typed, no mouse), a problem from the server next to its field while
typing, the TOML file it writes, and its chosen picture. Axe and screenshots too."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tests.browser.browser_helpers import App
from tests.browser.test_builder import slide, type_into
from tests.browser.test_phone_layout import PHONE

pytestmark = pytest.mark.browser

Shot = Callable[[Any, str], Path]
Axe = Callable[[Any, str], None]


def active(page: Any) -> dict[str, str]:
    return dict(
        page.evaluate(
            "() => { const e = document.activeElement;"
            " return {id: e.id, name: e.name || '', value: e.value || ''}; }"
        )
    )


def test_a_custom_exercise_built_by_keyboard_is_written_as_toml(
    app: App, page: Any, shot: Shot, axe: Axe
) -> None:
    page.goto(app.url + "/routines")
    page.get_by_role("link", name="New exercise").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/routines/new?kind=exercises")
    assert page.get_by_role("heading", level=1).all_inner_texts() == ["New exercise"]
    for name, size in (("1280", {"width": 1280, "height": 800}), ("390", PHONE)):
        page.set_viewport_size(size)
        shot(page, f"exercise-builder-{name}")
        axe(page, f"the exercise builder at {name} px")
    page.set_viewport_size({"width": 1280, "height": 800})

    type_into(page, "Name", "Seated heel drops")
    type_into(page, "What it is, in one line", "Heels up together, then a slow drop.")
    page.get_by_label("Position").focus()
    page.keyboard.press("ArrowDown")  # Seated -> Standing
    page.keyboard.press("ArrowUp")  # and back: the select answers the keyboard
    page.get_by_label("Steps, one a line").focus()
    for line in ("Sit tall, feet flat.", "Lift both heels high.", "Lower them slowly."):
        page.keyboard.type(line)
        page.keyboard.press("Enter")
    page.get_by_label("Cues, one a line (optional)").focus()
    page.keyboard.type("Slow on the way down.")

    # The picture: Tab into the group, arrows to the soleus pushup drawing.
    page.get_by_label("None (a plain figure)").focus()
    while active(page)["value"] != "soleus-pushup":
        page.keyboard.press("ArrowDown")
    assert page.get_by_label("Seated soleus pushup").is_checked()

    # Reps with a slow release: the kind, then the sliders of the live preview.
    page.get_by_label("How it is done").focus()
    page.keyboard.press("Home")  # Repetitions
    assert page.locator("#d-up").is_visible()
    type_into(page, "Sets", "2")
    type_into(page, "Repetitions per set", "0")
    error = page.locator("#d-reps-error")
    error.wait_for()  # the server's problem, next to its field, while typing
    assert error.inner_text() == "reps must be between 1 and 500, not 0"
    assert page.get_by_label("Repetitions per set").get_attribute("aria-invalid") == "true"
    type_into(page, "Repetitions per set", "12")
    error.wait_for(state="detached")
    slide(page, "Heel down", 10)  # 1.0 -> 2.0 s
    slide(page, "Pause at the top", 5)  # 0 -> 0.5 s
    assert page.locator("#dose output").all_inner_texts() == ["1.0 s", "0.5 s", "2.0 s", "0.0 s"]
    page.get_by_label("Both legs together, at the same time").focus()
    page.keyboard.press("Space")
    type_into(page, "Rest between sets", "20")
    page.locator("#ex-status").get_by_text("No problems: ready to save.").wait_for()
    axe(page, "the exercise builder filled in")

    page.get_by_role("button", name="Save exercise").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/routines?saved=exercise+seated-heel-drops")
    data = tomllib.loads((app.config_dir / "exercises" / "seated-heel-drops.toml").read_text())
    assert data == {
        "id": "seated-heel-drops",
        "name": "Seated heel drops",
        "summary": "Heels up together, then a slow drop.",
        "position": "seated",
        "picture": "soleus-pushup",
        "steps": ["Sit tall, feet flat.", "Lift both heels high.", "Lower them slowly."],
        "cues": ["Slow on the way down."],
        "dosage": {
            "kind": "reps", "sets": 2, "reps": 12, "sides": "both", "rest_s": 20,
            "tempo": {"up": 1, "top": 0.5, "down": 2, "floor": 0},
        },
    }  # fmt: skip
    # The CLI lists it, and its page shows the chosen drawing.
    assert "seated-heel-drops" in app.cli("exercises")
    page.goto(app.url + "/exercises/seated-heel-drops")
    picture = page.get_by_role("img", name="Animated drawing: Seated heel drops")
    assert picture.evaluate("img => img.complete && img.naturalWidth > 0")
