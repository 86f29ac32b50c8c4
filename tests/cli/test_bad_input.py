"""Bad input: exit code 2, one line on stderr starting `soleus: error:`, no traceback,
and nothing written (no inbox entry, database row counts unchanged)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, inspect, select

from soleus.cli.main import main
from soleus.store.schema import pain_reports, screens, set_logs
from soleus.store.schema import sessions as sessions_table

SOLEUS = Path(sys.executable).parent / "soleus"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SOLEUS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("SOLEUS_CONFIG_DIR", str(tmp_path / "cfg"))
    monkeypatch.setenv("SOLEUS_TIMEZONE", "Europe/Berlin")
    monkeypatch.delenv("SOLEUS_DATABASE_URL", raising=False)
    return tmp_path


def snapshot(home: Path) -> tuple[bytes | None, dict[str, int] | None]:
    """The inbox bytes and the row counts of the data tables (None when absent)."""
    inbox = home / "data" / "inbox.jsonl"
    db = home / "data" / "soleus.db"
    counts = None
    if db.exists():
        engine = create_engine(f"sqlite:///{db}")
        try:
            with engine.connect() as conn:
                if inspect(conn).has_table("sessions"):
                    counts = {
                        t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
                        for t in (sessions_table, set_logs, pain_reports, screens)
                    }
        finally:
            engine.dispose()
    return (inbox.read_bytes() if inbox.exists() else None), counts


def refused(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    """Run in-process; assert the bad-input contract; return the error line."""
    try:
        main(list(args))
    except SystemExit as done:
        code = done.code
    else:
        code = 0
    out, err = capsys.readouterr()
    assert code == 2, (args, code, out, err)
    assert "Traceback" not in out + err
    lines = err.strip("\n").splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("soleus: error: "), err
    return lines[0]


def seed(capsys: pytest.CaptureFixture[str]) -> None:
    """Something in the database already, so that 'nothing written' means something."""
    for args in (("log", "soleus-pushup", "2x10"), ("log", "pain", "2"), ("history",)):
        try:
            main(list(args))
        except SystemExit as done:
            assert done.code in (0, None)
    capsys.readouterr()


LOG_CASES = {
    "unknown-exercise": ("log", "moonwalk", "2x10"),
    "banana": ("log", "soleus-pushup", "banana"),
    "absurd-reps": ("log", "soleus-pushup", "10000"),
    "absurd-sets": ("log", "soleus-pushup", "99x10"),
    "absurd-seconds": ("log", "wall-calf-stretch", "3x99999s"),
    "zero": ("log", "soleus-pushup", "0"),
    "negative-after-dashdash": ("log", "soleus-pushup", "--", "-5"),
    "pain-11": ("log", "pain", "11"),
    "pain-word": ("log", "pain", "lots"),
    "pain-negative-after-dashdash": ("log", "pain", "--", "-1"),
    "future-date": ("log", "soleus-pushup", "10", "--date", "2999-01-01"),
    "bad-date": ("log", "soleus-pushup", "10", "--date", "someday"),
    "no-such-date": ("log", "soleus-pushup", "10", "--date", "2026-02-30"),
    "tomorrow": ("log", "soleus-pushup", "10", "--date", "tomorrow"),
    "ancient-date": ("log", "soleus-pushup", "10", "--date", "1900-01-01"),
    "bare-number-for-a-hold": ("log", "wall-calf-stretch", "10"),
    "time-for-a-reps-exercise": ("log", "soleus-pushup", "3x30s"),
    "pain-without-score": ("log", "pain"),
    "side-of-a-both-legs-hold": ("log", "downward-dog", "1x45s", "--side", "left"),
    "each-of-a-both-legs-hold": ("log", "downward-dog", "1x45s", "--side", "each"),
    "both-of-a-per-leg-exercise": ("log", "soleus-pushup", "2x10", "--side", "both"),
    "side-with-pain": ("log", "pain", "3", "--side", "left"),
    "context-with-an-exercise": ("log", "soleus-pushup", "2x10", "--context", "after"),
}


@pytest.mark.parametrize("case", sorted(LOG_CASES))
def test_bad_quick_log_writes_nothing(
    home: Path, capsys: pytest.CaptureFixture[str], case: str
) -> None:
    seed(capsys)
    before = snapshot(home)
    line = refused(capsys, *LOG_CASES[case])
    assert snapshot(home) == before
    if case == "unknown-exercise":
        assert "moonwalk" in line and "soleus-pushup" in line
    if case == "banana":
        assert "banana" in line
    if case == "no-such-date":
        assert "2026-02-30 is not a date: February 2026 has 28 days" in line
    if case == "bad-date":
        assert "today, yesterday" in line and "'someday'" in line
    if case == "ancient-date":
        assert "1900-01-01" in line and "2000-01-01" in line
    if case == "bare-number-for-a-hold":
        assert "did you mean 10s?" in line
    if case == "time-for-a-reps-exercise":
        assert "soleus-pushup is counted in reps" in line
    if case == "pain-without-score":
        assert "SCORE" in line and "AMOUNT" not in line
    if case in ("side-of-a-both-legs-hold", "each-of-a-both-legs-hold"):
        assert "downward-dog works both legs at once: its side is both" in line
    if case == "both-of-a-per-leg-exercise":
        assert "soleus-pushup is done one leg at a time: its side is left, right or each" in line
    if case == "side-with-pain":
        assert "--side is for exercises, not pain" in line
    if case == "context-with-an-exercise":
        assert "--context is for pain only" in line


def test_a_user_exercise_that_does_not_load_cannot_be_logged(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(capsys)
    folder = home / "cfg" / "exercises"
    folder.mkdir(parents=True)
    path = folder / "bad-ex.toml"
    path.write_text('id = "bad-ex"\nname = "Bad"\nsummary = "x"\nposition = "sideways"\n')
    before = snapshot(home)
    line = refused(capsys, "log", "bad-ex", "2x10")
    assert f"{path}:4: " in line and "position" in line
    assert snapshot(home) == before


def test_the_pain_advice_follows_the_pain_stop_setting(
    home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    main(["log", "pain", "4"])
    assert "acceptable if it settles" in capsys.readouterr().out
    monkeypatch.setenv("SOLEUS_PAIN_STOP", "3")
    main(["log", "pain", "4"])
    out = capsys.readouterr().out
    assert "Pain was 4/10 today, above 3." in out and "Rest the calf today" in out
    assert "5/10" not in out


@pytest.mark.parametrize(
    "args",
    [
        ("log", "soleus-pushup", "-5"),
        ("log", "pain", "-1"),
        ("history", "--days", "0"),
        ("log", "soleus-pushup", "2x10", "--side", "middle"),
        ("no-such-command",),
    ],
)
def test_usage_errors_are_one_line_too(
    home: Path, capsys: pytest.CaptureFixture[str], args: tuple[str, ...]
) -> None:
    seed(capsys)
    before = snapshot(home)
    refused(capsys, *args)
    assert snapshot(home) == before


def test_usage_errors_exit_2_without_traceback_or_writing(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(capsys)
    before = snapshot(home)
    for args in (("log", "soleus-pushup", "-5"), ("history", "--days", "0")):
        with pytest.raises(SystemExit) as done:
            main(list(args))
        assert done.value.code == 2
        out, err = capsys.readouterr()
        assert "Traceback" not in out + err and err.startswith("soleus: error:")
    assert snapshot(home) == before


@pytest.mark.parametrize(
    "args",
    [
        ("show", "moonwalk"),
        ("routine", "show", "nope"),
        ("today", "--routine", "nope"),
        ("session", "nope"),
        ("import", "/no/such/file.json"),
    ],
)
def test_unknown_ids_and_files(
    home: Path, capsys: pytest.CaptureFixture[str], args: tuple[str, ...]
) -> None:
    seed(capsys)
    before = snapshot(home)
    line = refused(capsys, *args)
    assert args[-1] in line
    assert snapshot(home) == before


BAD_ROUTINES = {
    "unknown-exercise": ('id = "r"\nname = "R"\n\n[[blocks]]\nexercise = "moonwalk"\n', 5),
    "toml-syntax": ('id = "r"\nname = "R"\n[[blocks]\nexercise = "soleus-pushup"\n', 3),
    "unknown-key": ('id = "r"\nname = "R"\nspeed = 3\n[[blocks]]\nexercise = "soleus-pushup"\n', 3),
    "absurd-reps": (
        'id = "r"\nname = "R"\n[[blocks]]\nexercise = "soleus-pushup"\n'
        '[blocks.dosage]\nkind = "reps"\nreps = 10000\n',
        {5, 7},
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_ROUTINES))
def test_routine_validate_names_file_and_line(
    home: Path, capsys: pytest.CaptureFixture[str], case: str
) -> None:
    text, line = BAD_ROUTINES[case]
    path = home / "r.toml"
    path.write_text(text)
    message = refused(capsys, "routine", "validate", str(path))
    assert str(path) in message
    lines = line if isinstance(line, set) else {line}
    assert any(f"{path}:{n}:" in message or f"line {n}," in message for n in lines), message


def test_routine_validate_refuses_what_the_loader_refuses(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file whose id is not its name would not load from the routines folder."""
    path = home / "mismatch.toml"
    path.write_text('id = "other-id"\nname = "R"\n[[blocks]]\nexercise = "soleus-pushup"\n')
    message = refused(capsys, "routine", "validate", str(path))
    assert f"{path}:1: " in message and "'other-id' must match the file name 'mismatch'" in message
    (home / "cfg" / "routines").mkdir(parents=True)
    placed = home / "cfg" / "routines" / "mismatch.toml"
    placed.write_text(path.read_text())
    assert message.replace(str(path), str(placed)) == refused(
        capsys, "routine", "validate", str(placed)
    )


