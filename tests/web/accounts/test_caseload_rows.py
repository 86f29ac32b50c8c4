"""The caseload's figures on a fixture caseload, pinned: the page's table and the CSV
under several sorts equal a golden file (written by the implementation before the
caseload's queries were made faster; regenerate with SOLEUS_GOLDEN=write only for a
deliberate change). Sessions, efforts, sets per side (a "both" set counts for each),
verified (a phone recording, a live-counted stream, a video: all stored as `recording`
sessions) against self-reported, pain per day, red flags and inactivity."""

from __future__ import annotations

import json
import os
import re
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert
from tests.services.accounts.acc_helpers import join
from tests.web.accounts.acc_web import Clinic, Site, sign_in

from soleus.services.context import Context
from soleus.services.prescriptions import plan
from soleus.store.schema import pain_reports, screens, sessions, set_logs

pytestmark = pytest.mark.anyio

GOLDEN = Path(__file__).parent / "golden" / "caseload.json"
TODAY = date(2026, 3, 2)  # the site's clock: Monday 2 March 2026 (UTC)
FORM = {
    "start": "2026-02-16",
    "days": "mon,tue,wed,thu,fri",
    "per_day": "2",
    "exercise-0": "soleus-pushup",
    "exercise-0-step-0-weeks": "1-2",
    "exercise-0-step-0-sets": "2",
    "exercise-0-step-0-reps": "10",
    "exercise-0-step-1-weeks": "3-",
    "exercise-0-step-1-sets": "3",
    "exercise-0-step-1-reps": "12",
}
SORTS = [
    ("patient", "asc"),
    ("adherence", "desc"),
    ("pain_trend", "asc"),
    ("effort_mean", "desc"),
    ("inactive_days", "desc"),
    ("sets_verified", "asc"),
    ("red_flag_on", "desc"),
]

# (days before today, source, status, effort, sets: (side, reps or None, skipped)...)
Session = tuple[int, str, str, int | None, tuple[tuple[str, int | None, bool], ...]]
PLAN: dict[str, list[Session]] = {
    "a@example.org": [
        (7, "player", "finished", 9, (("left", 10, False),)),  # the day before the window
        (6, "player", "finished", 3, (("left", 10, False), ("right", 8, False))),
        (6, "recording", "finished", 4, (("both", 12, False),)),
        (4, "player", "abandoned", 10, (("left", 5, False), ("right", 5, True))),
        (2, "quick", "finished", None, (("both", 10, False),)),
        (2, "player", "finished", 2, (("left", None, False), ("right", 7, False))),
        (2, "recording", "finished", 3, (("left", 20, False),)),
        (0, "recording", "finished", 3, (("right", 15, False), ("right", 4, False))),
    ],
    "c@example.org": [(10, "player", "finished", 5, (("left", 10, False),))],
    "o'neil&<b>@example.org": [(3, "quick", "finished", None, (("both", 10, False),))],
    "e@example.org": [
        (1, "recording", "finished", 6, (("both", 30, False),)),
        (1, "player", "finished", 7, (("left", 10, False), ("right", 10, False))),
        (3, "player", "unfinished", 5, (("left", 10, False),)),
    ],
    "b@example.org": [(0, "recording", "finished", 8, (("both", 99, False),))],  # not doc's
}
PAIN = {
    "a@example.org": [(8, 9), (5, 2), (5, 5), (1, 1), (0, 4)],
    "e@example.org": [(6, 3), (0, 3)],
    "b@example.org": [(0, 9)],
}
FLAGS = {"a@example.org": [(40, False), (11, False), (1, True)], "e@example.org": [(2, False)]}


