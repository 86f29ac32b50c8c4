"""Importers on small example files of each format, including broken ones."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from soleus.errors import SoleusError
from soleus.signal.formats import detect_format, load, parse

FIX = Path(__file__).parent.parent / "fixtures" / "recordings"


@pytest.mark.parametrize(
    ("name", "fmt", "acc", "gyro"),
    [
        ("phyphox_acceleration.csv", "phyphox", True, False),
        ("phyphox_gyroscope_tab.csv", "phyphox", False, True),
        ("phyphox_decimal_comma.csv", "phyphox", True, False),
        ("TotalAcceleration.csv", "sensorlogger", True, False),
        ("Gyroscope.csv", "sensorlogger", False, True),
        ("sensorlogger_android.zip", "sensorlogger", True, True),
        ("physicstoolbox.csv", "physicstoolbox", True, True),
        ("generic.csv", "generic", True, True),
    ],
)
def test_reads_each_format(name: str, fmt: str, acc: bool, gyro: bool) -> None:
    rec = load(FIX / name)
    assert rec.format == fmt
    assert (rec.acc is not None) == acc
    assert (rec.gyro is not None) == gyro
    if rec.acc is not None:
        assert rec.t_acc is not None and rec.t_acc[0] == 0.0
        assert 9.5 < float(np.linalg.norm(rec.acc[0])) < 10.1  # m/s², gravity included
    if rec.gyro is not None:
        assert float(np.abs(rec.gyro).max()) < 0.1  # rad/s


def test_columns_are_read_by_name_not_position() -> None:
    rec = load(FIX / "TotalAcceleration.csv")  # Sensor Logger writes z, y, x
    assert rec.acc is not None
    assert rec.acc[0].tolist() == pytest.approx([-0.1, 0.21, 9.79])


def test_decimal_comma_and_semicolons() -> None:
    rec = load(FIX / "phyphox_decimal_comma.csv")
    assert rec.acc is not None and rec.acc[0, 0] == pytest.approx(0.12)


def test_physics_toolbox_clock_crosses_midnight_and_g_becomes_ms2() -> None:
    rec = load(FIX / "physicstoolbox.csv")
    assert rec.t_acc is not None and rec.acc is not None
    assert np.all(np.diff(rec.t_acc) > 0)
    assert rec.t_acc[1] == pytest.approx(0.010)
    assert rec.acc[0, 2] == pytest.approx(0.9983 * 9.80665)
    assert rec.sample_rate_hz == pytest.approx(100.0)


def test_sensorlogger_times_are_nanoseconds() -> None:
    rec = load(FIX / "Gyroscope.csv")
    assert rec.t_gyro is not None and rec.t_gyro[1] == pytest.approx(0.01)


def test_format_is_detected_from_content_not_name(tmp_path: Path) -> None:
    raw = (FIX / "phyphox_acceleration.csv").read_bytes()
    renamed = tmp_path / "whatever.txt"
    renamed.write_bytes(raw)
    assert detect_format(raw) == "phyphox"
    assert load(renamed).format == "phyphox"


def test_truncated_last_line_is_skipped_with_a_note() -> None:
    rec = load(FIX / "generic_truncated.csv")
    assert any("incomplete" in n for n in rec.notes)
    assert rec.t_acc is not None and rec.t_acc.size == 11


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("empty.csv", "empty"),
        ("generic_one_sample.csv", "only 1 sample"),
        ("unknown.csv", "unknown format"),
        ("generic_in_g.csv", "looks like g"),
        ("generic_gyro_deg.csv", "degrees per second"),
        ("phyphox_without_g.csv", "without g"),
        ("sensorlogger_truncated.zip", "not a complete zip"),
        ("generic_bad_number.csv", "generic_bad_number.csv:3: not a number"),
        ("missing.csv", "no such file"),
    ],
)
def test_bad_files_give_one_line_errors(name: str, words: str) -> None:
    with pytest.raises(SoleusError) as err:
        load(FIX / name)
    message = str(err.value)
    assert words in message
    assert "\n" not in message
    assert name in message


def test_binary_garbage_is_refused() -> None:
    with pytest.raises(SoleusError, match="binary"):
        parse(b"\x00\x01\x02" * 100, "noise.bin")


def test_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SoleusError, match="directory"):
        load(tmp_path)
