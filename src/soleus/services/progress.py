"""Today's plan: the chosen routine, adjusted by the pain rule and today's screen."""

from __future__ import annotations

from datetime import timedelta

from soleus.domain.progress import Advice, PainReport, advise
from soleus.services.context import Context
from soleus.services.safety import failed_today
from soleus.store import checks

DEFAULT_ROUTINE = "desk"


def today(ctx: Context, routine_id: str = DEFAULT_ROUTINE) -> Advice:
    routine = ctx.get_routine(routine_id)
    since = ctx.today() - timedelta(days=2)
    with ctx.store.begin() as conn:
        rows = checks.list_pain(conn, person_id=ctx.person_id, since=since)
    pain = [PainReport(r["local_date"], r["score"], r["context"]) for r in rows]
    return advise(
        routine,
        ctx.catalog,
        today=ctx.today(),
        pain=pain,
        screen_failed=failed_today(ctx),
        stop=ctx.settings.pain_stop,
    )
