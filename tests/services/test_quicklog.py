"""Quick logs from the web: what is stored, and the answer (with today's words when due)."""

from __future__ import annotations

import pytest

from soleus.domain.day import ADVICE, Level
from soleus.errors import SoleusError
from soleus.services.context import Context
from soleus.services.logs import quicklog
from soleus.services.reports import history
from soleus.services.safety.advice import day_state
from soleus.store import checks


@pytest.mark.parametrize(
    ("exercise_id", "amount", "side", "said", "rows"),
    [
        ("soleus-pushup", "2x10", None, "Logged Seated soleus pushup 2 × 10 per leg.", 4),
        ("soleus-pushup", "1x8", "left", "Logged Seated soleus pushup 1 × 8 left leg.", 1),
        ("downward-dog", "30s", None, "Logged Downward dog 1 × 30 s both legs.", 1),
    ],
)
def test_sets_are_stored_and_answered_without_advice_on_a_normal_day(
    ctx: Context, exercise_id: str, amount: str, side: str | None, said: str, rows: int
) -> None:
    logged = quicklog.log_sets(ctx, exercise_id=exercise_id, amount=amount, side=side)
    assert (logged.message, logged.advice, logged.level) == (said, None, None)
    [day] = history.history(ctx, days=1)
    assert str(day["date"]) == "2026-03-04"
    assert [s["exercise_id"] for s in day["sets"]] == [exercise_id] * rows
    assert [s["note"] for s in day["sessions"]] == [""]


def test_sets_on_a_rest_day_are_kept_marked_and_answered_with_the_day(ctx: Context) -> None:
    quicklog.log_pain(ctx, score=8, context="during")
    logged = quicklog.log_sets(ctx, exercise_id="soleus-pushup", amount="10", side="right")
    assert logged.level == "rest"
    assert logged.advice == day_state(ctx).words and ADVICE["rest"] in logged.advice
    [day] = history.history(ctx, days=1)
    assert [s["side"] for s in day["sets"]] == ["right"]
    [session] = day["sessions"]
    reason = day_state(ctx).reason
    assert reason and session["note"] == f"Logged on a rest day: {reason}"


def test_a_wrong_amount_or_side_stores_nothing(ctx: Context) -> None:
    with pytest.raises(SoleusError, match=r"^soleus-pushup is counted in reps"):
        quicklog.log_sets(ctx, exercise_id="soleus-pushup", amount="30s", side=None)
    with pytest.raises(SoleusError, match=r"^downward-dog works both legs at once"):
        quicklog.log_sets(ctx, exercise_id="downward-dog", amount="30s", side="left")
    assert history.history(ctx, days=1) == []


@pytest.mark.parametrize(("score", "level"), [(0, "normal"), (4, "lighter"), (10, "rest")])
def test_pain_is_stored_and_answered_with_the_day(ctx: Context, score: int, level: Level) -> None:
    logged = quicklog.log_pain(ctx, score=score, context="after")
    assert logged.message == f"Logged pain {score}/10 (after)."
    assert logged.level == level
    assert logged.advice == day_state(ctx).words and ADVICE[level] in logged.advice
    with ctx.store.begin() as conn:
        [report] = checks.list_pain(conn, person_id=ctx.person_id)
    assert (report["score"], report["context"], str(report["local_date"])) == (
        score,
        "after",
        "2026-03-04",
    )


def test_pain_as_text_is_read_like_the_cli(ctx: Context) -> None:
    assert quicklog.log_pain(ctx, score=" 3 ", context="morning").message == (
        "Logged pain 3/10 (morning)."
    )
    with pytest.raises(SoleusError, match="pain must be from 0 to 10, not 11"):
        quicklog.log_pain(ctx, score=11, context="morning")
