"""Missed-session emails: two instances checking and working side by side over a
simulated week against a real local SMTP server (aiosmtpd): one mail per missed session
(a plan of 2 a day: two for a day with none done, one for a day with one), none for a
day done, none for someone who did not ask."""

from __future__ import annotations

import dataclasses
import re
import socket
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from email import message_from_bytes
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from tests.services.accounts.acc_helpers import clinic

from soleus.domain.clock import FakeClock
from soleus.services import open_context
from soleus.services.accounts import access
from soleus.services.context import Context
from soleus.services.logs import quicklog
from soleus.services.prescriptions import missed, plan
from soleus.services.sessions import guided
from soleus.store import jobs

# tests/conftest.py START is Wednesday 4 March 2026, 09:00 UTC (10:00 in Berlin).
FORM = {
    "start": "2026-03-04",
    "days": "mon,tue,wed,thu,fri,sat,sun",
    "per_day": "1",
    "exercise-0": "soleus-pushup",
    "exercise-0-step-0-weeks": "1-",
    "exercise-0-step-0-sets": "1",
    "exercise-0-step-0-reps": "10",
}


class Inbox:
    def __init__(self) -> None:
        self.mails: list[tuple[list[str], Message]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.mails.append((envelope.rcpt_tos, message_from_bytes(envelope.content)))
        return "250 OK"


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def instance(ctx: Context, port: int, clock: FakeClock) -> Context:
    settings = dataclasses.replace(
        ctx.settings, smtp_host="127.0.0.1", smtp_port=port, smtp_from="clinic@example.org"
    )
    return open_context(settings, clock)


# Sessions done each day of the simulated week (Wednesday 4 March first), per plan of
# 1 or 2 sessions a day, and the mails that must go out: (day, session number).
WEEKS = {
    1: (
        {0: 1, 2: 1, 4: 1},  # Wednesday, Friday, Sunday
        [("2026-03-05", 1), ("2026-03-07", 1), ("2026-03-09", 1), ("2026-03-10", 1)],
    ),
    2: (
        {0: 2, 1: 1, 3: 2, 4: 1},
        [
            ("2026-03-05", 2),  # one of two done: one mail, for the second
            ("2026-03-06", 1),  # none done: a mail for each
            ("2026-03-06", 2),
            ("2026-03-08", 2),
            ("2026-03-09", 1),
            ("2026-03-09", 2),
            ("2026-03-10", 1),
            ("2026-03-10", 2),
        ],
    ),
}


def _day_and_number(subject: str, per_day: int) -> tuple[str, int]:
    day = subject.rsplit(" ", 1)[1]
    if per_day == 1:
        assert subject == f"soleus: a prescribed session missed on {day}"
        return day, 1
    match = re.fullmatch(rf"soleus: session (\d) of {per_day} missed on {day}", subject)
    assert match, subject
    return day, int(match[1])


@pytest.mark.parametrize("per_day", [1, 2])
def test_two_instances_over_a_week_mail_each_missed_session_once(
    db_ctx: Context, clock: FakeClock, smtp: tuple[Inbox, int], per_day: int
) -> None:
    inbox, port = smtp
    c = clinic(db_ctx)
    form = {**FORM, "per_day": str(per_day)}
    plan.prescribe(db_ctx, c.clinician, c.patient_a.person_id, form)
    plan.prescribe(db_ctx, c.clinician, c.patient_a.person_id, form)  # replaces: one plan
    mine = access.context_for(db_ctx, c.patient_a, write=True)
    missed.set_opt_in(mine, True)
    first, second = instance(db_ctx, port, clock), instance(db_ctx, port, clock)
    done_on, expected = WEEKS[per_day]
    sent = queued_in_all = 0
    try:
        with ThreadPoolExecutor(max_workers=2) as pool:
            for day in range(8):
                # Each morning both instances check and send, at the same time, twice.
                for _ in range(2):
                    queued = list(pool.map(missed.check, (first, second)))
                    assert sum(queued) <= per_day  # yesterday's, at most, and only once
                    queued_in_all += sum(queued)
                    sent += sum(pool.map(missed.work, (first, second), ("w1", "w2")))
                for _ in range(done_on.get(day, 0)):
                    guided.finish(mine, guided.start(mine, mine.routines["desk"]), pain=1)
                clock.advance(86_400)
    finally:
        first.store.close()
        second.store.close()
    assert sent == queued_in_all == len(expected) == len(inbox.mails)
    got = sorted(_day_and_number(m["Subject"], per_day) for _, m in inbox.mails)
    assert got == expected
    assert all(to == ["a@example.org"] for to, _ in inbox.mails)
    if per_day == 2:
        bodies = {
            _day_and_number(m["Subject"], 2): str(m.get_payload()).replace("\n", " ")
            for _, m in inbox.mails
        }
        assert "2 sessions on 2026-03-05; 1 was logged" in bodies[("2026-03-05", 2)]
        assert "0 were logged" in bodies[("2026-03-06", 1)]
    with db_ctx.store.begin() as conn:
        states = jobs.states(conn, kind=missed.KIND)
    assert [s["state"] for s in states] == ["done"] * len(expected)
    assert {s["done_by"] for s in states} <= {"w1", "w2"}


def test_no_mail_without_opting_in_or_on_a_rest_day(
    db_ctx: Context, clock: FakeClock, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    c = clinic(db_ctx)
    plan.prescribe(db_ctx, c.clinician, c.patient_a.person_id, FORM)
    mine = access.context_for(db_ctx, c.patient_a, write=True)
    worker = instance(db_ctx, port, clock)
    try:
        clock.advance(86_400)
        assert missed.check(worker) == 0  # A did not ask
        missed.set_opt_in(mine, True)
        quicklog.log_pain(mine, score=8, context="morning")  # a rest day, no session
        clock.advance(86_400)
        assert missed.check(worker) == 1  # the first day only: the second was a rest day
        missed.set_opt_in(mine, False)
        assert missed.work(worker, "w") == 0  # asked to stop before it went out
    finally:
        worker.store.close()
    assert inbox.mails == []


def test_days_after_a_red_flag_yes_are_not_missed_until_a_screen_clears_it(
    db_ctx: Context, clock: FakeClock
) -> None:
    from soleus.domain.safety import RED_FLAGS
    from soleus.services.safety import screen

    no = {q.id: False for q in RED_FLAGS}
    c = clinic(db_ctx)
    plan.prescribe(db_ctx, c.clinician, c.patient_a.person_id, FORM)
    mine = access.context_for(db_ctx, c.patient_a, write=True)
    screen.record_screen(mine, {**no, "one_calf_swollen": True})  # Wednesday
    clock.advance(3 * 86_400)  # Saturday: Wednesday to Friday were stopped days
    assert missed.missed_days(db_ctx, c.patient_a.person_id, db_ctx.today()) == []
    screen.record_screen(mine, no)  # Saturday's screen clears it
    clock.advance(86_400)
    days = missed.missed_days(db_ctx, c.patient_a.person_id, db_ctx.today())
    assert [(d.isoformat(), done, planned) for d, done, planned in days] == [("2026-03-07", 0, 1)]
