"""Exercise snacks in the web app: pages, the settings form, the nudge API.

The clock starts on Monday 2026-03-02 at 09:00 UTC; the default policy works
Monday to Friday 09:00-17:00, nudges after 30 min of sitting, 3 snacks a day.
"""

from __future__ import annotations

import json
import os
import tomllib
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any

import pytest
from tests.web.web_helpers import Web

from soleus.domain.snacks.policy import DAY_NAMES
from soleus.services.snacks import records as snacks
from soleus.settings.registry import form_rows, rows

pytestmark = pytest.mark.anyio

OTHER = """# my soleus settings
sound = false   # keep quiet

[plot]
style = "dark"  # a table that is not ours

[remind]
interval_min = 30
idle_backend = "x11"   # the form does not show this; it must survive

[remind.days]
sat = "10:00-12:00"

[zzz]
n = [1, 2, 3]
"""

GOOD_FORM = {
    "interval_min": "20",
    "break_min": "4",
    "target": "4",
    "snooze_min": "3",
    "snooze_limit": "1",
    "hours": "09:00-17:00",
    "works_mon": "on",
    "works_tue": "on",
    "works_wed": "on",
    "works_thu": "on",
    "works_fri": "on",
    "hours_fri": "09:00-13:00",
    "hours_sat": "10:00-12:00",  # Saturday unticked: its hours are dropped
    "quiet": "12:30-13:30",
    "strict": "on",
}


def config_file(web: Web) -> Any:
    return web.settings.config_dir / "config.toml"


def write_config(web: Web, text: str) -> None:
    path = config_file(web)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


async def tick(web: Web, minutes: float = 1, idle_s: float = 0) -> dict[str, Any]:
    """Let ``minutes`` pass, then report activity as an open tab would."""
    web.clock.advance(minutes * 60)
    r = await web.post("/api/snacks/activity", {"idle_s": idle_s})
    assert r.status_code == 200, r.text
    data: dict[str, Any] = r.json()
    return data


async def sit_until_nudged(web: Web, limit: int = 120) -> dict[str, Any]:
    state = await tick(web, 0)
    for _ in range(limit):
        if state["nudge"]:
            return state
        state = await tick(web)
    raise AssertionError(f"no nudge within {limit} min: {state}")


# -- pages --------------------------------------------------------------------------


async def test_snacks_page_renders_empty_day(web: Web) -> None:
    r = await web.client.get("/snacks")
    assert r.status_code == 200
    text = r.text
    assert '<a href="/snacks" aria-current="page">Snacks</a>' in text
    assert "Today's timeline" in text and 'role="img"' in text
    assert "Last 7 and 30 days" in text and "Day by day" in text
    assert "Working hours: 09:00–17:00" in text
    assert "Nudges if you sit all day" in text
    assert "0 / 3" in text
    assert '<script type="module" src="/static/js/nudges.js">' in text
    assert (await web.client.get("/static/js/nudges.js")).status_code == 200


async def test_today_links_to_snacks(web: Web) -> None:
    r = await web.client.get("/")
    assert '<a href="/snacks">Snacks</a>' in r.text


async def test_snacks_page_shows_the_timeline_of_a_day(web: Web) -> None:
    state = await sit_until_nudged(web)
    await web.post("/api/snacks/answer", {"id": state["nudge"]["id"], "answer": "skipped"})
    web.clock.advance(20 * 60)  # away: a natural break
    await tick(web)
    r = await web.client.get("/snacks")
    assert "nudge 1 (sitting): skipped" in r.text
    assert "natural break, 2" in r.text  # 20 min gap after the last input
    assert "sitting, 30 min" in r.text
    assert 'class="tl-nudge tl-skipped"' in r.text


async def test_snacks_page_with_contradictory_settings(web: Web) -> None:
    write_config(web, '[remind]\nquiet = "00:00-24:00"\n')
    r = await web.client.get("/snacks")
    assert r.status_code == 200
    assert "Reminders are off:" in r.text and "quiet times cover all working hours" in r.text
    state = (await web.client.get("/api/snacks/next")).json()
    assert state["enabled"] is False and "quiet times" in state["error"]


