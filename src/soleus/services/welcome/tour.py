"""The first-run welcome as a use case: whether it is due, the goals it offers, and
finishing or skipping it.

Its state is a column of the person (``persons.welcome``), so a second web instance
sees it. Finishing checks every answer before anything is written: the red-flag screen
goes through :mod:`soleus.services.safety.screen` and the working hours through the
``[remind]`` form (:mod:`soleus.services.snacks.settings`), the same rules as the
Safety and Snacks pages.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from soleus.domain.safety import RED_FLAGS, ScreenResult
from soleus.errors import SoleusError
from soleus.services.context import Context
from soleus.services.safety import screen
from soleus.services.snacks import settings as snack_settings
from soleus.store import people

# The three goals, each a built-in routine: the seed's seated sets, the research's
# sustained bout, and the whole calf routine.
GOAL_IDS = ("desk", "spu-bout", "full")
DEFAULT_GOAL = "desk"

# What the soleus pushup is, in three sentences (see content/about.md and science.md).
WHAT_IT_IS = (
    "The soleus is the flat muscle under your calf; it can keep working for hours without tiring.",
    "A soleus pushup is done sitting down: keep the front of your foot on the floor,"
    " lift the heel as high as it goes, then let it drop back.",
    "Researchers found that doing it for long stretches while seated kept that muscle"
    " burning fuel; soleus helps you do it often, with good form and safely.",
)


class Problem(SoleusError):
    """A welcome answer that cannot be used; ``field`` names the form field it is about."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class Problems(SoleusError):
    """Every answer of the welcome that cannot be used (the message: the first)."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems[0].message)
        self.problems = problems


@dataclass(frozen=True)
class Goal:
    """One goal to choose: a built-in routine, with its size in words."""

    routine_id: str
    name: str
    summary: str
    minutes: int
    sets: int


@dataclass(frozen=True)
class Finished:
    """The welcome is done: the first session's routine, or the screen that said stop."""

    routine_id: str
    screen: ScreenResult


def pending(ctx: Context) -> bool:
    """True until the person has done or skipped the welcome."""
    with ctx.store.begin() as conn:
        return people.welcome(conn, person_id=ctx.person_id) is None


def outcome(ctx: Context) -> str | None:
    """ "done", "skipped", or None while the welcome is still due."""
    with ctx.store.begin() as conn:
        return people.welcome(conn, person_id=ctx.person_id)


def goals(ctx: Context) -> list[Goal]:
    """The goals on offer, in order: the built-in routines that load."""
    from soleus.domain.routine import Plan

    out = []
    for routine_id in GOAL_IDS:
        routine = ctx.routines.get(routine_id)
        if routine is None:
            continue
        plan = Plan.build(routine, ctx.catalog)
        minutes = max(1, round(plan.estimated_seconds() / 60))
        out.append(Goal(routine.id, routine.name, routine.summary, minutes, len(plan.sets)))
    return out


def working_hours(ctx: Context) -> str:
    """The usual working hours now in config.toml (the form's starting value)."""
    config, _ = snack_settings.current(ctx.settings.config_dir)
    return config.hours


def finish(ctx: Context, form: Mapping[str, str]) -> Finished:
    """Check the answers, goal and hours (every problem is raised together, as
    :class:`Problems`); then record the screen, write the hours and mark the welcome
    done. On any problem nothing is written."""
    problems: list[Problem] = []
    answers = {}
    for q in RED_FLAGS:
        value = form.get(q.id)
        if value not in ("yes", "no"):
            problems.append(Problem(q.id, "Please answer yes or no"))
        answers[q.id] = value == "yes"
    goal = form.get("goal", "")
    if goal not in {g.routine_id for g in goals(ctx)}:
        problems.append(Problem("goal", "Please choose a goal"))
    hours = form.get("hours", "").strip()
    table: dict[str, Any] = {}
    if not hours:
        problems.append(Problem("hours", "Please give your working hours as HH:MM-HH:MM"))
    else:
        try:
            table = snack_settings.hours_table(ctx.settings.config_dir, hours)  # not written
        except SoleusError as error:
            problems.append(Problem("hours", error.message))
    if problems:
        raise Problems(problems)
    result = screen.record_screen(ctx, answers)
    if ctx.is_settings_person:  # accounts mode: config.toml is everyone's, admins change it
        snack_settings.write_remind(snack_settings.config_path(ctx.settings.config_dir), table)
    _mark(ctx, "done")
    return Finished(goal, result)


def skip(ctx: Context) -> None:
    """Skip the welcome; it is never shown again (Today still offers the tour)."""
    if outcome(ctx) is None:
        _mark(ctx, "skipped")


def _mark(ctx: Context, what: str) -> None:
    with ctx.store.begin() as conn:
        people.set_welcome(conn, person_id=ctx.person_id, outcome=what, at=ctx.now())