def _broken_user_routine(home: Path) -> Path:
    folder = home / "cfg" / "routines"
    folder.mkdir(parents=True)
    path = folder / "r.toml"
    path.write_text('id = "r"\nname = "R"\n[[blocks]]\nexercise = "moonwalk"\n')
    return path


def _warned_once(err: str, path: Path, line: int) -> None:
    warnings = [w for w in err.splitlines() if w.startswith("soleus: warning: ")]
    assert len(warnings) == 1, err
    assert f"{path}:{line}: " in warnings[0] and "moonwalk" in warnings[0]
    assert "Traceback" not in err


@pytest.mark.parametrize("args", [("routines",), ("today",), ("routine", "show", "desk")])
def test_a_bad_user_routine_file_is_skipped_with_a_warning(
    home: Path, capsys: pytest.CaptureFixture[str], args: tuple[str, ...]
) -> None:
    path = _broken_user_routine(home)
    main(list(args))
    out, err = capsys.readouterr()
    _warned_once(err, path, 4)
    assert "Desk break" in out


def test_a_bad_user_exercise_file_is_skipped_with_a_warning(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = home / "cfg" / "exercises" / "x.toml"
    path.parent.mkdir(parents=True)
    path.write_text('id = "x"\nname = = 1\n')
    main(["exercises"])
    out, err = capsys.readouterr()
    assert (
        err.startswith(f"soleus: warning: skipped {path}:2: not valid TOML")
        and "\n" not in err[:-1]
    )
    assert "soleus-pushup" in out


def test_a_bad_user_routine_file_does_not_stop_a_session(
    home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The session gets as far as the safety check (a "yes" here, so it stops there)."""
    path = _broken_user_routine(home)
    monkeypatch.setattr("sys.stdin", io.StringIO("y\nn\nn\nn\n"))
    with pytest.raises(SystemExit) as done:
        main(["session", "desk"])
    assert done.value.code == 3
    out, err = capsys.readouterr()
    _warned_once(err, path, 4)
    assert "Stop: no exercise today." in out


def test_commands_that_name_the_broken_file_still_fail_on_it(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _broken_user_routine(home)
    for args in (("routine", "validate", str(path)), ("routine", "show", "r"), ("session", "r")):
        line = refused(capsys, *args)
        assert f"{path}:4: " in line and "moonwalk" in line, line
    exercise = home / "cfg" / "exercises" / "x.toml"
    exercise.parent.mkdir()
    exercise.write_text('id = "x"\nname = = 1\n')
    assert f"{exercise}:2: " in refused(capsys, "show", "x")


JUNK_IMPORTS = {
    "random.json": b'{"name": "bob"}',
    "other.csv": b"date,steps\n2026-03-01,9000\n",
    "junk.bin": bytes(range(256)) * 4,
    "truncated.json": b'{"format": "soleus-export", "version": 1, "sessions": [{"id": "a", "so',
}


@pytest.mark.parametrize("name", sorted(JUNK_IMPORTS))
def test_import_of_a_file_from_another_program(
    home: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    seed(capsys)
    path = home / name
    path.write_bytes(JUNK_IMPORTS[name])
    before = snapshot(home)
    assert before[1] is not None
    line = refused(capsys, "import", str(path))
    assert str(path) in line
    assert snapshot(home) == before


def test_bad_settings_are_one_line(
    home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOLEUS_TIMEZONE", "Mars/Olympus_Mons")
    assert "Mars/Olympus_Mons" in refused(capsys, "log", "pain", "3")
    assert "Mars/Olympus_Mons" in refused(capsys, "stats")
    monkeypatch.setenv("SOLEUS_TIMEZONE", "UTC")
    monkeypatch.setenv("SOLEUS_PAIN_STOP", "five")
    assert "SOLEUS_PAIN_STOP" in refused(capsys, "stats")
    monkeypatch.delenv("SOLEUS_PAIN_STOP")
    (home / "cfg").mkdir()
    (home / "cfg" / "config.toml").write_text("pain_stop = \n")
    assert "config.toml" in refused(capsys, "stats")
    assert not (home / "data" / "inbox.jsonl").exists()


def test_data_dir_that_is_a_file(
    home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = home / "blocker"
    blocker.write_text("a file, not a folder")
    monkeypatch.setenv("SOLEUS_DATA_DIR", str(blocker))
    for args in (("log", "pain", "3"), ("stats",), ("log", "soleus-pushup", "10")):
        assert str(blocker) in refused(capsys, *args)
    assert blocker.read_text() == "a file, not a folder"


def test_unreadable_data_dir(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    seed(capsys)
    data = home / "data"
    data.chmod(0)
    try:
        if os.access(data, os.R_OK | os.W_OK):
            pytest.skip("running as root: chmod 000 does not stop access")
        for args in (("log", "pain", "3"), ("stats",), ("history",), ("export",)):
            assert str(data) in refused(capsys, *args)
    finally:
        data.chmod(0o700)


def test_real_process_bad_input(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOLEUS_")}
    env.update(SOLEUS_DATA_DIR=str(tmp_path / "data"), SOLEUS_CONFIG_DIR=str(tmp_path / "cfg"))
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"hello": "world"}))
    for args in (
        ("log", "soleus-pushup", "banana"),
        ("log", "pain", "11"),
        ("log", "moonwalk", "10"),
        ("import", str(bad)),
    ):
        done = subprocess.run(
            [str(SOLEUS), *args], env=env, capture_output=True, text=True, timeout=60, check=False
        )
        assert done.returncode == 2, (args, done.stderr)
        assert done.stdout == ""
        assert done.stderr.count("\n") == 1 and done.stderr.startswith("soleus: error: ")
        assert "Traceback" not in done.stderr
    assert not (tmp_path / "data" / "inbox.jsonl").exists()


DID_YOU_MEAN = {
    ("log", "soleuss-pushup", "2x10"): "'soleus-pushup'",
    ("show", "soleus-pushp"): "'soleus-pushup'",
    ("session", "dsk"): "'desk'",
    ("session", "--routine", "dsk"): "'desk'",
    ("today", "--routine", "dsk"): "'desk'",
    ("routine", "show", "ful"): "'full'",
}


@pytest.mark.parametrize("args", list(DID_YOU_MEAN), ids=" ".join)
def test_a_misspelt_name_gets_close_matches_on_one_line(
    home: Path, capsys: pytest.CaptureFixture[str], args: tuple[str, ...]
) -> None:
    seed(capsys)
    before = snapshot(home)
    line = refused(capsys, *args)
    assert f"did you mean {DID_YOU_MEAN[args]}?" in line, line
    assert repr(args[-1] if args[0] != "log" else args[1]) in line
    assert snapshot(home) == before


def test_a_name_like_nothing_gets_no_guess(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    line = refused(capsys, "session", "--routine", "zzzzzz")
    assert "did you mean" not in line and "desk" in line  # the known ones are listed


def test_session_refuses_two_different_routines(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert "'desk'" in refused(capsys, "session", "desk", "--routine", "full")
