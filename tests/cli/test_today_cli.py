"""`soleus today`, `session`, `resume` and `history` know the day: what was done, the
unfinished session and how to go on, in the person's time zone."""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from tests.cli.cli_helpers import run

from soleus.services import open_context
from soleus.services.context import Context

SOLEUS = Path(sys.executable).parent / "soleus"
TZ = "America/Los_Angeles"


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    values = {
        "SOLEUS_DATA_DIR": str(tmp_path / "data"),
        "SOLEUS_CONFIG_DIR": str(tmp_path / "cfg"),
        "SOLEUS_TIMEZONE": TZ,
        "NO_COLOR": "1",
    }
    for key, value in values.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("SOLEUS_DATABASE_URL", raising=False)
    return values


@pytest.fixture
def ctx(env: dict[str, str]) -> Iterator[Context]:
    """The same data as the commands, the screen passed for today."""
    from soleus.domain.safety import RED_FLAGS
    from soleus.services.safety.screen import record_screen

    context = open_context()
    record_screen(context, {q.id: False for q in RED_FLAGS})
    yield context
    context.store.close()


def two_of_six(ctx: Context) -> tuple[str, str]:
    """A desk session closed after 2 of its 6 sets; its id and local start time."""
    from soleus.services.sessions import guided

    sid, _ = guided.started(ctx, ctx.get_routine("desk"))
    for i in (0, 1):
        guided.record(ctx, sid, plan_index=i, actual_reps=10, actual_seconds=None, skipped=False)
    started = guided.get(ctx, sid)["started_at"]
    return sid, f"{started.astimezone(ZoneInfo(TZ)):%H:%M}"


def test_today_shows_what_is_done_and_how_to_resume(
    ctx: Context, capsys: pytest.CaptureFixture[str]
) -> None:
    sid, local = two_of_six(ctx)
    assert run(capsys, "log", "soleus-pushup", "1x10", "--side", "left")[0] == 0
    assert run(capsys, "log", "wall-calf-stretch", "1x30s", "--side", "right")[0] == 0
    code, out, _ = run(capsys, "today")
    assert code == 0
    text = " ".join(out.split())
    assert "Seated soleus pushup: 3 × 10 per leg — done: left 2/3, right 1/3" in text
    assert "Done today: 4 sets (2 quick logs)" in text
    assert "beyond the plan: wall-calf-stretch right 1" in text
    assert f"Unfinished: Desk break, 2 of 6 sets done (started {local})." in text
    assert "Go on at set 3 of 6: soleus resume" in text
    assert "Start:" not in text  # not "the usual plan ... Start" as if nothing was done

    code, out, _ = run(capsys, "today", "--json")
    day = json.loads(out)["today"]
    [unfinished] = day["unfinished"]
    assert (unfinished["id"], unfinished["done"], unfinished["next_set"]) == (sid, 2, 3)
    assert unfinished["started_at"].endswith(("-08:00", "-07:00"))  # Los Angeles time
    assert day["left"] == 3 and {r["side"]: r["left"] for r in day["remaining"]} == {
        "left": 1, "right": 2
    }  # fmt: skip


def test_today_after_the_whole_plan_says_it_is_done(
    ctx: Context, capsys: pytest.CaptureFixture[str]
) -> None:
    out = run(capsys, "today")[1]
    assert "Start: soleus session desk" in out and "Done today: 0 sets" in out
    assert run(capsys, "log", "soleus-pushup", "3x10", "--side", "each")[0] == 0
    out = run(capsys, "today")[1]
    assert "Today's plan is done." in out and "Start:" not in out


