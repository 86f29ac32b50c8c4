"""The snack nudge in real Chromium against the real app on an injected clock: none in
the first interval after the first visit, then a banner in the page's flow (never over
Today's figures or the quick log), at the same place on every page, hidden with Esc,
announced politely, and worded like the Snacks page."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from tests.browser.test_phone_layout import COVERED, PHONE

from soleus.domain.clock import FakeClock
from soleus.services import open_context
from soleus.settings import Settings
from soleus.web.app import create_app

pytestmark = pytest.mark.browser

# A Monday afternoon, nothing done yet: behind the day's pace (3 snacks from 09:00).
FIRST_VISIT = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)


@dataclass
class Served:
    url: str
    clock: FakeClock


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    """The real app in this process, on a free port, over a clock the test moves."""
    with serve_on_clock(tmp_path) as running:
        yield running


@contextmanager
def serve_on_clock(tmp_path: Path, *, newcomer: bool = False) -> Iterator[Served]:
    """The app over a FakeClock at FIRST_VISIT; past the welcome unless ``newcomer``."""
    import uvicorn

    from soleus.services.welcome import tour

    settings = Settings.load(
        env={
            "SOLEUS_DATA_DIR": str(tmp_path / "data"),
            "SOLEUS_CONFIG_DIR": str(tmp_path / "config"),
            "SOLEUS_TIMEZONE": "UTC",
        }
    )
    clock = FakeClock(FIRST_VISIT)
    ctx = open_context(settings, clock)
    if not newcomer:
        tour.skip(ctx)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    app = create_app(ctx.settings, ctx.store, clock)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "the app did not start"
        time.sleep(0.05)
    try:
        yield Served(f"http://127.0.0.1:{port}", clock)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
        ctx.store.close()


def report(page: Any) -> dict[str, Any]:
    """One activity report now (what the page does every poll), and the state it gets."""
    with page.expect_response("**/api/snacks/activity") as answer:
        page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    state: dict[str, Any] = answer.value.json()
    return state


def sit(page: Any, served: Served, minutes: int) -> list[dict[str, Any]]:
    states = []
    for _ in range(minutes):
        served.clock.advance(60)
        states.append(report(page))
    return states


def test_no_nudge_in_the_first_interval_then_a_banner_that_waits_its_turn(
    served: Served,
    page: Any,
    shot: Callable[[Any, str], Path],
    axe: Callable[[Any, str], None],
) -> None:
    with page.expect_response("**/api/snacks/activity"):  # the first visit's first report
        page.goto(served.url + "/")
    banner = page.locator("section#nudge")
    states = sit(page, served, 29)
    assert not any(s["nudge"] for s in states)
    assert banner.count() == 0 or not banner.is_visible()
    # The Snacks page says when the next one comes, and why, in the banner's words.
    page.goto(served.url + "/snacks")
    status = page.locator("[data-snack-live]").inner_text()
    assert "Next nudge at 14:30, for snack 1 of 3, the next planned snack." in status, status
    rule = page.locator("[data-snack-rule]").inner_text()
    assert "never in your first 30 min at the desk today" in rule

    page.goto(served.url + "/")
    state = sit(page, served, 2)[-1]
    assert state["nudge"]["reason"] == "target"
    banner.wait_for(state="visible")
    why = state["nudge"]["why"]
    assert page.locator("section#nudge .nudge-why").inner_text() == why
    assert why == "Snack 1 of 3 today: the next planned snack is due."
    assert page.locator("#announcer").get_attribute("aria-live") == "polite"
    assert "Time for a snack" in page.locator("#announcer").inner_text()
    # In the flow between the header and the page, over nothing, on a desk and a phone.
    places: dict[str, set[tuple[int, int]]] = {}
    for path in ("/", "/history", "/snacks"):
        for name, size in (("1280", {"width": 1280, "height": 800}), ("390", PHONE)):
            page.set_viewport_size(size)
            page.goto(served.url + path)
            banner.wait_for(state="visible")
            assert page.evaluate(COVERED) == [], (path, name)
            box = banner.bounding_box()
            places.setdefault(name, set()).add((round(box["x"]), round(box["y"])))
            if path == "/":
                shot(page, f"nudge-today-{name}")
                axe(page, f"Today with a nudge at {name} px")
    assert all(len(at) == 1 for at in places.values()), places  # the same place everywhere
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(served.url + "/snacks")
    banner.wait_for(state="visible")
    assert why in page.locator("[data-snack-live]").inner_text()  # one reason, both places
    shot(page, "nudge-snacks-1280")
    axe(page, "Snacks with a nudge")

    # Esc hides it, on this page and the next, without answering it.
    page.get_by_role("button", name="Start").focus()
    page.keyboard.press("Escape")
    assert not banner.is_visible()
    page.goto(served.url + "/")
    report(page)
    assert not banner.is_visible()
    assert report(page)["nudge"]["id"] == state["nudge"]["id"]  # still open on the server