def _seed(ctx: Context, ids: dict[str, str]) -> None:
    rows: dict[Any, list[dict[str, Any]]] = {sessions: [], set_logs: [], pain_reports: []}
    rows[screens] = []
    for email, planned in PLAN.items():
        person = ids[email]
        for n, (ago, source, status, effort, sets) in enumerate(planned):
            day = TODAY - timedelta(days=ago)
            at = datetime.combine(day, datetime.min.time()).replace(hour=8 + n)
            sid = str(uuid.uuid4())
            rows[sessions].append(
                {
                    **dict(id=sid, person_id=person, source=source, status=status),
                    **dict(routine_id="desk", routine_name="Desk", started_at=at, ended_at=at),
                    **dict(local_date=day, effort=effort, note=""),
                }
            )
            for i, (side, reps, skipped) in enumerate(sets):
                rows[set_logs].append(
                    {
                        **dict(id=str(uuid.uuid4()), session_id=sid, person_id=person),
                        **dict(plan_index=i, exercise_id="soleus-pushup", kind="reps"),
                        **dict(side=side, set_number=i + 1, target_reps=10),
                        **dict(actual_reps=reps, skipped=skipped, completed_at=at),
                        "local_date": day,
                    }
                )
    for email, scores in PAIN.items():
        for ago, score in scores:
            day = TODAY - timedelta(days=ago)
            rows[pain_reports].append(
                {
                    **dict(id=str(uuid.uuid4()), person_id=ids[email], score=score),
                    **dict(at=datetime.combine(day, datetime.min.time()), local_date=day),
                    "context": "after",
                }
            )
    for email, answered in FLAGS.items():
        for ago, passed in answered:
            day = TODAY - timedelta(days=ago)
            rows[screens].append(
                {
                    **dict(id=str(uuid.uuid4()), person_id=ids[email], passed=passed),
                    **dict(at=datetime.combine(day, datetime.min.time()), local_date=day),
                    "answers": {"one_calf_swollen": not passed},
                }
            )
    with ctx.store.begin() as conn:
        for table, values in rows.items():
            conn.execute(insert(table), values)


def _table(html: str, ids: dict[str, str]) -> str:
    match = re.search(r"<table id=\"caseload\">.*?</table>", html, re.S)
    assert match, html[:500]
    text = match[0]
    for email, person in ids.items():
        text = text.replace(person, email)
    return text


@pytest.fixture
def ids(site: Site, people: Clinic) -> dict[str, str]:
    """The fixture caseload seeded: each patient's email -> person id."""
    ctx = site.ctx
    c = join(ctx, people.clinician, "c@example.org", "patient")
    d = join(ctx, people.clinician, "d@example.org", "patient")
    e = join(ctx, people.clinician, "e@example.org", "patient")
    odd = join(ctx, people.clinician, "o'neil&<b>@example.org", "patient")  # escaped
    ids = {
        "o'neil&<b>@example.org": odd.person_id,
        "a@example.org": people.patient_a.person_id,
        "b@example.org": people.patient_b.person_id,
        "c@example.org": c.person_id,
        "d@example.org": d.person_id,
        "e@example.org": e.person_id,
    }
    for actor in (people.patient_a, d, e):  # c: no plan
        plan.prescribe(ctx, people.clinician, actor.person_id, FORM)
    _seed(ctx, ids)
    return ids


async def test_the_caseload_shows_the_same_figures_as_before(
    site: Site, ids: dict[str, str]
) -> None:
    got: dict[str, str] = {}
    async with site.client() as doc:
        await sign_in(doc, "doc@example.org")
        for column, order in SORTS:
            page = await doc.get(f"/caseload?sort={column}&order={order}")
            assert page.status_code == 200
            got[f"page {column} {order}"] = _table(page.text, ids)
            csv = await doc.get(f"/caseload.csv?sort={column}&order={order}")
            got[f"csv {column} {order}"] = csv.text
    assert "b@example.org" not in json.dumps(got)
    assert "o&#39;neil&amp;&lt;b&gt;@example.org</a>" in got["page patient asc"]
    if os.environ.get("SOLEUS_GOLDEN") == "write":
        GOLDEN.write_text(json.dumps(got, indent=1, ensure_ascii=False) + "\n")
    assert got == json.loads(GOLDEN.read_text())


async def test_a_patients_earlier_weeks_count_their_own_days_only(
    site: Site, ids: dict[str, str]
) -> None:
    async with site.client() as doc:
        await sign_in(doc, "doc@example.org")
        page = await doc.get(f"/patients/{ids['a@example.org']}")
    assert page.status_code == 200
    table = re.search(r'<table id="patient-weeks">.*?</table>', page.text, re.S)
    assert table
    weeks = {
        cells[0]: cells[1:]
        for cells in (
            re.findall(r"<td>(.*?)</td>", tr) for tr in re.findall(r"<tr>(.*?)</tr>", table[0])
        )
        if cells
    }
    # done, prescribed, adherence, reps left, right, planned, verified, self, pain, trend,
    # effort: the week before this one holds Monday 23 February's session alone, not
    # everything since (its sets, its effort).
    assert weeks["2026-02-17"] == ["1", "10", "10 %", "10", "0", "200", "0", "1", "9", "–", "9.0"]
    assert weeks["2026-02-24"][:8] == ["6", "10", "60 %", "57", "56", "232", "4", "6"]
    assert weeks["2026-02-10"][3:5] == ["0", "0"]
