"""Importers on small example files of each format, including broken ones."""

from __future__ import annotations

import json
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
        # layouts of real exports (see the fixtures' README for the sources)
        ("phyphox_ios.zip", "phyphox", True, True),
        ("phyphox_nan_padded.csv", "phyphox", True, True),
        ("phyphox_tab_decimal_comma.csv", "phyphox", True, False),
        ("sensorlogger_ios.zip", "sensorlogger", True, True),
        ("physicstoolbox_comments.csv", "physicstoolbox", True, False),
        ("physicstoolbox_semicolon.csv", "physicstoolbox", True, True),
        ("physicstoolbox_ios.csv", "physicstoolbox", True, False),
        ("physicstoolbox_multi.csv", "physicstoolbox", True, True),
        ("physicstoolbox_gyroscope.csv", "physicstoolbox", False, True),
        ("sensorlogger.json", "sensorlogger", True, True),
    ],
)
def test_reads_each_format(name: str, fmt: str, acc: bool, gyro: bool) -> None:
    rec = load(FIX / name)
    assert rec.format == fmt
    assert (rec.acc is not None) == acc
    assert (rec.gyro is not None) == gyro
    assert rec.start == 0.0  # the first sample of either stream
    if rec.acc is not None:
        assert 9.0 < float(np.linalg.norm(rec.acc[0])) < 10.1  # m/s², gravity included
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
        ("Linear Accelerometer.csv", "without g"),
        ("physicstoolbox_linear.csv", "has no gravity"),
        ("physicstoolbox_magnetometer.csv", "no accelerometer or gyroscope columns (found: Bx"),
        ("sensorlogger_location_only.zip", "no accelerometer or gyroscope columns (found: Anno"),
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


def test_a_folder_without_csv_files_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SoleusError, match="a folder without CSV files"):
        load(tmp_path)


def test_an_unpacked_export_folder_reads_like_its_zip(tmp_path: Path) -> None:
    import zipfile

    with zipfile.ZipFile(FIX / "sensorlogger_ios.zip") as zf:
        zf.extractall(tmp_path / "2024-02-11_15-02-01")
    from_dir, from_zip = load(tmp_path), load(FIX / "sensorlogger_ios.zip")
    assert from_dir.acc is not None and from_zip.acc is not None
    assert from_dir.acc.tolist() == from_zip.acc.tolist()


def test_phyphox_excel_workbook_its_default_export() -> None:
    rec = load(FIX / "phyphox.xlsx")  # phyphox's own minimal xlsx: inline strings, NaN
    assert rec.format == "phyphox"
    assert rec.acc is not None and rec.gyro is not None and rec.t_acc is not None
    assert (rec.acc.shape[0], rec.gyro.shape[0]) == (20, 18)
    assert rec.acc[0].tolist() == pytest.approx([0.1, -0.21, 9.79])
    assert rec.t_acc[1] == pytest.approx(0.01)