def _sessions(capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    code, out, _ = run(capsys, "history", "--json")
    assert code == 0
    return [s for day in json.loads(out) for s in day["sessions"]]


def test_session_without_a_terminal_resumes_nothing_and_says_how(
    ctx: Context, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    _, local = two_of_six(ctx)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    code, out, err = run(capsys, "session", "desk")
    assert code == 2, (out, err)
    line = " ".join(err.split())
    assert f"Desk break has an unfinished session from {local} (2 of 6 sets done)" in line
    assert "soleus resume desk" in line and "soleus session desk --new" in line
    assert [s["status"] for s in _sessions(capsys)] == ["active"]  # nothing started


def test_resume_without_an_unfinished_session_today_says_so(
    ctx: Context, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "resume")
    assert code == 2 and "no unfinished session today" in err
    code, _, err = run(capsys, "resume", "dsk")
    assert code == 2 and "'desk'" in err


def test_history_groups_by_day_and_session_and_keeps_the_flat_view(
    ctx: Context, capsys: pytest.CaptureFixture[str]
) -> None:
    from soleus.services.sessions import guided

    sid, local = two_of_six(ctx)
    guided.finish(ctx, sid, effort=6, pain=3, status="abandoned")
    assert run(capsys, "log", "soleus-pushup", "2x10", "--side", "left")[0] == 0
    code, out, _ = run(capsys, "history")
    assert code == 0
    assert f"{local}  Desk break: abandoned, 2 of 6 sets done · effort 6/10, pain 3/10" in out
    assert "soleus-pushup: left 1/3, right 1/3" in out
    assert "logged soleus-pushup 2 × 10 left" in out and "pain 3/10 (after)" in out
    [day] = json.loads(run(capsys, "history", "--json")[1])
    assert [s["status"] for s in day["sessions"]] == ["abandoned"]
    assert [len(q["sets"]) for q in day["quick_logs"]] == [2]
    [flat] = json.loads(run(capsys, "history", "--sets", "--json")[1])
    assert len(flat["sets"]) == 4 and flat["sessions"][0]["id"] == sid
    assert "set 2 L   10/10 reps" in run(capsys, "history", "--sets")[1]


class Terminal:
    """soleus on a real 80×24 pseudo-terminal: type keys, wait for words."""

    def __init__(self, env: dict[str, str], *args: str) -> None:
        import fcntl
        import pty
        import struct
        import termios

        self.leader, follower = pty.openpty()
        fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        self.proc = subprocess.Popen(
            [str(SOLEUS), *args],
            env={**os.environ, **env, "TERM": "xterm-256color", "SOLEUS_SPEECH": "off"},
            stdin=follower,
            stdout=follower,
            stderr=follower,
            start_new_session=True,
        )
        os.close(follower)
        self.seen = ""

    def expect(self, words: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while words not in self.seen:
            assert time.monotonic() < deadline, f"{words!r} not seen in {self.seen[-800:]!r}"
            ready, _, _ = select.select([self.leader], [], [], 0.2)
            if ready:
                try:
                    self.seen += os.read(self.leader, 65536).decode("utf-8", "replace")
                except OSError:
                    break

    def send(self, keys: str) -> None:
        os.write(self.leader, keys.encode())

    def close(self) -> int:
        code = self.proc.wait(timeout=30)
        os.close(self.leader)
        return code


def test_session_on_a_terminal_asks_to_resume_or_start_over(
    ctx: Context, capsys: pytest.CaptureFixture[str], env: dict[str, str]
) -> None:
    sid, _ = two_of_six(ctx)
    term = Terminal(env, "session", "desk")
    term.expect("Resume it (r) or start over (n)?")
    term.send("r\n")
    term.expect("Resuming Desk break: 2 of 6 sets done, going on at set 3 of 6.")
    term.expect("·  3 of 6")  # the player's counter keeps the plan's numbering
    term.send("q")
    term.expect("Stopped.")
    assert term.close() == 0
    assert [(s["id"], s["status"]) for s in _sessions(capsys)] == [(sid, "active")]

    term = Terminal(env, "session", "desk")
    term.expect("Resume it (r) or start over (n)?")
    term.send("n\n")
    term.expect("·  1 of 6")
    term.send("q")
    term.expect("Stopped.")
    assert term.close() == 0
    old, new = _sessions(capsys)
    assert (old["id"], old["status"], old["done"]) == (sid, "abandoned", 2)
    assert new["status"] == "active"

    term = Terminal(env, "session", "desk", "--new")  # no question: the old one ends
    term.expect("·  1 of 6")
    term.send("q")
    term.expect("Stopped.")
    assert term.close() == 0
    assert [s["status"] for s in _sessions(capsys)] == ["abandoned", "abandoned", "active"]


def test_keys_typed_while_session_starts_do_not_answer_or_linger(env: dict[str, str]) -> None:
    import pty

    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [str(SOLEUS), "session"],
        env={**os.environ, **env},
        stdin=slave,
        stdout=slave,
        stderr=slave,
        start_new_session=True,
    )
    os.close(slave)
    try:
        os.write(master, b"zz")  # typed at once, while soleus is still starting
        seen = b""
        deadline = time.monotonic() + 30
        while b"[y/n]" not in seen and time.monotonic() < deadline:
            if select.select([master], [], [], 1)[0]:
                seen += os.read(master, 4096)
        assert b"[y/n]" in seen, seen
        question_line = seen.rsplit(b"\x1b[K", 1)[-1]
        assert b"zz" not in question_line  # the echo was wiped from the question's line
        os.write(master, b"n\n")  # the first answer is the one typed after the question
        time.sleep(0.5)
        more = os.read(master, 4096) if select.select([master], [], [], 2)[0] else b""
        assert b"Please answer y or n" not in seen + more
    finally:
        proc.kill()
        proc.wait()
        os.close(master)
