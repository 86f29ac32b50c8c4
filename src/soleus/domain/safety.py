"""Red-flag screen and the pain-monitoring rule. Not medical advice; never a diagnosis.

A "yes" stands for the rest of that local day: a later screen on the same day cannot
clear it (answers given to get past a stop are not a reason to exercise). It also
stands on the days after, until the person takes the screen again on a later day and
answers "no" to every question: a possible clot or tendon rupture does not go away
at midnight, and nobody should be nudged back to exercise by a new date alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from soleus.domain.limits import PAIN_STOP as PAIN_STOP
from soleus.domain.limits import PAIN_WARN as PAIN_WARN

Urgency = Literal["emergency", "urgent"]

DISCLAIMER = (
    "soleus is an exercise coach, not a medical device: it does not diagnose or treat"
    " anything. Not medical advice."
)


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    tag: str  # rules out exercises whose ``avoid_if`` names it
    urgency: Urgency
    advice: str


RED_FLAGS: tuple[Question, ...] = (
    Question(
        "one_calf_swollen",
        "Is one calf swollen, warm, red or darker than the other, or throbbing on one side?",
        "clot",
        "urgent",
        "These can be signs of a blood clot in the leg. Get medical advice today (your doctor,"
        " an urgent care line such as NHS 111). Do not massage or foam-roll that calf.",
    ),
    Question(
        "breathless",
        "Are you suddenly short of breath, or have chest pain that is worse when you breathe"
        " in, or have you coughed up blood?",
        "clot",
        "emergency",
        "Call your emergency number now (112, 999 or 911). Do not exercise.",
    ),
    Question(
        "heel_pop",
        "Did you feel a sudden pop or snap at the back of the heel, as if kicked there?",
        "rupture",
        "urgent",
        "That can mean an Achilles tendon injury. Get seen as soon as you can (urgent care"
        " or A&E) and keep weight off the leg until then.",
    ),
    Question(
        "no_tiptoe",
        "Since a recent calf or heel injury, are you unable to rise onto tiptoe on that leg?",
        "rupture",
        "urgent",
        "Not being able to rise onto tiptoe after an injury needs a clinician's look soon"
        " (urgent care or A&E). Rest the leg until then.",
    ),
)


SCREEN_INTRO = (
    "Once a day, before your first session. Answer each question honestly: a yes stops"
    " exercise for the rest of today, even if you answer again later, and on the days"
    " after until you answer again with no to every question."
)

IF_WORSE = (
    "If anything gets worse, or you become suddenly short of breath or have chest pain,"
    " call your emergency number now (112, 999 or 911)."
)


def retry_day(today: date) -> date:
    """The first day a new screen counts after a stop on ``today``."""
    return today + timedelta(days=1)


def stopped_until(today: date) -> str:
    day = retry_day(today)
    return (
        "A yes stands for the rest of today, whatever later answers say. You can take the"
        f" safety check again tomorrow ({day:%A} {day.day} {day:%B}) or later; until you"
        " answer no to every question, there is no exercise."
    )


# The days after a "yes": it stands until a screen on a later day clears it.
UNTIL_CLEARED = (
    "Stop: no exercise until you take the safety check again and answer no to every question."
)


@dataclass(frozen=True)
class ScreenResult:
    answers: Mapping[str, bool]
    flagged: tuple[Question, ...]

    @property
    def passed(self) -> bool:
        return not self.flagged

    @property
    def urgency(self) -> Urgency | None:
        if not self.flagged:
            return None
        return "emergency" if any(q.urgency == "emergency" for q in self.flagged) else "urgent"

    @property
    def avoid(self) -> frozenset[str]:
        return frozenset(q.tag for q in self.flagged)

    @property
    def advice(self) -> tuple[str, ...]:
        ordered = sorted(self.flagged, key=lambda q: q.urgency != "emergency")
        return tuple(dict.fromkeys(q.advice for q in ordered))


def evaluate(
    answers: Mapping[str, bool], *, earlier: Iterable[Mapping[str, bool]] = ()
) -> ScreenResult:
    """Every question must be answered; any "yes" stops the session.

    ``earlier`` are the answers of the same day's earlier screens: a "yes" there still
    counts, so its advice is repeated and the result stays a stop.
    """
    missing = [q.id for q in RED_FLAGS if q.id not in answers]
    if missing:
        raise ValueError(f"unanswered red-flag question: {missing[0]}")
    unknown = sorted(set(answers) - {q.id for q in RED_FLAGS})
    if unknown:
        raise ValueError(f"unknown red-flag question: {unknown[0]}")
    before = [dict(e) for e in earlier]
    flagged = tuple(
        q for q in RED_FLAGS if answers[q.id] or any(e.get(q.id) is True for e in before)
    )
    return ScreenResult(dict(answers), flagged)


def screened_today(answers: Iterable[Mapping[str, bool]]) -> ScreenResult | None:
    """A day's screens taken together (every "yes" given that day), or None if none."""
    given = [dict(a) for a in answers]
    if not given:
        return None
    return evaluate({q.id: False for q in RED_FLAGS}, earlier=given)


def last_screened(
    screens: Iterable[tuple[date, Mapping[str, bool]]], *, before: date
) -> tuple[date, ScreenResult] | None:
    """The latest day before ``before`` with screens, and that day's screens taken
    together (a "yes" there stands until a later day's screen clears it); None if none."""
    days = [day for day, _ in screens if day < before]
    if not days:
        return None
    last = max(days)
    result = screened_today(answers for day, answers in screens if day == last)
    return None if result is None else (last, result)


PainZone = Literal["safe", "acceptable", "too much"]

# PAIN_WARN, PAIN_STOP: the pain-monitoring thresholds (domain/limits.py, imported above).


def pain_zone(score: int, *, warn: int = PAIN_WARN, stop: int = PAIN_STOP) -> PainZone:
    """Silbernagel's pain-monitoring model: 0-3 safe, 4-5 acceptable, above 5 too much."""
    if not 0 <= score <= 10:
        raise ValueError(f"pain must be from 0 to 10, not {score}")
    if score > stop:
        return "too much"
    return "acceptable" if score >= warn else "safe"
