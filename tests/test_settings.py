"""Settings: environment, then config.toml, then the default; bad values are one-line errors."""

from __future__ import annotations

from pathlib import Path

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
        Settings(**{name: float(raw)})


def test_each_value_says_where_it_comes_from(tmp_path: Path) -> None:
    path = config(tmp_path, "pain_stop = 6\n")
    s = Settings.load(env=env(tmp_path, SOLEUS_PAIN_WARN="3"))
    source = {name: where for name, _, _, where in s.describe()}
    assert source["pain_warn"] == "SOLEUS_PAIN_WARN"
    assert source["pain_stop"] == f"{path}: pain_stop"
    assert source["person"] == "default"
    assert source["data_dir"] == "SOLEUS_DATA_DIR"
    assert "sources" not in source
