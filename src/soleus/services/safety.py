"""The red-flag screen as a use case: when it is due, and recording the answers."""

from __future__ import annotations

import uuid
from collections.abc import Mapping

from soleus.domain.safety import ScreenResult, evaluate
from soleus.services.context import Context
from soleus.store import checks


def screen_due(ctx: Context) -> bool:
    """Due before the first session of each day."""
    today = ctx.today()
    with ctx.store.begin() as conn:
        return not checks.list_screens(conn, person_id=ctx.person_id, since=today)


def failed_today(ctx: Context) -> bool:
    today = ctx.today()
    with ctx.store.begin() as conn:
        screens = checks.list_screens(conn, person_id=ctx.person_id, since=today)
    return bool(screens) and not screens[-1]["passed"]


def record_screen(ctx: Context, answers: Mapping[str, bool]) -> ScreenResult:
    result = evaluate(answers)
    now = ctx.now()
    with ctx.store.begin() as conn:
        checks.add_screen(
            conn,
            screen_id=str(uuid.uuid4()),
            person_id=ctx.person_id,
            at=now,
            local_date=ctx.local_date(now),
            answers=dict(answers),
            passed=result.passed,
        )
    return result