# -- settings -----------------------------------------------------------------------


async def test_settings_form_shows_the_file(web: Web) -> None:
    write_config(web, OTHER)
    r = await web.client.get("/snacks/settings")
    assert r.status_code == 200
    assert 'name="interval_min" type="number"' in r.text
    assert 'id="works_sat" name="works_sat" checked' in r.text  # from [remind.days]
    assert 'id="works_sun" name="works_sun">' in r.text


class _Fields(HTMLParser):
    """The form's controls (name -> attributes) and the texts of its labels."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, dict[str, str | None]] = {}
        self.labels: list[str] = []
        self._label: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        if tag == "input" and named.get("name") not in (None, "csrf_token"):
            self.fields[str(named["name"])] = named
        if tag in ("label", "th"):
            self._label = []

    def handle_data(self, data: str) -> None:
        if self._label is not None:
            self._label.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("label", "th") and self._label is not None:
            self.labels.append(" ".join("".join(self._label).split()))
            self._label = None


async def test_settings_form_fields_are_the_registry_rows(web: Web) -> None:
    """Every control of the form is a [remind] row of the registry with its label and
    range, and every [remind] row is on the form unless it is the desktop reminder's."""
    page = _Fields()
    page.feed((await web.client.get("/snacks/settings")).text)
    on_form = set()
    for name in page.fields:
        day_field = name.split("_")[0] in ("works", "hours") and name[-3:] in DAY_NAMES
        on_form.add(({"works": "workdays", "hours": "days"}[name[:5]]) if day_field else name)
    assert on_form == {r.name for r in form_rows("remind")}
    desktop_only = {r.name for r in rows("remind")} - on_form
    assert desktop_only == {"answer_timeout_min", "idle_backend", "notifier", "poll_s"} | {
        "start_command"
    }
    for r in form_rows("remind"):
        assert r.label in page.labels, r.name
        attrs = page.fields.get(r.name)
        if attrs is not None and r.kind in ("int", "float"):
            assert attrs["type"] == "number"
            assert attrs.get("min") == (None if r.lo is None else f"{r.lo:g}"), r.name
            assert attrs.get("max") == (None if r.hi is None else f"{r.hi:g}"), r.name


async def test_settings_form_refuses_what_the_registry_range_refuses(web: Web) -> None:
    r = await web.form("/snacks/settings", {**GOOD_FORM, "target": "49"})
    assert r.status_code == 400
    assert "daily target must be from 0 to 48, not 49" in r.text


async def test_settings_round_trip_keeps_the_rest_of_the_file(web: Web) -> None:
    write_config(web, OTHER)
    r = await web.form("/snacks/settings", GOOD_FORM)
    assert r.status_code == 303 and r.headers["location"] == "/snacks/settings?saved=1"
    text = config_file(web).read_text()
    data = tomllib.loads(text)
    assert data["sound"] is False and data["plot"] == {"style": "dark"}
    assert data["zzz"] == {"n": [1, 2, 3]}
    assert "# my soleus settings" in text and "# a table that is not ours" in text
    remind = data["remind"]
    assert remind["interval_min"] == 20 and remind["break_min"] == 4
    assert remind["target"] == 4 and remind["snooze_limit"] == 1
    assert remind["workdays"] == "mon,tue,wed,thu,fri"
    assert remind["days"] == {"fri": "09:00-13:00"}
    assert remind["strict"] is True and remind["can_stand"] is False
    assert remind["idle_backend"] == "x11"
    pol = snacks.policy(web.ctx, env={})
    assert pol.interval_s == 1200 and pol.target == 4 and pol.strict
    assert pol.available(4)[0].end == 12 * 60 + 30  # Friday ends at 13:00, quiet from 12:30
    assert pol.available(5) == ()
    page = await web.client.get("/snacks/settings?saved=1")
    assert "Saved to" in page.text and 'value="20"' in page.text


