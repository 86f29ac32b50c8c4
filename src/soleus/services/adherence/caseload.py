"""The caseload: one row per patient of the clinician (sessions done vs prescribed,
reps per side vs planned, verified vs self-reported sets, pain and effort, the last red
flag, days inactive), sortable, and as CSV. Who is listed: ``access.own_patients``."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from soleus.domain import adherence
from soleus.domain.adherence import COLUMNS, Facts, Row
from soleus.domain.prescription import Prescription
from soleus.services.accounts import access
from soleus.services.accounts.actor import Actor
from soleus.services.context import Context
from soleus.services.prescriptions.plan import from_json
from soleus.store import adherence as repo
from soleus.store import prescriptions
from soleus.store.adherence import Who

INACTIVE_DAYS = 3  # a patient with no session for this many days is marked inactive
WINDOW_DAYS = 7


# Decoded plans by prescription id (a stored plan never changes, so this never goes
# stale; bounded, oldest out first).
_PLANS: dict[str, Prescription] = {}
_PLANS_MAX = 20_000


def _keep(rx_id: str, rx: Prescription) -> None:
    if len(_PLANS) >= _PLANS_MAX:
        del _PLANS[next(iter(_PLANS))]
    _PLANS[rx_id] = rx


@dataclass(frozen=True)
class Caseload:
    today: date
    days: int
    rows: list[Row]
    inactive_after: int


def rows_for(
    ctx: Context,
    people: list[tuple[str, str]],
    *,
    today: date,
    days: int = WINDOW_DAYS,
    who: Who | None = None,
) -> list[Row]:
    """The rows of ``people`` (id, name) for the ``days`` up to ``today`` (nothing after
    it counts): four grouped queries whatever the number of people (``who``: the query
    that lists them, if there is one), and a lookup of the last session of those with
    none in the window."""
    if not people:
        return []
    ids: Who = [p for p, _ in people] if who is None else who
    first = today - timedelta(days=days - 1)
    with ctx.store.begin() as conn:
        repo.plan_for_these_values(conn)
        roster = repo.roster(conn, person_ids=ids)
        missing = {r[0] for r in roster.values() if r[0] is not None and r[0] not in _PLANS}
        for plan_id, data in prescriptions.plans(conn, ids=list(missing)).items():
            _keep(plan_id, from_json(data, where=f"prescription {plan_id}"))
        done = repo.session_totals(conn, person_ids=ids, first=first, last=today)
        sets = repo.set_totals(conn, person_ids=ids, first=first, last=today)
        pain = repo.worst_pain_by_day(conn, person_ids=ids, first=first, last=today)
        # The last session of anyone without one this week: a lookup for each of them.
        quiet = [p for p, _ in people if p not in done]
        earlier = repo.last_active(conn, person_ids=quiet, last=today)
    out = []
    nothing: dict[date, int] = {}
    for person_id, name in people:
        rx_id, last_flag = roster.get(person_id, (None, None))
        sessions, effort_total, effort_count, last_day = done.get(
            person_id, (0, 0, 0, earlier.get(person_id))
        )
        left, right, verified, all_sets = sets.get(person_id, (0, 0, 0, 0))
        facts = Facts(
            person_id,
            name,
            sessions_done=sessions,
            reps_left=left,
            reps_right=right,
            sets_verified=verified,
            sets_self_reported=all_sets - verified,
            pain_by_day=pain.get(person_id, nothing),
            effort_total=effort_total,
            effort_count=effort_count,
            last_red_flag=last_flag,
            last_active=last_day,
        )
        rx = None if rx_id is None else _PLANS.get(rx_id)
        out.append(adherence.row(facts, rx, today=today, days=days))
    return out


def caseload(
    ctx: Context, actor: Actor, *, sort: str = "patient", descending: bool = False
) -> Caseload:
    """The actor's caseload this week (the last :data:`WINDOW_DAYS` days). A bad sort
    column: ValueError naming the columns."""
    today = ctx.today()
    listed, who = access.own_patients(ctx, actor)
    rows = rows_for(ctx, listed, today=today, who=who)
    return Caseload(
        today, WINDOW_DAYS, adherence.sort(rows, sort, descending=descending), INACTIVE_DAYS
    )


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def as_csv(rows: Iterable[Row]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for r in rows:
        cells = [_cell(r.value(c)) for c in COLUMNS]
        # A name that a spreadsheet would run as a formula is written as text.
        if cells[0][:1] in ("=", "+", "-", "@"):
            cells[0] = "'" + cells[0]
        writer.writerow(cells)
    return out.getvalue()


def weeks(
    ctx: Context, actor: Actor, patient_id: str, *, count: int = 12
) -> list[tuple[date, Row]]:
    """One patient's rows week by week (newest first), for their page: NotFound unless
    the actor is their clinician."""
    patient = access.patient_context(ctx, actor, patient_id, write=False)
    today = ctx.today()
    out = []
    for k in range(count):
        end = today - timedelta(weeks=k)
        (row,) = rows_for(ctx, [(patient.person_id, patient.person_name)], today=end)
        out.append((end - timedelta(days=WINDOW_DAYS - 1), row))
    return out
