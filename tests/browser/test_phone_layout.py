"""Pages on a phone (390×844): nothing wider than the screen, nothing hidden under the
snack banner, charts with legible labels."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from browser_helpers import App

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def fake_nudge(page: Any, *, reason: str = "sitting", done: int = 0, target: int = 3) -> None:
    """Answer the pages' activity reports with a nudge showing, whatever the clock says."""
    state = {
        "now": "2026-03-02T10:00:00+00:00",
        "enabled": True,
        "error": None,
        "daemon": False,
        "working": True,
        "sitting_since": "2026-03-02T09:30:00+00:00",
        "sitting_since_label": "09:30",
        "next_due": None,
        "next_reason": None,
        "snacks_done": done,
        "target": target,
        "poll_s": 30,
        "strict": False,
        "nudge": {
            "id": "n1",
            "number": 1,
            "prompted_at": "2026-03-02T10:00:00+00:00",
            "reason": reason,
            "title": "Soleus pushup sets",
            "text": "2 sets of 10 soleus pushups, seated.",
            "routine": "desk",
            "start_url": "/player?routine=desk",
            "sitting_min": 30,
            "snooze_min": 5,
            "snoozes_left": 2,
            "strict": False,
        },
    }
    page.route(
        "**/api/snacks/activity",
        lambda route: route.fulfill(
            status=200, content_type="application/json", body=json.dumps(state)
        ),
    )


def overflow(page: Any) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))


def test_the_nudge_banner_leaves_the_page_usable(
    app: App, page: Any, shot: Callable[[Any, str], Path]
) -> None:
    page.set_viewport_size(PHONE)
    fake_nudge(page)
    page.goto(app.url + "/recordings")
    banner = page.locator("section#nudge")
    banner.wait_for(state="visible")
    # The announcement went to the live region, not into the Recordings section.
    live = page.locator("section#live")
    assert live.get_by_role("heading", name="Live counting from the phone").is_visible()
    said = page.locator("#announcer").inner_text()
    assert "Time for a snack" in said and "below the header" not in said
    box = banner.bounding_box()
    assert box["height"] <= 844 * 0.25, box  # compact on a phone
    # Whatever the banner covers can be scrolled out from under it.
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    last = page.locator("main > :last-child").bounding_box()
    assert last["y"] + last["height"] <= banner.bounding_box()["y"] + 1
    page.evaluate("window.scrollTo(0, 0)")
    page.get_by_role("button", name="Analyse").click(trial=True, timeout=3000)
    shot(page, "phone-recordings-nudge")


def test_a_target_nudge_after_the_target_does_not_count_past_it(app: App, page: Any) -> None:
    fake_nudge(page, reason="target", done=13, target=3)
    page.goto(app.url + "/")
    why = page.locator("section#nudge .nudge-why")
    why.wait_for(state="visible")
    assert why.inner_text() == "Today's target is met (13 of 3)."
