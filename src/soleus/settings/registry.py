"""Every setting of soleus, one row each: name, type, default, range or choices, help.

This table is the one source of truth for a setting. The reader of config.toml and
the ``SOLEUS_*`` variables (:mod:`soleus.settings.load`), ``soleus config`` and the
web's reminder settings form are all driven by it. Adding a setting is adding a row
here (and a field to :class:`~soleus.settings.Settings` or
:class:`~soleus.settings.remind.RemindConfig`, which a test keeps in step).

A row's ``section`` is the table of config.toml it lives in: ``""`` for the top level,
``"remind"`` for ``[remind]``. Its environment variable is ``SOLEUS_<NAME>`` or
``SOLEUS_<SECTION>_<NAME>``.
"""

from __future__ import annotations

from dataclasses import KW_ONLY, dataclass
from typing import Any, Literal

from soleus import paths
from soleus.domain.limits import GET_READY_S, PAIN_STOP, PAIN_WARN

ENV_PREFIX = paths.ENV_PREFIX

# path: a folder; text: a string; texts: a string or a list of strings;
# table: a table of strings (file only); choice: one of ``choices``.
Kind = Literal["path", "text", "texts", "table", "bool", "int", "float", "choice"]


@dataclass(frozen=True)
class Setting:
    name: str
    kind: Kind
    default: Any
    help: str
    _: KW_ONLY
    section: str = ""
    lo: float | None = None  # numbers: the smallest value allowed
    hi: float | None = None  # numbers: the largest value allowed
    choices: tuple[str, ...] = ()
    optional: bool = False  # the empty string means "not set" (null in JSON)
    in_file: bool = True  # may be set in config.toml (the folders cannot)
    in_env: bool = True  # may be set by an environment variable
    secret: bool = False  # `soleus config` shows that it is set, not its value
    # The web form: its fieldset (empty: not on the form), label and hint.
    form: str = ""
    label: str = ""
    noun: str = ""  # what the form's messages call it ("daily target")
    hint: str = ""
    placeholder: str = ""
    suggested: tuple[float, ...] = ()  # values the form offers (a datalist)

    @property
    def key(self) -> str:
        """The dotted name: ``pain_stop``, ``remind.interval_min``."""
        return f"{self.section}.{self.name}" if self.section else self.name

    @property
    def env_var(self) -> str | None:
        if not self.in_env:
            return None
        return ENV_PREFIX + self.key.replace(".", "_").upper()

    @property
    def title(self) -> str:
        """What a form's message calls the setting: its noun, else its dotted name."""
        return self.noun or self.key

    def range_text(self) -> str:
        if self.lo is not None and self.hi is not None:
            return f"from {self.lo:g} to {self.hi:g}"
        if self.lo is not None:
            return f"at least {self.lo:g}"
        return f"at most {self.hi:g}" if self.hi is not None else ""


# The top-level and the [remind] tables, with what ``soleus config`` calls them.
SECTIONS: dict[str, str] = {
    "": "General",
    "remind": "Reminders (soleus remind and the Snacks page)",
}


# The [remind] defaults are RemindPolicy()'s (domain/snacks/policy.py) in minutes; a test
# keeps them equal. They are literals here so that reading the settings does not load
# the reminder policy (every command reads the settings; `soleus log` must start fast).


def _remind(name: str, kind: Kind, default: Any, help: str, **more: Any) -> Setting:
    return Setting(name, kind, default, help, section="remind", **more)


