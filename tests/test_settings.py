"""Settings: environment, then config.toml, then the default; bad values are one-line errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from soleus.errors import SoleusError
from soleus.settings import Settings


def env(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {
        "SOLEUS_DATA_DIR": str(tmp_path / "data"),
        "SOLEUS_CONFIG_DIR": str(tmp_path / "cfg"),
        **extra,
    }


def config(tmp_path: Path, text: str) -> Path:
    (tmp_path / "cfg").mkdir(exist_ok=True)
    path = tmp_path / "cfg" / "config.toml"
    path.write_text(text)
    return path


def test_defaults(tmp_path: Path) -> None:
    s = Settings.load(env=env(tmp_path))
    assert s.data_dir == tmp_path / "data"
    assert s.person == "me" and s.pain_stop == 5 and s.sound is True
    assert s.resolved_database_url == f"sqlite:///{tmp_path / 'data' / 'soleus.db'}"
    assert s.inbox_path == tmp_path / "data" / "inbox.jsonl"


def test_environment_beats_file_beats_default(tmp_path: Path) -> None:
    config(tmp_path, 'pain_stop = 6\nperson = "anna"\nsound = false\n')
    s = Settings.load(env=env(tmp_path, SOLEUS_PAIN_STOP="4"))
    assert (s.pain_stop, s.person, s.sound) == (4, "anna", False)


@pytest.mark.parametrize(
    ("raw", "value"), [("yes", True), ("0", False), ("ON", True), ("false", False)]
)
def test_booleans_from_the_environment(tmp_path: Path, raw: str, value: bool) -> None:
    assert Settings.load(env=env(tmp_path, SOLEUS_SPEECH=raw)).speech is value


@pytest.mark.parametrize(
    ("key", "raw"),
    [("SOLEUS_SOUND", "maybe"), ("SOLEUS_PAIN_STOP", "five"), ("SOLEUS_GET_READY_S", "soon")],
)
def test_bad_values_name_the_variable(tmp_path: Path, key: str, raw: str) -> None:
    with pytest.raises(SoleusError, match=key):
        Settings.load(env=env(tmp_path, **{key: raw}))


def test_bad_config_file_names_the_file(tmp_path: Path) -> None:
    path = config(tmp_path, "pain_stop = \n")
    with pytest.raises(SoleusError, match=r"config\.toml"):
        Settings.load(env=env(tmp_path))
    path.write_text("colour = 'red'\n")
    with pytest.raises(SoleusError, match="colour"):
        Settings.load(env=env(tmp_path))
    path.write_text("pain_stop = 'high'\n")
    with pytest.raises(SoleusError, match="pain_stop"):
        Settings.load(env=env(tmp_path))


def test_time_zone(tmp_path: Path) -> None:
    assert str(Settings.load(env=env(tmp_path, SOLEUS_TIMEZONE="Europe/Berlin")).tzinfo) == (
        "Europe/Berlin"
    )
    assert Settings.load(env=env(tmp_path)).tzinfo is not None
    with pytest.raises(SoleusError, match="Mars/Base"):
        _ = Settings.load(env=env(tmp_path, SOLEUS_TIMEZONE="Mars/Base")).tzinfo


def test_database_url_overrides_sqlite(tmp_path: Path) -> None:
    s = Settings.load(env=env(tmp_path, SOLEUS_DATABASE_URL="postgresql+psycopg://x@h/db"))
    assert s.resolved_database_url == "postgresql+psycopg://x@h/db"


def test_every_setting_has_help(tmp_path: Path) -> None:
    rows = Settings.load(env=env(tmp_path)).describe()
    assert {name for name, *_ in rows} >= {"data_dir", "database_url", "timezone", "pain_stop"}
    assert all(help_.strip() for _, _, help_, _ in rows)


@pytest.mark.parametrize(
    ("name", "raw", "allowed"),
    [
        ("pain_stop", "-3", "0 to 10"),
        ("pain_warn", "11", "0 to 10"),
        ("get_ready_s", "-10", "0 to 60"),
    ],
)
def test_out_of_range_values_name_the_setting_the_value_and_the_range(
    tmp_path: Path, name: str, raw: str, allowed: str
) -> None:
    key = f"SOLEUS_{name.upper()}"
    with pytest.raises(SoleusError) as error:
        Settings.load(env=env(tmp_path, **{key: raw}))
    assert str(error.value) == f"{key}: {name} must be from {allowed}, not {raw}"
    path = config(tmp_path, f"{name} = {raw}\n")
    with pytest.raises(SoleusError, match=rf"{path}: {name}: .*from {allowed}, not {raw}$"):
        Settings.load(env=env(tmp_path))
    with pytest.raises(SoleusError, match=f"{name} must be from {allowed}"):
        values: dict[str, Any] = {name: float(raw)}
        Settings(**values)


def test_each_value_says_where_it_comes_from(tmp_path: Path) -> None:
    path = config(tmp_path, "pain_stop = 6\n")
    s = Settings.load(env=env(tmp_path, SOLEUS_PAIN_WARN="3"))
    source = {name: where for name, _, _, where in s.describe()}
    assert source["pain_warn"] == "SOLEUS_PAIN_WARN"
    assert source["pain_stop"] == f"{path}: pain_stop"
    assert source["person"] == "default"
    assert source["data_dir"] == "SOLEUS_DATA_DIR"
    assert "sources" not in source


# -- the registry ---------------------------------------------------------------------


def test_the_settings_objects_are_the_registry_rows() -> None:
    """Settings and RemindConfig have one field per row, with the row's default."""
    import dataclasses

    from soleus.domain.snacks.policy import RemindPolicy
    from soleus.settings.registry import SECTIONS, rows
    from soleus.settings.remind import RemindConfig

    for cls, section in ((Settings, ""), (RemindConfig, "remind")):
        fields = {f.name: f for f in dataclasses.fields(cls) if f.name != "sources"}
        assert list(fields) == [r.name for r in rows(section)]
        defaults = cls()
        assert all(getattr(defaults, r.name) == r.default for r in rows(section))
    assert set(SECTIONS) == {"", "remind"}
    assert RemindConfig().policy() == RemindPolicy()  # one set of reminder defaults
    assert all(r.help.strip() for s in SECTIONS for r in rows(s))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("pain_stp = 6\n", "unknown setting 'pain_stp' (did you mean 'pain_stop'?)"),
        ("[remnd]\ntarget = 4\n", "unknown section [remnd] (did you mean 'remind'?)"),
        ("[form]\nstrict = true\n", "unknown section [form]"),
        (
            "interval_min = 20\n",
            "unknown setting 'interval_min' (did you mean 'remind.interval_min'?)",
        ),
        ("colour = 'red'\n", "unknown setting 'colour'"),
        ("data_dir = '/x'\n", "data_dir cannot be set in config.toml (use SOLEUS_DATA_DIR)"),
        ("remind = 3\n", "[remind] must be a table, not a value"),
    ],
)
def test_unknown_keys_and_sections_are_one_line_with_the_closest_known_one(
    tmp_path: Path, text: str, message: str
) -> None:
    path = config(tmp_path, text)
    with pytest.raises(SoleusError) as error:
        Settings.load(env=env(tmp_path))
    assert str(error.value) == f"{path}: {message}"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "[remind]\nsnoze_min = 3\n",
            "unknown setting remind.snoze_min (did you mean 'snooze_min'?)",
        ),
        ("[remind]\ntarget = 2.5\n", "remind.target: expected a whole number, got 2.5"),
        ("[remind]\nnotifier = 'pigeon'\n", "expected one of auto, dbus, terminal, got 'pigeon'"),
        ("[remind]\nstrict = 'maybe'\n", "remind.strict: expected yes/no, got 'maybe'"),
        ("[remind]\npoll_s = 0\n", "remind.poll_s: must be from 1 to 600, not 0"),
        ("[remind]\nquiet = [1]\n", "remind.quiet: expected a list of strings, got [1]"),
        ("[remind.days]\nfri = 9\n", "remind.days: expected a table of strings"),
    ],
)
def test_remind_values_are_checked_by_the_same_reader(
    tmp_path: Path, text: str, message: str
) -> None:
    from soleus.settings.remind import load

    path = config(tmp_path, text)
    Settings.load(env=env(tmp_path))  # only the reminders need [remind] to be right
    with pytest.raises(SoleusError) as error:
        load(tmp_path / "cfg", {})
    assert str(error.value).startswith(f"{path}: ") and message in str(error.value)
    assert "\n" not in str(error.value)