async def test_settings_into_a_new_file(web: Web) -> None:
    r = await web.form("/snacks/settings", GOOD_FORM)
    assert r.status_code == 303
    assert tomllib.loads(config_file(web).read_text())["remind"]["target"] == 4


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"quiet": "00:00-24:00"}, "quiet times cover all working hours"),
        ({"interval_min": "10", "break_min": "15"}, "break_min must be shorter"),
        ({"target": "30"}, "does not fit in"),
        ({"interval_min": "abc"}, "interval (minutes) must be a number"),
        ({"target": "-1"}, "daily target must be a whole number"),
        ({"hours": "9 to 5"}, "remind.hours: expected HH:MM-HH:MM"),
        (
            {"works_mon": "", "works_tue": "", "works_wed": "", "works_thu": "", "works_fri": ""},
            "no working hours on any day",
        ),
    ],
)
async def test_contradictory_settings_save_nothing(
    web: Web, change: dict[str, str], message: str
) -> None:
    write_config(web, OTHER)
    before = config_file(web).read_bytes()
    r = await web.form("/snacks/settings", {**GOOD_FORM, **change})
    assert r.status_code == 400
    assert "Not saved:" in r.text and message in r.text.replace("&#39;", "'")
    assert config_file(web).read_bytes() == before
    for key, value in change.items():  # the form keeps what was typed
        if value and not key.startswith("works_"):
            assert f'value="{value}"' in r.text


async def test_settings_refuse_a_remind_table_it_cannot_rewrite(web: Web) -> None:
    write_config(web, 'remind.target = 2\n[plot]\nstyle = "x"\n')
    before = config_file(web).read_bytes()
    r = await web.form("/snacks/settings", GOOD_FORM)
    assert r.status_code == 400 and "edit it by hand" in r.text
    assert config_file(web).read_bytes() == before


async def test_settings_form_needs_the_csrf_token(web: Web) -> None:
    write_config(web, OTHER)
    r = await web.client.post("/snacks/settings", data=GOOD_FORM)
    assert r.status_code == 403
    assert tomllib.loads(config_file(web).read_text())["remind"]["interval_min"] == 30


# -- the nudge API ------------------------------------------------------------------


async def test_sitting_nudge_then_taken_shows_in_day_stats(web: Web) -> None:
    state = await tick(web, 0)
    assert state["working"] and state["nudge"] is None
    assert state["next_due"] == "2026-03-02T09:30:00+00:00"
    assert state["sitting_since"] == "2026-03-02T09:00:00+00:00"
    state = await sit_until_nudged(web)
    nudge = state["nudge"]
    assert web.clock.now() == datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
    assert nudge["reason"] == "sitting" and nudge["sitting_min"] == 30
    assert nudge["start_url"] == f"/player?routine={nudge['routine']}"
    assert nudge["snoozes_left"] == 2
    peek = (await web.client.get("/api/snacks/next")).json()
    assert peek["nudge"]["id"] == nudge["id"]
    day = snacks.day_stats(web.ctx)
    assert (day.prompted, day.open) == (1, 1)

    r = await web.post("/api/snacks/answer", {"id": nudge["id"], "answer": "taken"})
    assert r.status_code == 200, r.text
    assert r.json()["nudge"] is None and r.json()["snacks_done"] == 1
    day = snacks.day_stats(web.ctx)
    assert (day.prompted, day.taken, day.open, day.snacks_done) == (1, 1, 0, 1)
    assert day.sitting_minutes == 30
    again = await web.post("/api/snacks/answer", {"id": nudge["id"], "answer": "taken"})
    assert again.status_code == 400 and "already answered" in again.json()["error"]


async def test_snooze_comes_back_and_the_limit_holds(web: Web) -> None:
    state = await sit_until_nudged(web)
    nudge_id = state["nudge"]["id"]
    for left in (1, 0):
        r = await web.post("/api/snacks/answer", {"id": nudge_id, "answer": "snoozed"})
        assert r.status_code == 200 and r.json()["nudge"] is None
        state = await tick(web, 4)
        assert state["nudge"] is None  # snoozed for 5 min
        state = await tick(web, 1)
        assert state["nudge"]["id"] == nudge_id and state["nudge"]["snoozes_left"] == left
    r = await web.post("/api/snacks/answer", {"id": nudge_id, "answer": "snoozed"})
    assert r.status_code == 400 and "no snoozes left" in r.json()["error"]
    assert snacks.day_stats(web.ctx).postponed == 2


