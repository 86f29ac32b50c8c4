"""The days after a red-flag "yes": `soleus today`, `log`, `session` and the reminder
engine all stay stopped, with the same words, until the screen is answered "no" to every
question on a later day (FakeClock through the CLI's clock)."""

from __future__ import annotations

import io

import pytest
from tests.cli.cli_helpers import fix_clock, run

from soleus.services import open_context
from soleus.services.snacks import records

DAY = 24 * 3600.0
STILL = "You answered yes to a safety question on Wednesday 4 March."
UNTIL = "Stop: no exercise until you take the safety check again and answer no to every"


def said(out: str, err: str = "") -> str:
    return " ".join((out + err).split())


def reminders_stopped() -> bool:
    ctx = open_context()
    try:
        return records.engine(ctx, records.policy(ctx)).stopped
    finally:
        ctx.store.close()


def test_a_yes_stands_on_the_next_days_everywhere_until_a_screen_says_no(
    env: dict[str, str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = fix_clock(monkeypatch)  # Wednesday 4 March in Berlin
    monkeypatch.setattr("sys.stdin", io.StringIO("y\nn\nn\nn\n"))  # a swollen calf
    code, out, _ = run(capsys, "screen")
    assert code == 3 and "blood clot" in out

    for _ in range(2):  # Thursday, then Friday
        clock.advance(DAY)
        code, out, err = run(capsys, "today")
        today = said(out, err)
        assert code == 0 and STILL in today and UNTIL in today
        assert "blood clot" in today and "Not medical advice." in today
        assert "soleus screen" in today and "soleus session" not in today
        # A quick log is kept (nothing done is lost) but answered with the same words.
        code, out, err = run(capsys, "log", "soleus-pushup", "2x10")
        logged = said(out, err)
        assert code == 0 and "Logged" in logged and STILL in logged and UNTIL in logged
        assert reminders_stopped()  # no nudges either

    # The session asks the screen again (due today) rather than refusing outright;
    # unanswered questions are not a pass.
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    code, out, err = run(capsys, "session")
    assert code == 3 and "Safety check." in out and "not answered" in said(out, err)
    code, out, err = run(capsys, "today")
    assert STILL in said(out, err)

    # All "no" on a later day clears the stop everywhere.
    monkeypatch.setattr("sys.stdin", io.StringIO("n\nn\nn\nn\n"))
    code, out, _ = run(capsys, "screen")
    assert code == 0 and "nothing that stops you today" in out
    code, out, err = run(capsys, "today")
    assert "The usual plan today." in out and "You answered yes" not in said(out, err)
    code, out, err = run(capsys, "log", "soleus-pushup", "2x10")
    assert code == 0 and "You answered yes" not in said(out, err)
    assert not reminders_stopped()


def test_a_session_on_the_next_day_asks_the_screen_and_a_yes_keeps_the_stop(
    env: dict[str, str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = fix_clock(monkeypatch)
    monkeypatch.setattr("sys.stdin", io.StringIO("n\ny\nn\nn\n"))  # breathless: emergency
    assert run(capsys, "screen")[0] == 3
    clock.advance(DAY)
    # A yes again keeps the stop, now with today's words.
    monkeypatch.setattr("sys.stdin", io.StringIO("n\nn\ny\nn\n"))
    code, out, err = run(capsys, "session")
    assert code == 3 and "You answered yes to a safety question today." in said(out, err)
