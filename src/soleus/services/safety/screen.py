"""The red-flag screen as a use case: when it is due, and recording the answers.

A "yes" stands for the rest of that local day (see :mod:`soleus.domain.safety`): a
later screen the same day is evaluated together with the earlier ones, so it cannot
clear the stop. The CLI and the web both decide through these functions.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from soleus.domain.safety import ScreenResult, evaluate, screened_today
from soleus.services.context import Context
from soleus.store import checks


def _screens_today(ctx: Context) -> list[dict[str, Any]]:
    today = ctx.today()
    with ctx.store.read() as conn:
        screens = checks.list_screens(conn, person_id=ctx.person_id, since=today)
    return [s for s in screens if s["local_date"] == today]


def screen_due(ctx: Context) -> bool:
    """Due before the first session of each day."""
    return not _screens_today(ctx)


def failed_today(ctx: Context) -> bool:
    """Any screen today had a "yes": no exercise until tomorrow."""
    return any(not s["passed"] for s in _screens_today(ctx))


def today_result(ctx: Context) -> ScreenResult | None:
    """Today's screens taken together, or None: its flagged questions (and advice) are
    every "yes" given today."""
    return screened_today(s["answers"] for s in _screens_today(ctx))


def record_screen(ctx: Context, answers: Mapping[str, bool]) -> ScreenResult:
    """Record one screen; the result counts today's earlier answers too."""
    earlier = [s["answers"] for s in _screens_today(ctx)]
    result = evaluate(answers, earlier=earlier)
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
    from soleus.services.safety.advice import refresh

    refresh(ctx)  # the day-state cache of `soleus log` sees the new answers
    return result
