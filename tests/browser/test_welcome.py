"""The first-run welcome in real Chromium on a fresh data dir: done by keyboard only, then
never shown again; skip works and Today offers the tour; no snack nudge while it is open
nor in the first interval after (injected clock). Axe and screenshots at 1280 and 390 px."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tests.browser.browser_helpers import App
from tests.browser.test_nudge_banner import report, serve_on_clock, sit
from tests.browser.test_phone_layout import PHONE

pytestmark = pytest.mark.browser

Shot = Callable[[Any, str], Path]
Axe = Callable[[Any, str], None]


def focused(page: Any) -> dict[str, str]:
    return dict(
        page.evaluate(
            "() => { const e = document.activeElement;"
            " return {tag: e.tagName, name: e.name || '', value: e.value || '',"
            " text: e.textContent.trim()}; }"
        )
    )


def test_the_welcome_by_keyboard_then_never_again(
    fresh_app: App, page: Any, shot: Shot, axe: Axe
) -> None:
    page.goto(fresh_app.url + "/")
    page.wait_for_url("**/welcome")
    assert page.get_by_role("heading", level=1).all_inner_texts() == ["Welcome to soleus"]
    for name, size in (("1280", {"width": 1280, "height": 800}), ("390", PHONE)):
        page.set_viewport_size(size)
        shot(page, f"welcome-{name}")
        axe(page, f"the welcome at {name} px")
    page.set_viewport_size({"width": 1280, "height": 800})

    page.get_by_role("button", name="Skip the welcome").focus()
    for _ in range(4):  # each safety question: Tab into its group, Space picks "No"
        page.keyboard.press("Tab")
        assert focused(page)["value"] == "no"
        page.keyboard.press("Space")
    page.keyboard.press("Tab")  # the goals: the seated sets are chosen; the bout is next
    assert focused(page)["value"] == "desk"
    page.keyboard.press("ArrowDown")
    assert focused(page)["value"] == "spu-bout"
    page.keyboard.press("Tab")
    assert focused(page)["name"] == "hours"
    page.keyboard.press("Control+A")
    page.keyboard.type("08:30-12:00, 13:00-16:30")
    page.keyboard.press("Enter")

    page.wait_for_url("**/player?routine=spu-bout")  # the first session, no second screen
    assert page.get_by_role("heading", level=1).first.inner_text()
    config = tomllib.loads((fresh_app.config_dir / "config.toml").read_text())
    assert config["remind"]["hours"] == "08:30-12:00, 13:00-16:30"

    page.goto(fresh_app.url + "/")
    assert page.url == fresh_app.url + "/"  # Today, not the welcome
    assert page.get_by_role("link", name="Take the tour").count() == 0


def test_skip_goes_to_today_which_links_the_tour(fresh_app: App, page: Any) -> None:
    page.goto(fresh_app.url + "/")
    page.wait_for_url("**/welcome")
    page.get_by_role("button", name="Skip the welcome").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(fresh_app.url + "/")
    page.reload()
    assert page.url == fresh_app.url + "/"
    tour = page.get_by_role("link", name="Take the tour")
    tour.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/welcome")
    assert "This page shows once" not in page.inner_text("main")


def test_a_wrong_hour_is_said_next_to_the_field(fresh_app: App, browser: Any, axe: Axe) -> None:
    # Its own context: the answer is a 400, which Chromium logs to the console.
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(fresh_app.url + "/welcome")
    page.get_by_role("radio", name="No").nth(1).check()  # one question of four answered
    page.get_by_label("Usual working hours on workdays").fill("9 to 5")
    page.get_by_role("button", name="Save and start my first session").click()
    error = page.locator("#hours-error")
    assert "9 to 5" in error.inner_text()
    assert page.get_by_label("Usual working hours on workdays").get_attribute("aria-invalid")
    assert page.locator(".field-error").count() == 4  # three questions and the hours
    assert "4 answers to fix" in page.get_by_role("alert").inner_text()
    assert page.get_by_role("radio", name="No").nth(1).is_checked()  # kept
    axe(page, "the welcome with problems")
    context.close()


def test_no_nudge_before_the_welcome_nor_in_the_first_interval(tmp_path: Path, page: Any) -> None:
    with serve_on_clock(tmp_path, newcomer=True) as served:
        with page.expect_response("**/api/snacks/activity"):
            page.goto(served.url + "/")
        assert page.url.endswith("/welcome")
        states = sit(page, served, 45)  # a long look at the welcome: no nudge, no sitting
        assert not any(s["nudge"] for s in states)
        page.get_by_role("button", name="Skip the welcome").click()
        page.wait_for_url(served.url + "/")
        states = sit(page, served, 29)
        assert not any(s["nudge"] for s in states)
        assert page.locator("section#nudge").count() == 0
        later = sit(page, served, 2)[-1]
        assert later["nudge"] is not None  # once the person has sat for the interval
        assert report(page)["nudge"]["id"] == later["nudge"]["id"]