async def test_unanswered_nudge_expires(web: Web) -> None:
    state = await sit_until_nudged(web)
    for _ in range(10):
        state = await tick(web)
    assert state["nudge"] is None
    day = snacks.day_stats(web.ctx)
    assert (day.prompted, day.expired, day.open) == (1, 1, 0)


async def test_strict_mode_asks_why(web: Web) -> None:
    write_config(web, "[remind]\nstrict = true\n")
    state = await sit_until_nudged(web)
    nudge_id = state["nudge"]["id"]
    assert state["strict"] and state["nudge"]["strict"]
    r = await web.post("/api/snacks/answer", {"id": nudge_id, "answer": "skipped"})
    assert r.status_code == 400 and "say why" in r.json()["error"]
    assert snacks.day_stats(web.ctx).skipped == 0
    r = await web.post(
        "/api/snacks/answer", {"id": nudge_id, "answer": "skipped", "reason": "In a meeting"}
    )
    assert r.status_code == 200
    rows, _ = snacks.day_log(web.ctx)
    assert rows[0].outcome == "skipped" and rows[0].skip_reason == "In a meeting"


async def test_a_gap_is_a_natural_break_and_resets_sitting(web: Web) -> None:
    await tick(web, 0)
    for _ in range(20):
        await tick(web)
    web.clock.advance(10 * 60)  # tab closed or computer asleep
    state = await tick(web)
    assert state["sitting_since"] == "2026-03-02T09:31:00+00:00"
    assert state["next_due"] == "2026-03-02T10:01:00+00:00"
    day = snacks.day_stats(web.ctx)
    assert day.natural_breaks == 1 and day.break_minutes == 11
    assert day.sitting_minutes == 20


async def test_idle_detector_reports_a_break(web: Web) -> None:
    await tick(web, 0)
    for _ in range(10):
        await tick(web)
    for minutes in range(1, 8):
        r = await web.post(
            "/api/snacks/activity", {"idle_s": minutes * 60, "source": "idle-detector"}
        )
        web.clock.advance(60)
        assert r.status_code == 200
    state = await tick(web, 0)
    assert state["source"] == "open-tab"
    assert snacks.day_stats(web.ctx).natural_breaks == 1


async def test_no_nudge_outside_working_hours_or_in_quiet_time(web: Web) -> None:
    write_config(web, '[remind]\nquiet = "09:00-11:00"\n')
    state = await tick(web, 0)
    for _ in range(120):
        assert state["nudge"] is None, web.clock.now()
        state = await tick(web)
    assert web.clock.now().hour == 11
    assert state["nudge"] is not None  # right after the quiet time: sitting since 09:00
    web.clock.advance(10 * 3600)  # 20:40
    for _ in range(90):
        state = await tick(web)
        assert state["nudge"] is None and not state["working"]


async def test_snack_api_reads(web: Web) -> None:
    state = await sit_until_nudged(web)
    await web.post("/api/snacks/answer", {"id": state["nudge"]["id"], "answer": "taken"})
    today = (await web.client.get("/api/snacks/today")).json()
    assert today["taken"] == 1 and today["snacks_done"] == 1 and today["target"] == 3
    kinds = {item["kind"] for item in today["timeline"]}
    assert {"work", "sitting", "nudge"} <= kinds
    days = (await web.client.get("/api/snacks/days?days=30")).json()
    assert len(days["days"]) == 30 and days["totals"]["taken"] == 1
    assert days["days"][-1]["date"] == "2026-03-02"
    preview = (await web.client.get("/api/snacks/preview?date=2026-03-03")).json()
    assert preview["date"] == "2026-03-03" and len(preview["snacks"]) == 3
    assert preview["nudges_if_sitting"]
    sunday = (await web.client.get("/api/snacks/preview?date=2026-03-08")).json()
    assert sunday["working"] == [] and sunday["snacks"] == []


