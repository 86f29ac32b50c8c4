"""Pages read by someone who is not a programmer, in real Chromium at 1280 and 390 px:
the Recordings page starts with three steps and keeps the technical set-up behind a
"Set up live counting" disclosure; History, Snacks and the safety questions pass axe."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tests.browser.browser_helpers import App
from tests.browser.test_phone_layout import PHONE, fake_nudge, overflow

pytestmark = pytest.mark.browser

SIZES = {"1280": {"width": 1280, "height": 800}, "390": PHONE}


@pytest.mark.parametrize("size", SIZES)
def test_recordings_start_with_three_steps_and_hide_the_technical_set_up(
    app: App,
    page: Any,
    size: str,
    shot: Callable[[Any, str], Path],
    axe: Callable[[Any, str], None],
) -> None:
    page.set_viewport_size(SIZES[size])
    fake_nudge(page, show=False)
    page.goto(app.url + "/recordings")
    main = page.locator("main")
    # The first thing after the title: three steps in words, no addresses or commands.
    first = main.locator("section").first
    assert first.get_by_role("heading", level=2).inner_text() == "Let your phone count your reps"
    steps = first.get_by_role("listitem").all_inner_texts()
    assert [s.split(" ", 1)[0] for s in steps] == ["Choose", "Put", "Press"]
    assert "upload" in steps[2]
    for tech in ("token", "http://", "soleus serve", "192.168."):
        assert tech not in first.inner_text()
    # The technical details wait behind the disclosure.
    assert not page.locator("#push-url").is_visible()
    assert not page.get_by_label("Phone address").is_visible()
    assert "--allow-host" not in main.inner_text()
    assert overflow(page) <= 0
    shot(page, f"recordings-{size}")
    axe(page, f"Recordings at {size} px")

    disclosure = page.get_by_text("Set up live counting", exact=True)
    disclosure.focus()
    page.keyboard.press("Enter")  # a <summary> opens from the keyboard
    assert page.locator("#push-url").is_visible()
    assert "token=" in page.locator("#push-url").inner_text()
    assert page.get_by_label("Phone address").is_visible()
    assert overflow(page) <= 0
    shot(page, f"recordings-live-setup-{size}")
    axe(page, f"Recordings, live set-up open, at {size} px")


@pytest.mark.parametrize("size", SIZES)
def test_history_snacks_and_the_safety_questions_pass_axe(
    app: App,
    page: Any,
    size: str,
    shot: Callable[[Any, str], Path],
    axe: Callable[[Any, str], None],
) -> None:
    app.cli("log", "soleus-pushup", "3x20")
    app.cli("log", "pain", "1", "--context", "morning")
    app.cli("history")  # the quick logs wait in the inbox until a command opens the store
    page.set_viewport_size(SIZES[size])
    fake_nudge(page, show=False)
    page.goto(app.url + "/history")
    pain = page.locator(".stat + div", has_text="average worst pain")
    assert "not enough data yet" in pain.inner_text()
    assert page.locator("svg.chart text", has_text="this week").count() == 1
    shot(page, f"history-{size}")
    axe(page, f"History at {size} px")
    for path, name in (("/snacks", "snacks"), ("/screen", "screen")):
        page.goto(app.url + path)
        assert overflow(page) <= 0
        shot(page, f"{name}-{size}")
        axe(page, f"{path} at {size} px")
