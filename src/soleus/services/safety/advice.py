"""Today's plan: the chosen routine, adjusted by the pain rule and today's screen."""

from __future__ import annotations

from datetime import timedelta

from soleus.domain.progress import Advice, PainReport, advise, stop_reason
from soleus.errors import SoleusError
from soleus.services.context import Context
from soleus.services.safety.screen import failed_today
from soleus.store import checks

DEFAULT_ROUTINE = "desk"


class StopDay(SoleusError):
    """Today is a stop day: no exercise until tomorrow (the message says why)."""


def _pain(ctx: Context) -> list[PainReport]:
    since = ctx.today() - timedelta(days=2)
    with ctx.store.begin() as conn:
        rows = checks.list_pain(conn, person_id=ctx.person_id, since=since)
    return [PainReport(r["local_date"], r["score"], r["context"]) for r in rows]


def today(ctx: Context, routine_id: str = DEFAULT_ROUTINE) -> Advice:
    routine = ctx.get_routine(routine_id)
    return advise(
        routine,
        ctx.catalog,
        today=ctx.today(),
        pain=_pain(ctx),
        screen_failed=failed_today(ctx),
        stop=ctx.settings.pain_stop,
    )


def stopped_today(ctx: Context) -> str | None:
    """Why today is a stop day (a failed screen, or pain above the stop threshold during
    or after exercise today), or None: no sessions, snacks or exercise logs until tomorrow."""
    return stop_reason(
        today=ctx.today(),
        pain=_pain(ctx),
        screen_failed=failed_today(ctx),
        stop=ctx.settings.pain_stop,
    )


def check_not_stopped(ctx: Context) -> None:
    """Raise :class:`StopDay` (a one-line SoleusError) on a stop day."""
    reason = stopped_today(ctx)
    if reason is not None:
        raise StopDay(reason)
