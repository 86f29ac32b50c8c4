"""Running the CLI in-process from the tests: exit code, stdout and stderr."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from soleus.cli.main import main
from soleus.clock import SystemClock
from soleus.domain.clock import FakeClock

# 23:30 UTC is already the next day in Berlin: the CLI must take the day where the user is.
NOW = datetime(2026, 3, 3, 23, 30, tzinfo=UTC)
TODAY_IN_BERLIN = date(2026, 3, 4)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """``soleus ARGS``: its exit code (0 when it returns), stdout and stderr."""
    try:
        result = main(list(args))
        code = result if isinstance(result, int) else 0
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    out, err = capsys.readouterr()
    return code, out, err


def fix_clock(monkeypatch: pytest.MonkeyPatch, at: datetime = NOW) -> FakeClock:
    """Every in-process command reads ``at`` as the time (the CLI's only clock is
    :class:`SystemClock`); advance the returned clock to move it."""
    clock = FakeClock(at)
    monkeypatch.setattr(SystemClock, "now", lambda self: clock.now())
    return clock
