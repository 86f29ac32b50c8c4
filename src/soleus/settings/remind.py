"""The ``[remind]`` rows (and ``SOLEUS_REMIND_*``) as one typed object and its policy.

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

The section is read when it is needed (a broken ``[remind]`` stops the reminders, not
``soleus today``), by the same reader and rules as the rest of config.toml.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from soleus.domain.snacks.policy import RemindPolicy, merge, parse_week, parse_windows
from soleus.settings.load import CONFIG_NAME, Resolved, read, resolve
from soleus.settings.registry import row

SECTION = "remind"


def _default(name: str) -> Any:
    """The registry row's default (one source of truth for it)."""
    return row(SECTION, name).default


@dataclass(frozen=True)
class RemindConfig:
    interval_min: float = field(default=_default("interval_min"))
    break_min: float = field(default=_default("break_min"))
    target: int = field(default=_default("target"))
    stop_at_target: bool = field(default=_default("stop_at_target"))
    hours: str = field(default=_default("hours"))
    workdays: str | list[str] = field(default=_default("workdays"))
    days: dict[str, str] = field(default_factory=lambda: dict(_default("days")))
    quiet: str | list[str] = field(default=_default("quiet"))
    snooze_min: float = field(default=_default("snooze_min"))
    snooze_limit: int = field(default=_default("snooze_limit"))
    strict: bool = field(default=_default("strict"))
    can_stand: bool = field(default=_default("can_stand"))
    answer_timeout_min: float = field(default=_default("answer_timeout_min"))
    idle_backend: str = field(default=_default("idle_backend"))
    notifier: str = field(default=_default("notifier"))
    poll_s: float = field(default=_default("poll_s"))
    start_command: str = field(default=_default("start_command"))

    def policy(self) -> RemindPolicy:
        """The domain policy; raises a one-line SoleusError if it contradicts itself."""
        week = parse_week(self.workdays, self.hours, self.days)
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


def resolved(config_dir: Path, env: Mapping[str, str]) -> list[Resolved]:
    """Each ``[remind]`` row with its value and source."""
    path = config_dir / CONFIG_NAME
    return resolve(SECTION, read(path), env, path)


def load(config_dir: Path, env: Mapping[str, str]) -> RemindConfig:
    """``[remind]`` of config.toml with ``SOLEUS_REMIND_<KEY>`` overrides (typed and in
    range; the policy is not checked yet)."""
    return RemindConfig(**{r.row.name: r.value for r in resolved(config_dir, env)})


def from_table(table: Mapping[str, Any], path: Path) -> RemindConfig:
    """A ``[remind]`` table (no environment) checked as config.toml's would be."""
    values = resolve(SECTION, {SECTION: dict(table)}, {}, path)
    return RemindConfig(**{r.row.name: r.value for r in values})


def load_policy(config_dir: Path, env: Mapping[str, str]) -> tuple[RemindConfig, RemindPolicy]:
    config = load(config_dir, env)
    return config, config.policy()
