"""The ``[remind]`` table of config.toml (and ``SOLEUS_REMIND_*``) -> a checked policy.

Example::

    [remind]
    interval_min = 20          # nudge after this much continuous sitting (30 by default)
    break_min = 5              # idle this long is a natural break
    target = 3                 # snacks a day
    workdays = "mon-fri"
    hours = "09:00-12:30, 13:30-17:30"
    quiet = "12:30-13:30"
    snooze_min = 5
    snooze_limit = 2
    strict = false             # ask for a reason when skipping
    can_stand = true           # offer standing stretches too

    [remind.days]
    fri = "09:00-13:00"        # per-weekday override; "" = day off
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from soleus.domain.snacks.policy import DAY_NAMES, RemindPolicy, Window, merge, parse_windows
from soleus.errors import SoleusError

ENV_PREFIX = "SOLEUS_REMIND_"


class RemindConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    interval_min: float = Field(30.0, description="Minutes of continuous sitting before a nudge.")
    break_min: float = Field(5.0, description="Minutes idle that count as a natural break.")
    target: int = Field(3, description="Exercise snacks a day.")
    workdays: str | list[str] = Field("mon-fri", description="Days with working hours.")
    hours: str = Field("09:00-17:00", description="Working hours on a workday.")
    days: dict[str, str] = Field(default_factory=dict, description="Per-weekday hours.")
    quiet: str | list[str] = Field("", description="Quiet times every day (no nudges).")
    snooze_min: float = Field(5.0, description="Minutes a snooze postpones a nudge.")
    snooze_limit: int = Field(2, description="Snoozes allowed per nudge.")
    answer_timeout_min: float = Field(10.0, description="Unanswered nudges expire after this.")
    strict: bool = Field(False, description="Ask for a reason when a nudge is skipped.")
    can_stand: bool = Field(False, description="Offer standing stretches as snacks too.")
    stop_at_target: bool = Field(False, description="No more nudges once the target is met.")
    idle_backend: str = Field("auto", description="Activity detection backend, or auto.")
    notifier: Literal["auto", "dbus", "terminal"] = Field("auto", description="How to notify.")
    poll_s: float = Field(30.0, ge=1, le=600, description="Seconds between idle samples.")
    start_command: str = Field(
        "", description="Command the Start action runs ({routine} is replaced)."
    )

    def policy(self) -> RemindPolicy:
        """The domain policy; raises a one-line SoleusError if it contradicts itself."""
        week = _week(self.workdays, self.hours, self.days)
        quiet_text = self.quiet if isinstance(self.quiet, str) else ", ".join(self.quiet)
        quiet = parse_windows(quiet_text, what="remind.quiet", wrap=True)
        policy = RemindPolicy(
            week=week,
            quiet=merge(quiet),
            interval_s=self.interval_min * 60,
            break_s=self.break_min * 60,
            target=self.target,
            snooze_s=self.snooze_min * 60,
            snooze_limit=self.snooze_limit,
            answer_timeout_s=self.answer_timeout_min * 60,
            strict=self.strict,
            can_stand=self.can_stand,
            stop_at_target=self.stop_at_target,
        )
        policy.check()
        return policy


def _week(
    workdays: str | list[str], hours: str, days: Mapping[str, str]
) -> tuple[tuple[Window, ...], ...]:
    chosen = _parse_days(workdays)
    base = parse_windows(hours, what="remind.hours")
    week = [base if i in chosen else () for i in range(7)]
    for name, text in days.items():
        key = name.strip().lower()[:3]
        if key not in DAY_NAMES:
            raise SoleusError(f"remind.days: unknown day {name!r} (use mon..sun)")
        week[DAY_NAMES.index(key)] = parse_windows(text, what=f"remind.days.{name}")
    return tuple(week)


def _parse_days(spec: str | list[str]) -> set[int]:
    parts = spec if isinstance(spec, list) else spec.replace(" ", "").split(",")
    out: set[int] = set()
    for part in parts:
        part = part.strip().lower()
        if not part:
            continue
        ends = part.split("-")
        try:
            idx = [DAY_NAMES.index(e[:3]) for e in ends]
        except ValueError:
            raise SoleusError(f"remind.workdays: cannot read {part!r} (use mon..sun)") from None
        if len(idx) == 1:
            out.add(idx[0])
        elif len(idx) == 2:
            a, b = idx
            out.update(range(a, b + 1) if a <= b else [*range(a, 7), *range(0, b + 1)])
        else:
            raise SoleusError(f"remind.workdays: cannot read {part!r}")
    return out


def load(config_dir: Path, env: Mapping[str, str]) -> RemindConfig:
    """Read ``[remind]`` and apply ``SOLEUS_REMIND_<KEY>`` overrides."""
    path = config_dir / "config.toml"
    raw: dict[str, Any] = {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        data = {}
    except (OSError, UnicodeDecodeError) as error:
        raise SoleusError(f"cannot read config file ({error})", where=str(path)) from None
    except tomllib.TOMLDecodeError as error:
        raise SoleusError(f"not valid TOML: {error}", where=str(path)) from None
    table = data.get("remind", {})
    if not isinstance(table, dict):
        raise SoleusError("[remind] must be a table", where=str(path))
    raw.update(table)
    for name in RemindConfig.model_fields:
        value = env.get(ENV_PREFIX + name.upper())
        if value is not None and name != "days":
            raw[name] = value
    try:
        return RemindConfig.model_validate(raw)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise SoleusError(f"remind.{where}: {first['msg']}", where=str(path)) from None


def load_policy(config_dir: Path, env: Mapping[str, str]) -> tuple[RemindConfig, RemindPolicy]:
    config = load(config_dir, env)
    return config, config.policy()
