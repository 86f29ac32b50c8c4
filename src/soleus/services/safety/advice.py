"""Today's state as a use case: the pain reports and screens in the store, decided by
:func:`soleus.domain.day.decide_day`, and the refusal on a day without exercise.

Deciding also rewrites the day-state cache (:mod:`soleus.services.safety.daycache`) that
lets ``soleus log`` give the same advice without opening the store; every writer of pain
or screens calls :func:`refresh` after its commit.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from soleus.domain.day import DayState, PainReport, decide_day
from soleus.domain.safety import last_screened, screened_today
from soleus.errors import SafetyRefusal
from soleus.services.context import Context
from soleus.services.safety import daycache
from soleus.store import checks

DEFAULT_ROUTINE = "desk"


class StopDay(SafetyRefusal):
    """Today is a rest or stopped day: no exercise until tomorrow (exit 3; the message
    is the day's words)."""


def _facts(ctx: Context) -> tuple[date, list[dict[str, Any]], list[dict[str, Any]]]:
    """Today, the pain reports since yesterday, and the screens of today and of the
    latest earlier day that has any (a "yes" there stands until a later screen clears it)."""
    today = ctx.today()
    with ctx.store.read() as conn:
        pain = checks.list_pain(conn, person_id=ctx.person_id, since=today - timedelta(days=1))
        screens = checks.list_screens(conn, person_id=ctx.person_id, since=today)
        earlier = checks.last_screens_before(conn, person_id=ctx.person_id, day=today)
    return today, pain, earlier + [s for s in screens if s["local_date"] == today]


def refresh(ctx: Context) -> DayState:
    """Read today's facts, rewrite the day-state cache, and decide (no plan)."""
    return day_state(ctx)


def day_state(ctx: Context, routine_id: str | None = None) -> DayState:
    """Today's state; with ``routine_id`` its plan is that routine as today allows it."""
    today, pain_rows, screens = _facts(ctx)
    pain = [PainReport(r["local_date"], r["score"], r["context"]) for r in pain_rows]
    if ctx.is_settings_person:  # the cache is `soleus log`'s: the settings' person only
        daycache.write(
            daycache.path_in(ctx.settings.data_dir),
            person=ctx.settings.person,
            written_on=today,
            pain=pain,
            ids=[r["id"] for r in pain_rows],
            screens=[(s["local_date"], s["answers"]) for s in screens],
        )
    routine = ctx.get_routine(routine_id) if routine_id is not None else None
    return decide_day(
        today=today,
        pain=pain,
        screen=screened_today([s["answers"] for s in screens if s["local_date"] == today]),
        earlier=last_screened([(s["local_date"], s["answers"]) for s in screens], before=today),
        warn=ctx.settings.pain_warn,
        stop=ctx.settings.pain_stop,
        routine=routine,
        catalog=ctx.catalog if routine is not None else None,
    )


def check_exercise_allowed(ctx: Context) -> DayState:
    """Today's state; raise :class:`StopDay` (exit 3, the day's words) on a rest or
    stopped day."""
    state = day_state(ctx)
    if not state.allows_exercise:
        raise StopDay(state.words)
    return state
