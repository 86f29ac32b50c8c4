"""Words on the pages that must not contradict themselves: the section marked in the
navigation, History's figures when there is too little data, the current week."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from tests.web.web_helpers import Web

from soleus.web.charts import history as charts

pytestmark = pytest.mark.anyio

CURRENT = re.compile(r'<a href="([^"]+)" aria-current="page">([^<]+)</a>')


@pytest.mark.parametrize(
    ("path", "marked"),
    [
        ("/", [("/", "Today")]),
        ("/history", [("/history", "History")]),
        ("/snacks", [("/snacks", "Snacks")]),
        ("/recordings", [("/recordings", "Recordings")]),
        ("/exercises/soleus-pushup", [("/exercises", "Exercises")]),
        ("/routines", [("/routines", "Routines")]),
        ("/log", [("/log", "Log")]),
        # Steps of a session, in no section: nothing claims to be the page.
        ("/screen", []),
        ("/player?routine=desk", []),
    ],
)
async def test_the_navigation_marks_the_section_of_the_page(
    web: Web, path: str, marked: list[tuple[str, str]]
) -> None:
    if path.startswith("/player"):
        await web.pass_screen()
    r = await web.client.get(path)
    assert r.status_code == 200, r.text[:300]
    assert CURRENT.findall(r.text) == marked


async def test_history_shows_no_pain_figure_without_enough_data(web: Web) -> None:
    await web.post("/api/logs", {"pain": 1, "context": "morning"})
    page = (await web.client.get("/history")).text
    card = re.search(r'<div class="stat"[^>]*>([^<]*)</div><div>average worst pain[^<]*', page)
    assert card is not None
    assert card[1] == "–" and "not enough data yet" in card[0]
    for _ in range(2):  # pain on three days: now there is a trend, and its figure
        web.clock.advance(24 * 3600)
        await web.post("/api/logs", {"pain": 1, "context": "morning"})
    page = (await web.client.get("/history")).text
    card = re.search(r'<div class="stat"[^>]*>([^<]*)</div><div>average worst pain[^<]*', page)
    assert card is not None and card[1] == "1" and "(steady)" in card[0], card


def test_the_current_week_is_labelled_on_the_weekly_chart() -> None:
    today = date(2026, 3, 4)  # a Wednesday
    weeks = [(date(2026, 3, 2) - timedelta(weeks=11 - i), {"a": i}) for i in range(12)]
    svg = charts.stacked_bars(weeks, ["a"], {}, today=today)
    labels = re.findall(r'<text x="[\d.]+" y="212">([^<]+)</text>', svg)
    assert labels[-1] == "this week" and len(labels) == 6
    assert "this week: 11 sets" in svg
    assert "this week" not in charts.stacked_bars(weeks, ["a"], {})
