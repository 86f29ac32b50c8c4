"""Every command: help text, README, JSON shapes, and the main flows end to end."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from tests.cli.cli_helpers import TODAY_IN_BERLIN, fix_clock, run

from soleus.cli.main import COMMANDS

ROOT = Path(__file__).parents[2]
SOLEUS = Path(sys.executable).parent / "soleus"


def ok(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    code, out, err = run(capsys, *args)
    assert code == 0, (args, out, err)
    return out


def ok_json(capsys: pytest.CaptureFixture[str], *args: str) -> Any:
    return json.loads(ok(capsys, *args))


@pytest.mark.parametrize("name", list(COMMANDS))
def test_every_command_has_help(capsys: pytest.CaptureFixture[str], name: str) -> None:
    out = ok(capsys, name, "--help")
    assert f"soleus {name}" in out
    assert len(out.strip().splitlines()) >= 3
    assert COMMANDS[name].short  # the short help shown by `soleus --help`


def test_top_level_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    out = ok(capsys, "--help")
    for name in COMMANDS:
        assert re.search(rf"^\s+{name}\s", out, re.MULTILINE), name


def _help_examples() -> list[str]:
    """Every line of every command's (and subcommand's) help that is a `soleus ...` call."""
    import click

    from soleus.cli.main import cli

    examples = []
    pending: list[tuple[click.Command, click.Context]] = []
    root = click.Context(cli, info_name="soleus")
    for name in COMMANDS:
        command = cli.get_command(root, name)
        assert command is not None
        pending.append((command, click.Context(command, info_name=name, parent=root)))
    while pending:
        command, ctx = pending.pop()
        text = command.get_help(ctx)
        examples += [m.group(1) for m in re.finditer(r"^ {2,}(soleus [a-z][^`\n]*)$", text, re.M)]
        if isinstance(command, click.Group):
            for name in command.list_commands(ctx):
                sub = command.get_command(ctx, name)
                assert sub is not None
                pending.append((sub, click.Context(sub, info_name=name, parent=ctx)))
    return sorted(examples)


def test_the_help_texts_have_examples() -> None:
    assert any(e.startswith("soleus log ") for e in _help_examples())


# Examples that need a person at the terminal or run until stopped (tested elsewhere).
INTERACTIVE = {"session", "resume", "screen", "serve", "mail-worker"}


@pytest.mark.parametrize(
    "example", [e for e in _help_examples() if e.split()[1] not in INTERACTIVE]
)
def test_every_example_in_the_help_runs(
    env: dict[str, str],
    capsys: pytest.CaptureFixture[str],
    example: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An example a user copies from `--help` must work (on a fresh data dir, with the
    files the examples name in the folder it runs in)."""
    import shlex

    args = shlex.split(example)[1:]
    monkeypatch.chdir(tmp_path)  # files an example reads or writes live here
    _example_files(tmp_path, capsys)
    if "bundle.json" in args and args[0] == "import":  # only this example needs one
        ok(capsys, "export", "--format", "fhir", "-o", str(tmp_path / "bundle.json"))
    if args[0] == "user":  # the organisation and the account the examples name
        ok(capsys, "org", "create", "Praxis Süd")
        _account(capsys, "doc@example.org", "Praxis Süd")
    ok(capsys, *args)