ROWS: tuple[Setting, ...] = (
    Setting(
        "data_dir",
        "path",
        None,
        "Where the database and recordings live.",
        in_file=False,
    ),
    Setting(
        "config_dir",
        "path",
        None,
        "Where config.toml and your own routines/exercises live.",
        in_file=False,
    ),
    Setting(
        "database_url",
        "text",
        "",
        "SQLAlchemy URL of the database; empty means SQLite in the data dir.",
        optional=True,
    ),
    Setting(
        "timezone",
        "text",
        "",
        "IANA time zone for days and streaks; empty means the system's.",
        optional=True,
    ),
    Setting("person", "text", "me", "Whose records these are (a shared server has several)."),
    Setting("sound", "bool", True, "Play cue sounds (terminal bell, Web Audio)."),
    Setting(
        "speech",
        "bool",
        True,
        "Speak cues (espeak-ng in the terminal, Speech Synthesis on the web).",
    ),
    Setting(
        "get_ready_s",
        "float",
        GET_READY_S,
        "Seconds of get-ready countdown before the first set.",
        lo=0,
        hi=60,
    ),
    Setting("pain_warn", "int", PAIN_WARN, "Pain (0-10) at which the coach warns.", lo=0, hi=10),
    Setting(
        "pain_stop",
        "int",
        PAIN_STOP,
        "Pain above this (0-10) stops the session and regresses the plan.",
        lo=0,
        hi=10,
    ),
    # -- accounts mode (issue 14) -------------------------------------------------
    Setting(
        "accounts",
        "bool",
        False,
        "Accounts mode: every page and API call needs a signed-in person (PostgreSQL).",
    ),
    Setting(
        "allow_sqlite",
        "bool",
        False,
        "Allow accounts mode on SQLite (a small single-machine install).",
    ),
    Setting(
        "public_url",
        "text",
        "http://127.0.0.1:8000",
        "The address people open soleus at; invitation and reset links start with it.",
    ),
    Setting(
        "signin_max_failures",
        "int",
        5,
        "Wrong passwords for one account before it is locked for signin_lock_min.",
        lo=1,
        hi=1000,
    ),
    Setting(
        "signin_lock_min",
        "int",
        15,
        "Minutes an account stays locked after too many wrong passwords.",
        lo=1,
        hi=1440,
    ),
    Setting(
        "session_idle_hours",
        "int",
        12,
        "Hours a web sign-in lasts unused (accounts mode); it ends after 14 days anyway.",
        lo=1,
        hi=336,
    ),
    Setting(
        "smtp_host",
        "text",
        "",
        "SMTP server for invitation and reset mails; empty: links are only shown.",
        optional=True,
    ),
    Setting("smtp_port", "int", 25, "SMTP server port.", lo=1, hi=65535),
    Setting("smtp_from", "text", "", "Sender address of soleus mails.", optional=True),
    Setting("smtp_starttls", "bool", False, "Use STARTTLS with the SMTP server."),
    Setting("smtp_user", "text", "", "SMTP user name, if the server wants one.", optional=True),
    Setting(
        "smtp_password",
        "text",
        "",
        "SMTP password (better in the environment).",
        optional=True,
        secret=True,
    ),
    # -- serving behind a proxy (soleus serve) ------------------------------------------
    Setting(
        "allowed_hosts",
        "texts",
        "",
        "Host names the web app answers besides localhost (e.g. soleus.example.org).",
    ),
    Setting(
        "trusted_proxies",
        "texts",
        "",
        "Proxy addresses or networks whose X-Forwarded-For/-Proto are believed; empty: none.",
    ),
    Setting(
        "secret_file",
        "text",
        "",
        "File with the web signing secret every instance shares; empty: one in the data dir.",
        optional=True,
    ),
    # -- [remind] -------------------------------------------------------------------
    _remind(
        "interval_min",
        "float",
        30.0,
        "Minutes of continuous sitting before a nudge.",
        lo=1,
        form="Nudges",
        noun="interval (minutes)",
        label="Nudge after this many minutes of sitting",
        hint="30 minutes by default; 20 for more frequent breaks.",
        suggested=(30, 20),
    ),
    _remind(
        "break_min",
        "float",
        5.0,
        "Minutes idle that count as a natural break.",
        lo=0.5,
        form="Nudges",
        noun="natural break (minutes)",
        label="A natural break is idle for at least (minutes)",
    ),
    _remind(
        "target",
        "int",
        3,
        "Exercise snacks a day.",
        lo=0,
        hi=48,
        form="Nudges",
        noun="daily target",
        label="Snacks a day (target)",
    ),
    _remind(
        "stop_at_target",
        "bool",
        False,
        "No more nudges once the target is met.",
        form="Nudges",
        label="No more nudges once the target is met",
    ),
    _remind(
        "hours",
        "text",
        "09:00-17:00",
        "Working hours on a workday (HH:MM-HH:MM, comma-separated).",
        form="Working hours",
        label="Usual hours",
        placeholder="09:00-12:30, 13:30-17:30",
        hint="HH:MM-HH:MM, several separated by commas. A day's own hours below replace them.",
    ),
    _remind(
        "workdays",
        "texts",
        "mon-fri",
        "Days with working hours (mon..sun, ranges like mon-fri).",
        form="Working hours",
        label="Works",
    ),
    _remind(
        "days",
        "table",
        {},
        'Per-weekday hours, e.g. fri = "09:00-13:00"; "" is a day off.',
        in_env=False,
        form="Working hours",
        label="Own hours (optional)",
        placeholder="as usual",
    ),
    _remind(
        "quiet",
        "texts",
        "",
        "Quiet times every day (no nudges), e.g. 12:30-13:30.",
        form="Working hours",
        label="Quiet times (every day, no nudges)",
        placeholder="12:30-13:30",
        hint="For lunch or meetings; a span like 22:00-07:00 crosses midnight.",
    ),
    _remind(
        "snooze_min",
        "float",
        5.0,
        "Minutes a snooze postpones a nudge.",
        lo=1,
        form="Answers",
        noun="snooze (minutes)",
        label="Snooze for (minutes)",
    ),
    _remind(
        "snooze_limit",
        "int",
        2,
        "Snoozes allowed per nudge.",
        lo=0,
        hi=10,
        form="Answers",
        noun="snooze limit",
        label="Snoozes allowed per nudge",
    ),
    _remind(
        "strict",
        "bool",
        False,
        "Ask for a reason when a nudge is skipped.",
        form="Answers",
        label="Strict mode: ask why when I skip",
    ),
    _remind(
        "can_stand",
        "bool",
        False,
        "Offer standing stretches as snacks too.",
        form="Answers",
        label="I can stand up: offer standing stretches too",
    ),
    _remind(
        "answer_timeout_min",
        "float",
        10.0,
        "Unanswered nudges expire after this many minutes.",
        lo=1,
    ),
    _remind("idle_backend", "text", "auto", "Activity detection backend, or auto."),
    _remind(
        "notifier",
        "choice",
        "auto",
        "How the desktop reminder notifies.",
        choices=("auto", "dbus", "terminal"),
    ),
    _remind("poll_s", "float", 30.0, "Seconds between idle samples.", lo=1, hi=600),
    _remind(
        "start_command",
        "text",
        "",
        "Command the Start action runs ({routine} is replaced); empty: a terminal.",
        optional=True,
    ),
)


def rows(section: str) -> tuple[Setting, ...]:
    """The rows of one section, in table order."""
    return tuple(r for r in ROWS if r.section == section)


def row(section: str, name: str) -> Setting:
    return next(r for r in ROWS if r.section == section and r.name == name)


def form_rows(section: str) -> tuple[Setting, ...]:
    """The rows of a section that its web form shows."""
    return tuple(r for r in rows(section) if r.form)