def test_a_workbook_without_a_recording_is_one_line(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "other.xlsx"
    with zipfile.ZipFile(FIX / "phyphox.xlsx") as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.namelist():
            data = src.read(item)
            if item == "xl/worksheets/sheet1.xml":
                data = data.replace(b"Time (s)", b"When")
            dst.writestr(item, data)
    with pytest.raises(SoleusError, match="in this workbook"):
        load(path)


def test_phyphox_single_file_with_two_export_sets() -> None:
    rec = load(FIX / "phyphox_two_sets.csv")  # each set with its own header, one after the other
    assert rec.acc is not None and rec.gyro is not None
    assert (rec.acc.shape[0], rec.gyro.shape[0]) == (20, 15)


def test_phyphox_ios_zip_takes_the_accelerometer_not_the_linear_one() -> None:
    rec = load(FIX / "phyphox_ios.zip")  # "X (m/s^2)" in both; the member name decides
    assert rec.acc is not None and rec.gyro is not None
    assert float(np.linalg.norm(rec.acc[0])) == pytest.approx(9.27, abs=0.05)
    assert rec.t_acc is not None and rec.t_gyro is not None
    assert rec.t_gyro[0] > rec.t_acc[0]  # each sensor keeps its own times


def test_phyphox_nan_padding_is_not_a_sample() -> None:
    rec = load(FIX / "phyphox_nan_padded.csv")
    assert rec.acc is not None and rec.gyro is not None
    assert (rec.acc.shape[0], rec.gyro.shape[0]) == (22, 16)


def test_phyphox_tab_and_decimal_comma_with_exponents() -> None:
    rec = load(FIX / "phyphox_tab_decimal_comma.csv")
    assert rec.acc is not None and rec.t_acc is not None
    assert rec.acc[0].tolist() == pytest.approx([1.00317049, 3.543418407, 8.9])
    assert rec.t_acc[1] == pytest.approx(0.02)


def test_sensorlogger_ios_sign_and_gravity_and_mac_resource_forks() -> None:
    rec = load(FIX / "sensorlogger_ios.zip")  # holds __MACOSX/._Gyroscope.csv
    assert rec.acc is not None
    # iOS: Accelerometer (no gravity) + Gravity, both with the opposite sign
    assert rec.acc[0].tolist() == pytest.approx([-0.253, 5.872, 7.85], abs=1e-3)


def test_physics_toolbox_comment_lines_units_and_repeated_times() -> None:
    rec = load(FIX / "physicstoolbox_comments.csv")
    assert rec.t_acc is not None and rec.acc is not None
    assert np.all(np.diff(rec.t_acc) > 0)  # the repeated milliseconds are dropped
    assert rec.t_acc.size == 18
    assert rec.t_acc[2] == pytest.approx(0.018)
    assert detect_format((FIX / "physicstoolbox_comments.csv").read_bytes()) == "physicstoolbox"


def test_physics_toolbox_semicolons_decimal_comma_unicode_minus() -> None:
    rec = load(FIX / "physicstoolbox_semicolon.csv")
    assert rec.acc is not None and rec.gyro is not None and rec.t_acc is not None
    assert rec.acc[0].tolist() == pytest.approx(np.array([0.1178, -0.5612, 0.8295]) * 9.80665)
    assert rec.gyro[0].tolist() == pytest.approx([0.01, -0.002, 0.001])
    assert rec.t_acc[1] == pytest.approx(0.1)


def test_physics_toolbox_ios_date_and_time() -> None:
    rec = load(FIX / "physicstoolbox_ios.csv")
    assert rec.t_acc is not None
    assert rec.t_acc[1] == pytest.approx(0.01)
    assert rec.sample_rate_hz == pytest.approx(100.0)


def test_physics_toolbox_multi_record_keeps_each_sensors_updates() -> None:
    rec = load(FIX / "physicstoolbox_multi.csv")
    assert rec.acc is not None and rec.gyro is not None and rec.t_acc is not None
    assert rec.acc.shape[0] == 28  # zero rows dropped, held values not repeated
    assert rec.gyro.shape[0] == 20
    assert np.diff(rec.t_acc).min() == pytest.approx(0.01)


def test_physics_toolbox_clock_fast_path_equals_the_row_parser() -> None:
    raw = (FIX / "physicstoolbox.csv").read_bytes()
    odd = raw.replace(b"00:00:00:010,", b"0:00:00.010,")  # not fixed width: row by row
    fast, slow = parse(raw, "a.csv"), parse(odd, "b.csv")
    assert fast.t_acc is not None and slow.t_acc is not None
    assert fast.t_acc.tolist() == pytest.approx(slow.t_acc.tolist())


def test_sensorlogger_json_export_and_a_saved_push_message() -> None:
    rec = load(FIX / "sensorlogger.json")  # numbers as strings, grouped by "sensor"
    assert rec.acc is not None and rec.t_gyro is not None
    assert rec.acc[0].tolist() == pytest.approx([-0.1, 0.21, 9.79])
    assert rec.t_gyro[0] == pytest.approx(0.005)
    push = {
        "messageId": 0,
        "sessionId": "s",
        "deviceId": "d",
        "payload": [
            {
                "name": "gyroscope",
                "time": 1698501144401773000 + k * 10**7,
                "values": {"x": 0.01, "y": 0.0, "z": 0.0},
            }
            for k in range(12)
        ],
    }
    rec = parse(json.dumps(push).encode(), "push.json")
    assert rec.gyro is not None and rec.gyro.shape == (12, 3)


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        (b'[{"sensor": "Gyroscope", "time": "1"', "not valid JSON"),
        (b'[{"sensor": "Location", "time": "1"}]', "no accelerometer or gyroscope columns"),
        (b'[{"sensor": "Gyroscope", "time": "1", "x": "a"}]', "record 1 (gyroscope)"),
        (b'{"hello": 1}', "unknown format"),
    ],
)
def test_bad_json_is_one_line(raw: bytes, words: str) -> None:
    with pytest.raises(SoleusError) as err:
        parse(raw, "export.json")
    assert words in str(err.value) and "\n" not in str(err.value)