def test_the_mail_worker_queues_without_smtp_once_and_refuses_to_loop_without_it(
    env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert ok(capsys, "mail-worker", "--once") == "queued 0, sent 0 (no SMTP server: they wait)\n"
    code, _, err = run(capsys, "mail-worker", "--every", "60")
    assert code == 2 and "no SMTP server" in err


def _account(capsys: pytest.CaptureFixture[str], email: str, org: str) -> None:
    """An account made the way a person makes one: an invitation taken up."""
    from soleus.services import open_context
    from soleus.services.accounts import links

    url = ok_json(capsys, "user", "invite", email, "--role", "clinician", "--org", org, "--json")
    ctx = open_context()
    try:
        links.accept(ctx, url["url"].rsplit("/", 1)[1], password="correct horse battery")
    finally:
        ctx.store.close()


def _example_files(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """recording.csv, three-reps.csv, my-routine.toml and soleus-export.zip, as the
    examples name them."""
    from soleus.signal.simulate import RepSet, Rest, Sensors, simulate
    from soleus.signal.writers import WRITERS

    sim = simulate([Rest(3), RepSet(10, 30, 5.0), Rest(3)], Sensors(rate_hz=100.0), seed=3)
    (folder / "recording.csv").write_bytes(WRITERS["generic-csv"][1](sim.recording))
    three = simulate([Rest(4), RepSet(3, 20, 4.0), Rest(4)], Sensors(rate_hz=100.0), seed=3)
    (folder / "three-reps.csv").write_bytes(WRITERS["generic-csv"][1](three.recording))
    (folder / "my-routine.toml").write_text(
        'id = "my-routine"\nname = "Mine"\n[[blocks]]\nexercise = "soleus-pushup"\n'
    )
    ok(capsys, "export", "--format", "csv", "-o", str(folder / "soleus-export.zip"))


@pytest.mark.parametrize("name", list(COMMANDS))
def test_every_command_is_in_the_readme(name: str) -> None:
    readme = ROOT / "README.md"
    assert readme.is_file(), "README.md is missing: it must lead with the two commands"
    assert re.search(rf"soleus {re.escape(name)}\b", readme.read_text()), (
        f"`soleus {name}` is not mentioned in README.md"
    )


def test_exercises_json_shape(env: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    data = ok_json(capsys, "exercises", "--json")
    assert isinstance(data, list) and len(data) >= 6
    for item in data:
        assert {"id", "name", "position", "steps", "dosage"} <= set(item)
        assert isinstance(item["steps"], list) and item["steps"]
        assert all(isinstance(s, str) and s for s in item["steps"])
        assert item["dosage"]["kind"] in ("reps", "hold", "bout")
    assert data[0]["id"] == "soleus-pushup"


def test_show_about_routines_today_config(
    env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    shown = ok_json(capsys, "show", "soleus-pushup", "--json")
    assert shown["id"] == "soleus-pushup" and shown["mistakes"]
    assert "Seated soleus pushup" in ok(capsys, "show", "soleus-pushup")
    assert "soleus" in ok(capsys, "about").lower()
    routines = ok_json(capsys, "routines", "--json")
    assert {"desk", "full", "spu-bout"} <= {r["id"] for r in routines}
    assert "desk" in ok(capsys, "routines")
    assert ok_json(capsys, "routine", "show", "desk", "--json")["id"] == "desk"
    today = ok_json(capsys, "today", "--json")
    assert today["level"] == "normal" and today["routine"]["id"] == "desk"
    config = ok_json(capsys, "config", "--json")["settings"]
    assert config["data_dir"] == {"value": env["SOLEUS_DATA_DIR"], "source": "SOLEUS_DATA_DIR"}
    assert config["timezone"]["value"] == "Europe/Berlin"


def test_routine_validate_accepts_a_good_file(
    env: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "mine.toml"
    path.write_text('id = "mine"\nname = "Mine"\n[[blocks]]\nexercise = "soleus-pushup"\n')
    assert "ok" in ok(capsys, "routine", "validate", str(path))


def test_log_then_history_stats_and_today(
    env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    inbox = Path(env["SOLEUS_DATA_DIR"]) / "inbox.jsonl"
    assert "Logged" in ok(capsys, "log", "soleus-pushup", "2x10", "--side", "right")
    ok(capsys, "log", "wall-calf-stretch", "3x30s", "--side", "left")
    ok(capsys, "log", "pain", "7", "--context", "after")
    assert len(inbox.read_text().splitlines()) == 3
    days = ok_json(capsys, "history", "--sets", "--json")  # the flat view
    assert inbox.stat().st_size == 0  # taken into the database
    [day] = days
    assert sorted((s["exercise_id"], s["side"]) for s in day["sets"]) == [
        ("soleus-pushup", "right"),
        ("soleus-pushup", "right"),
        ("wall-calf-stretch", "left"),
        ("wall-calf-stretch", "left"),
        ("wall-calf-stretch", "left"),
    ]
    assert [p["score"] for p in day["pain"]] == [7]
    stats = ok_json(capsys, "stats", "--json")
    assert stats["streak"]["current"] == 1
    assert stats["this_week"]["reps"] == 20
    assert stats["per_exercise"]["wall-calf-stretch"]["seconds"] == 90
    assert ok_json(capsys, "today", "--json")["level"] == "rest"  # pain 7 after exercise
    assert "Streak" in ok(capsys, "stats")
    assert "soleus-pushup" in ok(capsys, "history")


def test_log_on_an_earlier_day(env: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    ok(capsys, "log", "soleus-pushup", "10", "--date", "2026-01-02")
    days = ok_json(capsys, "history", "--days", "3660", "--json")
    assert days[-1]["date"] == "2026-01-02"


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_export_import_round_trip(
    env: dict[str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    fmt: str,
) -> None:
    ok(capsys, "log", "soleus-pushup", "2x10")
    ok(capsys, "log", "pain", "2")
    out_file = tmp_path / f"all.{fmt}"
    ok(capsys, "export", "--format", fmt, "-o", str(out_file))
    first = ok_json(capsys, "export")
    monkeypatch.setenv("SOLEUS_DATA_DIR", str(tmp_path / "other"))
    # 2x10 of a per-leg exercise: two sets on each leg.
    assert "1 session, 4 sets, 1 pain report" in ok(capsys, "import", str(out_file))
    second = ok_json(capsys, "export")
    first.pop("exported_at"), second.pop("exported_at")
    assert first == second
    again = ok(capsys, "import", str(out_file))
    assert "0 sessions, 0 sets, 0 pain reports, 0 safety checks" in again


def _plain_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("SOLEUS_")}
    base.pop("NO_COLOR", None)
    base.pop("FORCE_COLOR", None)
    return {
        **base,
        "SOLEUS_DATA_DIR": str(tmp_path / "data"),
        "SOLEUS_CONFIG_DIR": str(tmp_path / "cfg"),
        "SOLEUS_TIMEZONE": "Europe/Berlin",
        **extra,
    }


def _soleus(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SOLEUS), *args], env=env, capture_output=True, text=True, timeout=60, check=False
    )


def test_real_process_log_is_on_disk_when_it_returns(tmp_path: Path) -> None:
    env = _plain_env(tmp_path)
    done = _soleus(env, "log", "soleus-pushup", "2x10", "--side", "left")
    assert done.returncode == 0, done.stderr
    lines = (tmp_path / "data" / "inbox.jsonl").read_text().splitlines()
    [entry] = [json.loads(line) for line in lines]
    assert entry["exercise_id"] == "soleus-pushup" and len(entry["rows"]) == 2
    done = _soleus(env, "log", "pain", "4")
    assert done.returncode == 0, done.stderr
    assert len((tmp_path / "data" / "inbox.jsonl").read_text().splitlines()) == 2
    history = _soleus(env, "history", "--json")
    assert history.returncode == 0, history.stderr
    [day] = json.loads(history.stdout)
    [logged] = day["quick_logs"]
    assert len(logged["sets"]) == 2 and day["pain"][0]["score"] == 4


def _on_a_terminal(env: dict[str, str], *args: str) -> str:
    """Run soleus with stdout on a pseudo-terminal (as a user sees it); return the output."""
    import pty

    leader, follower = pty.openpty()
    try:
        done = subprocess.run(
            [str(SOLEUS), *args],
            env={**env, "TERM": "xterm-256color", "COLUMNS": "100"},
            stdin=subprocess.DEVNULL,
            stdout=follower,
            stderr=follower,
            timeout=60,
            check=False,
        )
        os.close(follower)
        follower = -1
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # EIO: the terminal is closed and drained
                break
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        if follower != -1:
            os.close(follower)
        os.close(leader)
    assert done.returncode == 0
    return b"".join(chunks).decode("utf-8", "replace")


@pytest.mark.parametrize("args", [("stats",), ("exercises",), ("show", "soleus-pushup")])
def test_no_color_means_no_escape_codes_on_a_terminal(
    tmp_path: Path, args: tuple[str, ...]
) -> None:
    env = _plain_env(tmp_path)
    assert "\x1b[" in _on_a_terminal(env, *args)  # the control: styled on a terminal...
    assert "\x1b[" not in _on_a_terminal({**env, "NO_COLOR": "1"}, *args)  # ...not with NO_COLOR


@pytest.mark.parametrize("args", [("stats",), ("exercises",), ("history",), ("today",)])
def test_no_colour_codes_with_no_color(tmp_path: Path, args: tuple[str, ...]) -> None:
    env = _plain_env(tmp_path)
    plain = _on_a_terminal({**env, "NO_COLOR": "1"}, *args)
    colour = re.compile(r"\x1b\[[0-9;]*(?:3[0-9]|9[0-7]|38;)[0-9;]*m")
    assert not colour.search(plain), plain


def test_after_a_yes_the_screen_and_session_stay_stopped_for_the_day(
    env: dict[str, str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("n\nn\ny\nn\n"))  # a pop at the heel
    code, out, _ = run(capsys, "screen")
    assert code == 3 and "Stop: no exercise today." in out and "Achilles" in out
    assert "again tomorrow" in out
    for args in (("screen",), ("session",), ("resume",)):  # no questions asked again
        monkeypatch.setattr("sys.stdin", io.StringIO(""))
        code, out, err = run(capsys, *args)
        said = " ".join((out + err).split())
        assert code == 3 or args == ("resume",), (args, out, err)
        if args == ("resume",):  # nothing to resume: that is bad input, not a refusal
            assert code == 2 and "no unfinished session" in err
            continue
        assert "Stop: no exercise today." in said and "Achilles" in said
        assert "again tomorrow" in said and "emergency number" in said
        assert "Answer y or n" not in out and "error" not in said


def test_counts_of_one_are_singular(
    env: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert "Nothing logged in the last 1 day." in ok(capsys, "history", "--days", "1")
    ok(capsys, "log", "soleus-pushup", "1x1", "--side", "left")
    history = ok(capsys, "history", "--sets")
    assert "1/1 rep" in history and "1/1 reps" not in history
    stats = " ".join(ok(capsys, "stats").split())
    assert "Streak 1 day (longest 1 day), 1 day active in all" in stats
    # The balance and the pain trend say what they mean (no bare "(+100%)").
    assert "L 1 R 0 reps (left only)" in stats
    assert "Pain trend: not enough data yet (pain logged on 3 days or more" in stats
    assert "This week 1 rep," in stats and "1 day" in stats and "1 days" not in stats
    path = tmp_path / "one.toml"
    path.write_text('id = "one"\nname = "One"\n[[blocks]]\nexercise = "soleus-pushup"\n')
    assert ok(capsys, "routine", "validate", str(path)).rstrip().endswith("1 block")


def test_session_summary_counts_agree_with_their_nouns() -> None:
    from types import SimpleNamespace
    from typing import cast

    from soleus.cli.session import _summary
    from soleus.domain.player import SetResult

    def result(reps: int | None, seconds: float | None, kind: str, skipped: bool = False) -> Any:
        planned = SimpleNamespace(dosage=SimpleNamespace(kind=kind))
        return SimpleNamespace(
            reps_done=reps, seconds_done=seconds, skipped=skipped, planned=planned, index=0
        )

    one = [cast(SetResult, result(1, None, "reps"))]
    assert _summary(one) == "1 set done: 1 rep."
    two = [cast(SetResult, result(5, None, "reps")), cast(SetResult, result(None, 1, "hold"))]
    assert _summary(two) == "2 sets done: 5 reps, 1 s of holds."


def test_reminder_policy_line_says_one_snack() -> None:
    from soleus.cli.remind import _policy_line
    from soleus.domain.snacks.policy import RemindPolicy

    assert "1 snack/day" in _policy_line(RemindPolicy(target=1))
    assert "4 snacks/day" in _policy_line(RemindPolicy(target=4))


def test_the_readme_names_log_arguments_and_choices_as_the_cli_does() -> None:
    """`log pain SCORE` and every `--side`/`--context` value, in README and `--help` alike."""
    import click

    from soleus.cli.log import log

    readme = (ROOT / "README.md").read_text()
    assert "soleus log pain SCORE" in readme
    assert any(p.metavar and "SCORE" in p.metavar for p in log.params)
    for param in log.params:
        if isinstance(param, click.Option) and isinstance(param.type, click.Choice):
            documented = re.search(rf"{param.opts[0]} ([a-z\\|]+)\]", readme)
            assert documented, param.opts[0]
            assert set(documented.group(1).split("\\|")) == set(param.type.choices), param.opts


def test_config_shows_where_each_value_comes_from(
    env: dict[str, str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOLEUS_PAIN_WARN", "3")
    monkeypatch.setenv("COLUMNS", "200")
    out = ok(capsys, "config")
    assert re.search(r"pain_warn\s.*SOLEUS_PAIN_WARN", out)
    assert re.search(r"pain_stop\s.*default", out)
    assert ok_json(capsys, "config", "--json")["settings"]["pain_warn"] == {
        "value": 3,
        "source": "SOLEUS_PAIN_WARN",
    }


def test_config_lists_every_setting_typed_with_its_source_at_80_columns(
    env: dict[str, str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from soleus.settings.registry import ROWS

    cfg = Path(env["SOLEUS_CONFIG_DIR"])
    cfg.mkdir(parents=True, exist_ok=True)
    (cfg / "config.toml").write_text(
        'pain_stop = 6\n[remind]\ntarget = 4\nquiet = ["12:00-13:00"]\n'
        '[remind.days]\nfri = "09:00-13:00"\n'
    )
    monkeypatch.setenv("SOLEUS_REMIND_STRICT", "yes")
    monkeypatch.setenv("COLUMNS", "80")
    out = ok(capsys, "config")
    assert max(len(line.rstrip()) for line in out.splitlines()) <= 80
    for r in ROWS:  # the reminders too, each with its help
        assert re.search(rf"^  {r.name} = ", out, re.M), r.key
        assert r.help.split()[0] in out
    assert re.search(r"^  target = 4 +config\.toml$", out, re.M)
    assert re.search(r"^  strict = true +SOLEUS_REMIND_STRICT$", out, re.M)
    assert re.search(r"^  snooze_limit = 2 +default$", out, re.M)
    settings = ok_json(capsys, "config", "--json")["settings"]
    assert set(settings) == {r.key for r in ROWS}
    assert settings["pain_stop"] == {"value": 6, "source": "config.toml"}
    assert settings["remind.target"] == {"value": 4, "source": "config.toml"}
    assert settings["remind.strict"] == {"value": True, "source": "SOLEUS_REMIND_STRICT"}
    assert settings["remind.quiet"]["value"] == ["12:00-13:00"]
    assert settings["remind.days"]["value"] == {"fri": "09:00-13:00"}
    assert settings["remind.interval_min"] == {"value": 30.0, "source": "default"}
    assert settings["remind.start_command"]["value"] is None  # unset
    assert settings["sound"]["value"] is True


def test_config_with_a_misspelt_key_suggests_the_right_one(
    env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    cfg = Path(env["SOLEUS_CONFIG_DIR"])
    cfg.mkdir(parents=True, exist_ok=True)
    path = cfg / "config.toml"
    path.write_text("[remind]\nintervl_min = 20\n")
    code, out, err = run(capsys, "config")
    assert code == 2 and not out
    assert err.strip().splitlines() == [
        f"soleus: error: {path}: unknown setting remind.intervl_min (did you mean 'interval_min'?)"
    ]


def test_serve_on_a_busy_port_is_one_error_line_before_any_announcement(
    env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        code, out, err = run(capsys, "serve", "--port", str(port))
    assert code == 2
    assert "running" not in out
    assert err.strip().splitlines() == [
        f"soleus: error: port {port} is in use (another program, or soleus already running"
        f" there): stop it or pick another, e.g. --port {port + 1}"
    ]


def test_make_run_takes_a_port() -> None:
    import shutil

    if shutil.which("make") is None:
        pytest.skip("no make here")
    dry = subprocess.run(
        ["make", "-n", "run", "PORT=8765"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert "soleus serve --open --port 8765" in dry.stdout
    default = subprocess.run(["make", "-n", "run"], cwd=ROOT, capture_output=True, text=True)
    assert "soleus serve --open --port 8000" in default.stdout


@pytest.mark.parametrize("command", ["exercises", "routines"])
def test_ids_are_never_cut_short_at_80_columns(
    env: dict[str, str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    command: str,
) -> None:
    """Users type these ids: 'standing-calf-stret…' is no use (other columns wrap)."""
    long_id = "a-very-long-exercise-id-of-forty-chars-x"
    assert len(long_id) == 40
    folder = Path(env["SOLEUS_CONFIG_DIR"]) / "exercises"
    folder.mkdir(parents=True)
    (folder / f"{long_id}.toml").write_text(
        f'id = "{long_id}"\nname = "Long"\nsummary = "x"\nposition = "seated"\n'
        'steps = ["Do it."]\n[dosage]\nkind = "reps"\nreps = 10\n'
    )
    monkeypatch.setenv("COLUMNS", "80")
    out = ok(capsys, command)
    for item in ok_json(capsys, command, "--json"):
        if command == "routines":  # a Rich table
            assert re.search(rf"│ {re.escape(item['id'])} +│", out), item["id"]
        else:  # plain columns (no Rich: the read commands start faster), the id first
            assert re.search(rf"^{re.escape(item['id'])}  ", out, re.MULTILINE), item["id"]


@pytest.mark.parametrize(
    ("command", "kind", "item_id", "text"),
    [
        (
            "routines",
            "routines",
            "desk",
            'id = "desk"\nname = "Mine"\n[[blocks]]\nexercise = "soleus-pushup"\n',
        ),
        (
            "exercises",
            "exercises",
            "downward-dog",
            'id = "downward-dog"\nname = "Mine"\nsummary = "x"\nposition = "floor"\n'
            'steps = ["Do it."]\n[dosage]\nkind = "hold"\nseconds = 20\n',
        ),
    ],
)
def test_a_user_file_that_replaces_a_built_in_one_says_so(
    env: dict[str, str],
    capsys: pytest.CaptureFixture[str],
    command: str,
    kind: str,
    item_id: str,
    text: str,
) -> None:
    folder = Path(env["SOLEUS_CONFIG_DIR"]) / kind
    folder.mkdir(parents=True)
    (folder / f"{item_id}.toml").write_text(text)
    code, out, err = run(capsys, command)
    assert code == 0 and "Mine" in out
    assert err.splitlines() == [
        f"soleus: note: {folder / item_id}.toml replaces the built-in {kind[:-1]} {item_id!r}"
    ]


def test_red_flag_questions_need_an_explicit_answer(
    env: dict[str, str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    # Enter alone is no answer: each question is asked again until it gets a y or an n.
    monkeypatch.setattr("sys.stdin", io.StringIO("\n\nn\nmaybe\nn\nn\n\nn\n"))
    code, out, _ = run(capsys, "screen")
    assert code == 0 and "nothing that stops you" in out
    assert out.count("Please answer y or n.") == 4


def test_red_flag_questions_left_unanswered_stop_the_session(
    env: dict[str, str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("n\n"))  # then end of input
    code, out, _ = run(capsys, "session")
    assert code == 3, out
    assert "nothing that stops you" not in out and "not answered" in out
    assert "Not medical advice" in out
    monkeypatch.setattr("sys.stdin", io.StringIO("n\nn\nn\nn\n"))  # still due: asked again
    code, out, _ = run(capsys, "screen")
    assert code == 0 and "nothing that stops you" in out


def test_a_resumed_sessions_summary_counts_the_sets_done_before(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from types import SimpleNamespace
    from typing import cast

    from soleus.cli.session import _summary
    from soleus.domain.player import SetResult

    planned = SimpleNamespace(dosage=SimpleNamespace(kind="reps"))
    after = [
        cast(SetResult, SimpleNamespace(reps_done=0, seconds_done=None, skipped=True,
                                        planned=planned, index=i))
        for i in range(1, 6)
    ]  # fmt: skip
    before = [{"plan_index": 0, "actual_reps": 10, "actual_seconds": None, "skipped": False}]
    assert _summary(after, before, {0: "reps"}) == "1 set done: 10 reps, 5 skipped."


def test_pain_logged_for_an_earlier_day_does_not_say_rest_today(
    env: dict[str, str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import timedelta

    fix_clock(monkeypatch)
    yesterday = TODAY_IN_BERLIN - timedelta(days=1)
    out = ok(capsys, "log", "pain", "6", "--date", yesterday.isoformat())
    assert f"{yesterday:%A} {yesterday.day} {yesterday:%B}" in out
    # Yesterday was a rest day, so today is lighter: not "rest today".
    assert "Yesterday was a rest day" in out and "A lighter plan today" in out
    assert "Rest the calf today" in ok(capsys, "log", "pain", "6")


def test_logged_pain_gets_the_same_advice_as_the_web(
    env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    from soleus.domain.day import ADVICE, Level

    levels: tuple[tuple[int, Level], ...] = ((2, "normal"), (4, "lighter"), (6, "rest"))
    for score, level in levels:
        out = ok(capsys, "log", "pain", str(score))
        assert ADVICE[level] in out
        assert ok_json(capsys, "today", "--json")["level"] == level


def test_keys_typed_ahead_do_not_reach_the_effort_question(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import pty
    import select

    from soleus.cli.session import _flush_input

    leader, follower = pty.openpty()
    with open(follower, encoding="utf-8", closefd=True) as stdin:
        os.write(leader, b"ss\n")  # skip presses after the last set ended
        monkeypatch.setattr("sys.stdin", stdin)
        _flush_input()
        assert select.select([follower], [], [], 0.05)[0] == []
    os.close(leader)


def test_short_holds_are_said_in_seconds_and_counts_without_decimals(
    env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    from soleus.domain.text import duration_words

    assert duration_words(20) == "20 s" and duration_words(119.6) == "2 min"
    assert duration_words(0) == "0 s" and duration_words(150) == "2.5 min"
    ok(capsys, "log", "wall-calf-stretch", "1x20s", "--side", "left")
    out = ok(capsys, "stats")
    assert "20 s of holds" in out and "0.3 min" not in out and "0.0 min" not in out


def test_days_in_prose_are_one_human_format(
    env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    from datetime import date

    from soleus.domain.text import day_words

    assert day_words(date(2026, 12, 1)) == "Tuesday 1 December"
    first = date(2026, 11, 1)
    out = ok(capsys, "log", "soleus-pushup", "1x5", "--side", "left", "--date", "2026-11-01")
    assert out.strip().endswith(f"on {day_words(first)}."), out
    assert "2026-11-01" not in out
    assert not re.search(r"\b0\d [A-Z][a-z]+", ok(capsys, "history", "--days", "400"))


def test_remind_status_counts_every_snack_done(
    env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    ok(capsys, "log", "soleus-pushup", "2x10")
    out = ok(capsys, "remind", "status")
    # a quick log is a snack done, as the web Snacks page and `soleus stats` count it
    assert "today: 1/" in out


@pytest.mark.parametrize("args", [(), ("routine",), ("calendar",)])
def test_a_group_without_a_subcommand_prints_its_help(
    env: dict[str, str], capsys: pytest.CaptureFixture[str], args: tuple[str, ...]
) -> None:
    code, out, err = run(capsys, *args)
    assert (code, err) == (0, "")
    assert out.startswith(f"Usage: soleus {' '.join(args)}".rstrip() + " ")
    assert "Commands:" in out


@pytest.mark.parametrize(
    ("args", "wanted"),
    [
        (("sesion",), "no command 'sesion' (did you mean 'session'?)"),
        (("histroy",), "no command 'histroy' (did you mean 'history'?)"),
        (("stat",), "no command 'stat' (did you mean 'stats'?)"),
        (("routine", "shwo", "desk"), "no command 'shwo' (did you mean 'show'?)"),
        (("remind", "stauts"), "no command 'stauts' (did you mean 'status'?)"),
        (("log", "soleus-pushup", "10", "--sdie", "left"), "Did you mean '--side'?"),
        (("help", "nope"), "no command 'nope' (see: soleus --help)"),
    ],
)
def test_a_typo_gets_the_nearest_name(
    env: dict[str, str], capsys: pytest.CaptureFixture[str], args: tuple[str, ...], wanted: str
) -> None:
    code, out, err = run(capsys, *args)
    assert code == 2 and out == ""
    assert err.startswith("soleus: error: ") and wanted in err and err.count("\n") == 1


def test_help_command_shows_the_help_of_a_command(
    env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert ok(capsys, "help").startswith("Usage: soleus [OPTIONS] COMMAND")
    assert ok(capsys, "help", "log") == ok(capsys, "log", "--help")
    assert ok(capsys, "help", "remind", "status") == ok(capsys, "remind", "status", "--help")


def test_top_level_help_says_where_the_data_lives(
    env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    out = ok(capsys, "--help")
    assert env["SOLEUS_DATA_DIR"] in out and env["SOLEUS_CONFIG_DIR"] in out


def _complete(env: dict[str, str], words: str) -> list[str]:
    cword = len(words.split()) - (0 if words.endswith(" ") else 1)
    done = subprocess.run(
        [str(SOLEUS)],
        env={
            **os.environ,
            **env,
            "_SOLEUS_COMPLETE": "bash_complete",
            "COMP_WORDS": words,
            "COMP_CWORD": str(cword),
        },
        capture_output=True,
        text=True,
        check=True,
    )
    return [line.split(",", 1)[1] for line in done.stdout.splitlines() if line]


def test_completion_knows_commands_exercises_routines_and_sides(env: dict[str, str]) -> None:
    assert _complete(env, "soleus hist") == ["history"]
    assert "soleus-pushup" in _complete(env, "soleus log sol")
    assert {"desk", "full"} <= set(_complete(env, "soleus session "))
    # Only the sides the exercise on the line takes (as `log` checks them).
    assert _complete(env, "soleus log soleus-pushup 10 --side ") == ["left", "right", "each"]
    assert _complete(env, "soleus log downward-dog 1x45s --side ") == ["both"]
    assert _complete(env, "soleus log soleus-pushup 10 --side e") == ["each"]
    assert _complete(env, "soleus log pain 3 --side ") == []
    assert _complete(env, "soleus log no-such 3 --side ") == ["left", "right", "both", "each"]
    script = subprocess.run(
        [str(SOLEUS), "completion", "bash"], capture_output=True, text=True, check=True
    ).stdout
    assert "_SOLEUS_COMPLETE=bash_complete" in script


@pytest.mark.parametrize(("word", "back"), [("yesterday", 1), ("-3", 3), ("today", 0)])
def test_log_takes_days_as_people_say_them(
    env: dict[str, str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    word: str,
    back: int,
) -> None:
    from datetime import timedelta

    from soleus.domain.text import day_words

    fix_clock(monkeypatch)  # 00:30 in Berlin: "today" is already the UTC tomorrow
    out = ok(capsys, "log", "soleus-pushup", "10", "--date", word)
    assert out.strip().endswith(f"on {day_words(TODAY_IN_BERLIN - timedelta(days=back))}.")


def test_remind_preview_names_a_day_that_does_not_exist(
    env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "remind", "preview", "--date", "2026-02-30")
    assert code == 2 and "2026-02-30 is not a date: February 2026 has 28 days" in err
    assert "%Y" not in ok(capsys, "calendar", "export", "--help")


def test_the_exercise_table_wraps_its_last_column_on_a_narrow_terminal() -> None:
    import io

    from soleus.cli.common import Printer

    out, buf = Printer(), io.StringIO()
    out.stream, out.color, out.width = buf, False, 40
    out.table("T", ("id", "dosage"), [("soleus-pushup", "3 sets of 10 reps per leg, slowly")])
    lines = buf.getvalue().splitlines()
    assert lines[0] == "T" and lines[2].startswith("soleus-pushup  3 sets")
    assert all(len(line) <= 40 for line in lines)
    assert lines[3].startswith(" " * len("soleus-pushup  ")) and "slowly" in lines[3]
