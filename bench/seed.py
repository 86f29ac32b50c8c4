"""Ten years of daily logs for the benches: ~20,000 sets, written in one transaction."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import insert

from soleus.services.context import Context
from soleus.store.schema import pain_reports, sessions, set_logs


def seed_years(ctx: Context, *, years: int = 10, seed: int = 7) -> int:
    """Daily desk sessions (3 sets × left/right of SPU, sometimes a stretch) and pain."""
    rng = random.Random(seed)
    today = ctx.today()
    start = today - timedelta(days=365 * years)
    person = ctx.person_id
    session_rows, set_rows, pain_rows = [], [], []
    day = start
    while day <= today:
        at = datetime.combine(day, time(10, rng.randint(0, 59)), tzinfo=UTC)
        sid = str(uuid.uuid4())
        session_rows.append(
            dict(
                id=sid,
                person_id=person,
                source="player",
                status="finished",
                routine_id="desk",
                routine_name="Desk",
                routine=None,
                started_at=at.replace(tzinfo=None),
                ended_at=at.replace(tzinfo=None),
                local_date=day,
                effort=rng.randint(2, 6),
                pain=None,
                note="",
                recording=None,
            )
        )
        n = 0
        for set_number in (1, 2, 3):
            for side in ("left", "right"):
                if len(set_rows) % 10 == 9 and side == "right":
                    continue  # a little asymmetry
                set_rows.append(
                    dict(
                        id=str(uuid.uuid4()),
                        session_id=sid,
                        person_id=person,
                        plan_index=n,
                        exercise_id="soleus-pushup",
                        kind="reps",
                        side=side,
                        set_number=set_number,
                        target_reps=10,
                        actual_reps=rng.choice([8, 9, 10, 10, 10]),
                        target_seconds=None,
                        actual_seconds=None,
                        skipped=False,
                        completed_at=at.replace(tzinfo=None),
                        local_date=day,
                    )
                )
                n += 1
        if rng.random() < 0.3:
            pain_rows.append(
                dict(
                    id=str(uuid.uuid4()),
                    person_id=person,
                    at=at.replace(tzinfo=None),
                    local_date=day,
                    score=rng.randint(0, 4),
                    context="after",
                    session_id=sid,
                )
            )
        day += timedelta(days=1)
    with ctx.store.begin() as conn:
        conn.execute(insert(sessions), session_rows)
        conn.execute(insert(set_logs), set_rows)
        conn.execute(insert(pain_reports), pain_rows)
    return len(set_rows)