def test_columns_not_needed_may_be_short_or_text() -> None:
    when = [b"" if i % 2 else b"2025-01-01 10:00" for i in range(12)]
    rows = b"".join(b"%d,0.1,-0.2,9.8,%s\n" % (i, w) for i, w in enumerate(when))
    rec = parse(b"t,ax,ay,az,when\n" + rows, "extra.csv")  # "when" is never parsed
    assert rec.acc is not None and rec.acc.shape == (12, 3)
    bad = b"t,ax,ay,az,when\n" + rows.replace(b"5,0.1,", b"5,oops,")
    with pytest.raises(SoleusError, match=r"extra\.csv:7: not a number: 'oops'"):
        parse(bad, "extra.csv")


def test_physics_toolbox_linear_acceleration_with_gyroscope_uses_the_gyroscope() -> None:
    rows = b"".join(b"%.2f,0.01,-0.02,0.03,0.0100,-0.0020,0.0010\n" % (0.01 * i) for i in range(15))
    rec = parse(b"time,ax,ay,az,wx,wy,wz\n" + rows, "combined.csv")
    assert rec.acc is None and rec.gyro is not None and rec.gyro.shape == (15, 3)
    assert any("gyroscope alone was used" in n for n in rec.notes)


def test_a_damaged_zip_is_one_line() -> None:
    raw = bytearray((FIX / "sensorlogger_ios.zip").read_bytes())
    for pos in (60, 200, 800):  # inside compressed members: zlib, not zipfile, notices
        bad = bytearray(raw)
        bad[pos : pos + 20] = b"\xff" * 20
        with pytest.raises(SoleusError, match=r"bad\.zip: (a damaged|not a complete) zip"):
            parse(bytes(bad), "bad.zip")
    cut = raw[:300] + raw[340:]  # bytes missing mid-archive: zipfile seeks before the start
    with pytest.raises(SoleusError, match=r"bad\.zip: (a damaged|not a complete) zip"):
        parse(bytes(cut), "bad.zip")


def test_one_damaged_time_stamp_is_one_line_not_a_memory_error() -> None:
    raw = (FIX / "TotalAcceleration.csv").read_bytes()
    bad = raw.replace(b"1700000000010000000,", b"1709000000010000000,", 1)  # one digit off
    with pytest.raises(SoleusError, match=r"times span 2\.5e\+03 hours.*damaged time column"):
        parse(bad, "TotalAcceleration.csv")


def test_sensorlogger_metadata_is_read_as_csv() -> None:
    from soleus.signal.formats.sensorlogger import metadata

    head = b"version,device name,recording time,platform,appVersion,standardisation\n"
    assert metadata(head + b'3,"Kim\'s iPhone, work",2024-02-11_15-02-01,ios,1.48,false\n') == (
        "ios",
        False,
    )
    assert metadata(head + b"3,Pixel 7a,2025-11-10_18-08-12,ios,1.48.0,true") == ("ios", True)
    assert metadata(b"version,device name\n") == (None, False)
