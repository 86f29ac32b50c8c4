"""One day, one set of words: `log`, `today`, `session` and `resume` agree, and a
refusal on safety grounds is exit 3 with one plain line (bad input stays exit 2)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator

import pytest
from tests.cli.cli_helpers import run

from soleus.domain.safety import RED_FLAGS
from soleus.services.context import Context

NO = {q.id: False for q in RED_FLAGS}


@pytest.fixture
def ctx(env: dict[str, str]) -> Iterator[Context]:
    """The services on the same data dir as the commands (as the web app would be)."""
    from soleus.services import open_context

    context = open_context()
    yield context
    context.store.close()


def flat(text: str) -> str:
    return " ".join(text.split())


def today_words(capsys: pytest.CaptureFixture[str]) -> dict[str, str]:
    code, out, err = run(capsys, "today", "--json")
    assert code == 0, err
    data: dict[str, str] = json.loads(out)
    return data


def refused_with(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    """Exit 3, one plain line on stderr (no "error:"), nothing on stdout but questions."""
    code, out, err = run(capsys, *args)
    assert code == 3, (args, code, out, err)
    lines = err.strip("\n").splitlines()
    assert len(lines) == 1, err
    assert "error" not in lines[0] and "Traceback" not in out + err
    return lines[0]


@pytest.mark.parametrize("context", ["during", "after", "morning", "other"])
def test_pain_7_in_any_context_says_rest_in_log_today_and_session(
    env: dict[str, str], ctx: Context, capsys: pytest.CaptureFixture[str], context: str
) -> None:
    from soleus.services.safety import screen

    screen.record_screen(ctx, NO)  # today's questions answered: only the pain decides
    code, logged, err = run(capsys, "log", "pain", "7", "--context", context)
    assert code == 0, err
    state = today_words(capsys)
    assert state["level"] == "rest" and state["routine"] is None
    words = f"{state['reason']} {state['advice']}"
    assert words in logged and "Rest the calf today" in words
    code, out, _ = run(capsys, "today")
    assert code == 0 and words in flat(out) and "soleus session" not in out
    assert refused_with(capsys, "session") == words
    assert refused_with(capsys, "session", "full") == words


def test_a_lighter_day_is_lighter_in_log_today_and_session(
    env: dict[str, str], ctx: Context, capsys: pytest.CaptureFixture[str]
) -> None:
    from soleus.services.safety.advice import day_state

    code, logged, _ = run(capsys, "log", "pain", "4", "--context", "morning")
    assert code == 0
    state = today_words(capsys)
    words = f"{state['reason']} {state['advice']}"
    assert state["level"] == "lighter" and words in logged
    assert (
        words in flat(run(capsys, "today")[1]) and "Desk break (lighter)" in run(capsys, "today")[1]
    )
    assert day_state(ctx, "desk").words == words  # what the web and the player are given


def test_resume_is_refused_on_a_rest_day_with_the_same_words(
    env: dict[str, str], ctx: Context, capsys: pytest.CaptureFixture[str]
) -> None:
    from soleus.services.safety import screen
    from soleus.services.sessions import guided

    screen.record_screen(ctx, NO)
    guided.start(ctx, ctx.get_routine("desk"))  # then left unfinished
    assert run(capsys, "log", "pain", "8", "--context", "during")[0] == 0
    state = today_words(capsys)
    assert refused_with(capsys, "resume") == f"{state['reason']} {state['advice']}"


def test_a_refusal_is_not_bad_input(
    env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "log", "pain", "9")[0] == 0
    refused_with(capsys, "session")
    code, _, err = run(capsys, "session", "no-such-routine")
    assert code == 2 and err.startswith("soleus: error: ")


def history_sessions(capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    code, out, err = run(capsys, "history", "--json")
    assert code == 0, err
    [day] = json.loads(out)
    return [s for s in day["quick_logs"] if s["source"] == "quick"]


def test_after_a_yes_an_exercise_log_is_kept_marked_and_answered(
    env: dict[str, str], ctx: Context, capsys: pytest.CaptureFixture[str]
) -> None:
    from soleus.services.safety import screen

    screen.record_screen(ctx, {**NO, "one_calf_swollen": True})
    code, out, err = run(capsys, "log", "soleus-pushup", "10", "--side", "left")
    assert code == 0, err
    state = today_words(capsys)
    assert state["level"] == "stopped"
    assert "Logged soleus-pushup 1 × 10 left leg" in out
    assert f"{state['reason']} {state['advice']}" in out and "blood clot" in out
    [kept] = history_sessions(capsys)
    assert kept["note"] == f"Logged on a stopped day: {state['reason']}"


def test_on_a_rest_day_an_exercise_log_is_kept_and_marked(
    env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "log", "pain", "6", "--context", "other")
    code, out, _ = run(capsys, "log", "wall-calf-stretch", "30s", "--side", "right")
    assert code == 0 and "Rest the calf today" in out
    [kept] = history_sessions(capsys)
    assert str(kept["note"]).startswith("Logged on a rest day: Pain was 6/10 today")


def test_on_a_normal_day_an_exercise_log_says_only_what_was_logged(
    env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "log", "downward-dog", "1x45s")
    assert code == 0 and out.strip().startswith("Logged downward-dog 1 × 45 s both legs")
    assert len(out.strip().splitlines()) == 1
    [kept] = history_sessions(capsys)
    assert kept["note"] == ""


def test_the_quick_log_sees_pain_and_answers_written_elsewhere(
    env: dict[str, str], ctx: Context, capsys: pytest.CaptureFixture[str]
) -> None:
    """The web (or a session) writes to the store; `soleus log` reads the day-state cache,
    which those writers keep up to date."""
    from soleus.services.logs import quicklog
    from soleus.services.safety import screen

    assert run(capsys, "log", "pain", "1")[0] == 0  # a cache exists from here on
    quicklog.log_pain(ctx, score=7, context="after")  # from the web
    _, out, _ = run(capsys, "log", "soleus-pushup", "5")
    assert "Rest the calf today" in out
    screen.record_screen(ctx, {**NO, "heel_pop": True})
    _, out, _ = run(capsys, "log", "pain", "2")
    assert "You answered yes to a safety question today." in out and "Achilles" in out


def test_quick_log_does_not_import_the_database_layer(env: dict[str, str]) -> None:
    script = (
        "import sys\n"
        "from soleus.cli.main import main\n"
        "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
        "print('sqlalchemy' in sys.modules)\n"
    )
    run_env = {**os.environ, **env}

    def soleus(*args: str) -> list[str]:
        done = subprocess.run(
            [sys.executable, "-c", script, *args],
            env=run_env,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        return done.stdout.strip().splitlines()

    soleus("today")  # opens the store once: the cache is written
    *said, imported = soleus("log", "pain", "7")
    assert imported == "False" and "Rest the calf today" in " ".join(said)
    *said, imported = soleus("log", "soleus-pushup", "2x10")
    assert imported == "False" and "Rest the calf today" in " ".join(said)
    *said, _ = soleus("today")
    assert "Pain was 7/10 today, above 5." in " ".join(said)