def test_remind_values_from_the_environment_are_typed_and_say_so(tmp_path: Path) -> None:
    from soleus.settings import show

    config(tmp_path, '[remind]\ntarget = 4\nworkdays = ["mon", "tue"]\n')
    _, rows = show.everything(env(tmp_path, SOLEUS_REMIND_SNOOZE_LIMIT="1"))
    got = {r.row.key: (show.json_value(r), show.source(r)) for r in rows}
    assert got["remind.target"] == (4, "config.toml")
    assert got["remind.workdays"] == (["mon", "tue"], "config.toml")
    assert got["remind.snooze_limit"] == (1, "SOLEUS_REMIND_SNOOZE_LIMIT")
    assert got["remind.break_min"] == (5.0, "default")
    assert got["timezone"] == (None, "default")  # empty means unset
    with pytest.raises(SoleusError, match="SOLEUS_REMIND_TARGET: expected a whole number"):
        show.everything(env(tmp_path, SOLEUS_REMIND_TARGET="lots"))


def test_config_shows_that_the_smtp_password_is_set_but_not_the_password(
    tmp_path: Path,
) -> None:
    from soleus.settings import show

    base = {"SOLEUS_CONFIG_DIR": str(tmp_path), "SOLEUS_DATA_DIR": str(tmp_path)}
    env = {**base, "SOLEUS_SMTP_PASSWORD": "hunter2-secret"}
    _, rows = show.everything(env=env)
    [row] = [r for r in rows if r.row.name == "smtp_password"]
    assert row.value == "(set, hidden)"
    assert "hunter2" not in str(show.as_json(*show.everything(env=env)))
    _, unset = show.everything(env=base)
    assert [r.value for r in unset if r.row.name == "smtp_password"] == [""]