@pytest.mark.parametrize(
    ("path", "body", "status", "words"),
    [
        ("/api/snacks/days?days=0", None, 400, "days must be"),
        ("/api/snacks/days?days=x", None, 400, "days must be"),
        ("/api/snacks/preview?date=2026-13-01", None, 400, "YYYY-MM-DD"),
        ("/api/snacks/activity", {"idle_s": -1}, 400, "idle_s must be"),
        ("/api/snacks/activity", {"idle_s": "a lot"}, 400, "idle_s must be"),
        ("/api/snacks/activity", {"source": "telepathy"}, 400, "source must be"),
        ("/api/snacks/answer", {"answer": "taken"}, 400, "id is required"),
        ("/api/snacks/answer", {"id": "nope", "answer": "maybe"}, 400, "answer must be"),
        ("/api/snacks/answer", {"id": "nope", "answer": "taken"}, 400, "no reminder"),
        ("/api/snacks/answer", [], 400, "must be an object"),
    ],
)
async def test_bad_requests_are_json_errors(
    web: Web, path: str, body: Any, status: int, words: str
) -> None:
    if body is None:
        r = await web.client.get(path)
    else:
        r = await web.post(path, body)
    assert r.status_code == status
    assert r.headers["content-type"].startswith("application/json")
    assert words in r.json()["error"]


async def test_state_changing_calls_need_csrf(web: Web) -> None:
    for path, body in (
        ("/api/snacks/activity", {"idle_s": 0}),
        ("/api/snacks/answer", {"id": "x", "answer": "taken"}),
    ):
        r = await web.client.post(path, json=body)
        assert r.status_code == 403 and "CSRF" in r.json()["error"]
        r = await web.client.post(
            path, content=json.dumps(body), headers={**web.h, "content-type": "text/plain"}
        )
        assert r.status_code == 415
    assert snacks.day_log(web.ctx) == ([], [])


async def test_openapi_lists_the_snack_routes(web: Web) -> None:
    doc = (await web.client.get("/openapi.json")).json()
    for path in ("today", "days", "preview", "next"):
        assert "get" in doc["paths"][f"/api/snacks/{path}"]
    for path in ("activity", "answer"):
        op = doc["paths"][f"/api/snacks/{path}"]["post"]
        assert op["security"] == [{"csrf": []}] and "requestBody" in op


async def test_the_daemon_owns_the_nudges_when_it_runs(web: Web) -> None:
    heartbeat = web.settings.data_dir / "remind.json"
    heartbeat.write_text(
        json.dumps(
            {
                "pid": os.getpid(),
                "heartbeat_at": web.clock.now().isoformat(),
                "poll_s": 30,
                "next_due": "2026-03-02T09:30:00+00:00",
                "next_reason": "sitting",
            }
        )
    )
    state = await tick(web, 0)
    assert state["daemon"] and state["nudge"] is None
    assert state["next_due"] == "2026-03-02T09:30:00+00:00"
    assert snacks.day_log(web.ctx) == ([], [])  # the daemon logs, not the page
    page = await web.client.get("/snacks")
    assert "soleus remind" in page.text and "is running" in page.text


async def test_sessions_meet_the_target_so_no_more_nudges(web: Web) -> None:
    write_config(web, "[remind]\ntarget = 3\nstop_at_target = true\n")
    for _ in range(4):
        r = await web.post("/api/logs", {"exercise_id": "soleus-pushup", "amount": "1x10"})
        assert r.status_code in (200, 201), r.text
        web.clock.advance(20 * 60)  # apart: each is a snack (domain/snacks/bouts.py)
    state = await tick(web, 0)
    assert (state["snacks_done"], state["target"]) == (4, 3)
    for _ in range(180):
        state = await tick(web)
        assert state["nudge"] is None, state
    assert state["next_due"] is None
    assert "4 / 3" in (await web.client.get("/")).text


async def test_a_sitting_nudge_after_the_target_is_not_a_target_nudge(web: Web) -> None:
    for _ in range(3):
        await web.post("/api/logs", {"exercise_id": "soleus-pushup", "amount": "1x10"})
        web.clock.advance(20 * 60)  # apart: each is a snack
    state = await sit_until_nudged(web)
    assert state["nudge"]["reason"] == "sitting" and state["next_reason"] in (None, "sitting")
    state = await tick(web, 0)
    assert state["snacks_done"] == 3
