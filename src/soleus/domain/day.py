"""A day's state: the one rule that says whether today is normal, lighter, rest or stopped.

Every entry point (``soleus log``, ``today``, ``session``/``resume``, the web pages and
API, the reminders) asks :func:`decide_day` and says its words: a person is never told
"rest" by one command and "a lighter plan" by the next. Not medical advice.

The rule (Silbernagel's pain-monitoring model, with the person's thresholds ``warn``
and ``stop``, by default 4 and 5):

- **stopped**: a red-flag "yes" today (it stands for the rest of the local day), or
  on the latest earlier day with a screen and none today: a yes stands until a screen
  on a later day is answered "no" throughout (``earlier``).
- **rest**: pain above ``stop`` today in any context (during or after exercise, this
  morning, or at any other time): no exercise until tomorrow.
- **lighter**: pain today from ``warn`` to ``stop``; pain this morning worse than after
  yesterday's exercise; or the day after a rest day (pain above ``stop`` yesterday).
- **normal**: none of these.

Pure: the caller gives today's local date, the recent pain reports, today's screen and
the latest earlier day's screen.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Literal, NamedTuple

from soleus.domain.safety import (
    IF_WORSE,
    PAIN_STOP,
    PAIN_WARN,
    UNTIL_CLEARED,
    ScreenResult,
    pain_zone,
    stopped_until,
)
from soleus.domain.text import day_words

if TYPE_CHECKING:
    from soleus.domain.catalog import Catalog
    from soleus.domain.routine import Routine

Level = Literal["normal", "lighter", "rest", "stopped"]
# From the mildest to the strictest: a day's level is the strictest any rule gives.
LEVELS: tuple[Level, ...] = ("normal", "lighter", "rest", "stopped")
# The levels on which no exercise is done (sessions refused, quick logs marked, no nudges).
NO_EXERCISE: frozenset[Level] = frozenset({"rest", "stopped"})

NOT_ADVICE = "Not medical advice."
SEEK_CARE = (
    "If the calf is swollen, warm or red, or the pain keeps getting worse, get medical"
    " advice (your doctor, or an urgent care line such as NHS 111)."
)
ADVICE: dict[Level, str] = {
    "normal": f"The usual plan today. {NOT_ADVICE}",
    "lighter": (
        "A lighter plan today: fewer sets, fewer reps and shorter holds; don't push"
        f" further. {NOT_ADVICE}"
    ),
    "rest": (
        "Rest the calf today: no exercise until tomorrow, and tomorrow's plan is the"
        f" lighter one. {SEEK_CARE} {NOT_ADVICE}"
    ),
    "stopped": "Stop: no exercise today.",  # then the screen's own care advice
}

# Pain felt outside exercise and not in the morning: compared with the next morning's.
EXERCISE_CONTEXTS = ("during", "after", "other")
_CLOSENESS = {"other": 0, "morning": 1, "after": 2, "during": 3}
_WHEN = {
    "during": "during exercise today",
    "after": "after exercise today",
    "morning": "this morning",
    "other": "today",
}


class PainReport(NamedTuple):
    """One pain score (0-10) on a local day; ``context`` is during, after, morning or other."""

    day: date
    score: int
    context: str


@dataclass(frozen=True)
class DayState:
    """What today is, why, what to do (the same words everywhere) and the plan to do."""

    level: Level
    reason: str
    advice: str
    plan: Routine | None = None

    @property
    def allows_exercise(self) -> bool:
        """False on a rest or stopped day: no sessions, no snack nudges."""
        return self.level not in NO_EXERCISE

    @property
    def words(self) -> str:
        """The reason and the advice in one paragraph: what every entry point says."""
        return f"{self.reason} {self.advice}"


def decide_day(
    *,
    today: date,
    pain: Iterable[PainReport],
    screen: ScreenResult | None = None,
    earlier: tuple[date, ScreenResult] | None = None,
    warn: int = PAIN_WARN,
    stop: int = PAIN_STOP,
    routine: Routine | None = None,
    catalog: Catalog | None = None,
) -> DayState:
    """Today's state from the pain reports (any order; older days are ignored), today's
    red-flag screen (all of today's answers taken together), the latest earlier day with
    a screen (its day and its answers taken together: a "yes" there stands while today
    has no screen) and the thresholds.

    With ``routine`` (and its ``catalog``) the state's plan is that routine on a normal
    day, its lighter version on a lighter day, and None on a rest or stopped day.
    """
    if screen is None and earlier is not None and not earlier[1].passed:
        day, result = earlier
        reason = f"You answered yes to a safety question on {day_words(day)}."
        care = " ".join(result.advice)
        return DayState("stopped", reason, f"{UNTIL_CLEARED} {care} {IF_WORSE} {NOT_ADVICE}")
    level, reason, advice = _decide(today, list(pain), screen, warn, stop)
    plan = None
    if routine is not None and level == "normal":
        plan = routine
    elif routine is not None and level == "lighter":
        from soleus.domain.progress import lighten

        if catalog is None:
            raise ValueError("a lighter plan needs the catalog of its routine")
        plan = lighten(routine, catalog)
    return DayState(level, reason, advice, plan)


def _worst(reports: Iterable[PainReport]) -> PainReport | None:
    """The highest score; of equal ones, the one felt closest to exercise (so the reason
    does not depend on the order of the reports)."""
    return max(reports, key=lambda p: (p.score, _CLOSENESS.get(p.context, -1)), default=None)


def _decide(
    today: date,
    pain: list[PainReport],
    screen: ScreenResult | None,
    warn: int,
    stop: int,
) -> tuple[Level, str, str]:
    if screen is not None and not screen.passed:
        care = " ".join(screen.advice)
        return (
            "stopped",
            "You answered yes to a safety question today.",
            f"{ADVICE['stopped']} {care} {IF_WORSE} {stopped_until(today)} {NOT_ADVICE}",
        )
    now = [p for p in pain if p.day == today]
    worst = _worst(now)
    if worst is not None and pain_zone(worst.score, warn=warn, stop=stop) == "too much":
        when = _WHEN.get(worst.context, "today")
        return "rest", f"Pain was {worst.score}/10 {when}, above {stop}.", ADVICE["rest"]
    yesterday = today - timedelta(days=1)
    before = [p for p in pain if p.day == yesterday]
    high = _worst(before)
    if high is not None and pain_zone(high.score, warn=warn, stop=stop) == "too much":
        reason = f"Yesterday was a rest day (pain {high.score}/10, above {stop})."
        return "lighter", reason, ADVICE["lighter"]
    morning = _worst(p for p in now if p.context == "morning")
    evening = _worst(p for p in before if p.context in EXERCISE_CONTEXTS)
    if morning is not None and evening is not None and morning.score > evening.score:
        reason = (
            f"Pain this morning ({morning.score}/10) is worse than after yesterday's"
            f" exercise ({evening.score}/10)."
        )
        return "lighter", reason, ADVICE["lighter"]
    if worst is not None and pain_zone(worst.score, warn=warn, stop=stop) == "acceptable":
        when = _WHEN.get(worst.context, "today")
        reason = (
            f"Pain was {worst.score}/10 {when}: acceptable if it settles by tomorrow"
            " morning, but a warning."
        )
        return "lighter", reason, ADVICE["lighter"]
    return "normal", "No pain warning.", ADVICE["normal"]
