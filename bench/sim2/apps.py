"""Write sensor streams the way the phone apps export them (bytes, in memory).

- generic CSV: ``t,ax,ay,az,gx,gy,gz`` (one clock for both sensors)
- phyphox: the "Acceleration (with g)" experiment's zip (``Raw Data.csv`` + ``meta/``),
  a two-sensor experiment's zip (``Accelerometer.csv``, ``Gyroscope.csv``, ``meta/``) or
  its single-CSV export (the sets one after the other, each with its header); numbers
  as phyphox writes them (``9.806650000E0``), comma / tab / semicolon-with-decimal-comma
- Sensor Logger: the zip, Android (``TotalAcceleration.csv`` with the rest) or iOS
  (``Accelerometer.csv`` without gravity + ``Gravity.csv``, Core Motion's opposite sign),
  one CSV per sensor ``time,seconds_elapsed,z,y,x`` (ns since the epoch)
- Physics Toolbox Sensor Suite multi-recorder: ``time,gFx,gFy,gFz,TgF,wx,wy,wz`` with
  wall-clock times, each sensor's value held between its updates, zeros before it starts
"""

from __future__ import annotations

import io
import re
import zipfile

import numpy as np
from bench.sim2.phone import Streams

G0 = 9.80665

FORMATS = {  # name: (weight, file suffix)
    "generic": (0.2, ".csv"),
    "phyphox-zip": (0.2, ".zip"),
    "phyphox-csv": (0.1, ".csv"),
    "phyphox-acc": (0.08, ".zip"),
    "sensorlogger-android": (0.2, ".zip"),
    "sensorlogger-ios": (0.12, ".zip"),
    "physicstoolbox": (0.1, ".csv"),
}


def _table(cols: list[np.ndarray], fmt: str, delim: str = ",") -> bytes:
    buf = io.BytesIO()
    np.savetxt(buf, np.column_stack(cols), fmt=fmt, delimiter=delim)
    return buf.getvalue()


def generic(s: Streams) -> bytes:
    t = s.t_acc - s.t0
    body = _table([t, s.acc, s.gyro], "%.6f")
    return b"t,ax,ay,az,gx,gy,gz\n" + body


# -- phyphox -------------------------------------------------------------------------

_E_POS = re.compile(rb"E\+0*(\d)")
_E_NEG = re.compile(rb"E-0*(\d)")


def _phyphox_rows(cols: list[np.ndarray], style: str) -> bytes:
    raw = _table(cols, "%.9E")
    raw = _E_NEG.sub(rb"E-\1", _E_POS.sub(rb"E\1", raw))
    if style == "tab":
        raw = raw.replace(b",", b"\t")
    elif style == "semicolon":
        raw = raw.replace(b",", b";").replace(b".", b",")
    return raw


def _phyphox_header(names: list[str], style: str) -> bytes:
    d = {"comma": ",", "tab": "\t", "semicolon": ";"}[style]
    return (d.join(f'"{n}"' for n in names) + "\n").encode()


def _acc_set(s: Streams, style: str, absolute: bool) -> bytes:
    names = ["Time (s)", *(f"Acceleration {a} (m/s^2)" for a in "xyz")]
    cols = [s.t_acc, s.acc]
    if absolute:
        names.append("Absolute acceleration (m/s^2)")
        cols.append(np.linalg.norm(s.acc, axis=1))
    return _phyphox_header(names, style) + _phyphox_rows(cols, style)


def _gyro_set(s: Streams, style: str) -> bytes:
    names = ["Time (s)", *(f"Gyroscope {a} (rad/s)" for a in "xyz"), "Absolute (rad/s)"]
    cols = [s.t_gyro, s.gyro, np.linalg.norm(s.gyro, axis=1)]
    return _phyphox_header(names, style) + _phyphox_rows(cols, style)


def _phyphox_meta(rng: np.random.Generator, dur: float, style: str) -> dict[str, bytes]:
    epoch = 1.7e9 + rng.uniform(0, 5e7)
    d = {"comma": ",", "tab": "\t", "semicolon": ";"}[style]
    model = str(rng.choice(["Pixel 7", "SM-G991B", "moto g(60)", "iPhone13,2", "2201117TG"]))
    device = d.join(['"property"', '"value"']) + "\n"
    for k, v in (
        ("deviceModel", model),
        ("deviceBrand", "google"),
        ("deviceRelease", "14"),
        ("phyphoxVersion", "1.1.16"),
    ):
        device += d.join([f'"{k}"', f'"{v}"']) + "\n"
    time = d.join(['"event"', '"experiment time"', '"system time"', '"system time text"']) + "\n"
    for ev, et in (("START", 0.0), ("PAUSE", dur)):
        time += (
            d.join(
                [f'"{ev}"', f"{et:.9E}", f"{epoch + et:.3f}", '"2024-05-14 10:31:07.123 UTC+02:00"']
            )
            + "\n"
        )
    return {"meta/device.csv": device.encode(), "meta/time.csv": time.encode()}


def _zip(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        for name, data in files.items():
            z.writestr(name, data)
    return buf.getvalue()


def phyphox(s: Streams, rng: np.random.Generator, kind: str) -> bytes:
    style = str(rng.choice(["comma", "comma", "tab", "semicolon"]))
    dur = float(max(s.t_acc[-1], s.t_gyro[-1]))
    if kind == "phyphox-acc":  # "Acceleration (with g)": no gyroscope
        return _zip({"Raw Data.csv": _acc_set(s, style, True), **_phyphox_meta(rng, dur, style)})
    acc, gyro = _acc_set(s, style, False), _gyro_set(s, style)
    if kind == "phyphox-csv":
        return acc + gyro
    return _zip({"Accelerometer.csv": acc, "Gyroscope.csv": gyro, **_phyphox_meta(rng, dur, style)})


# -- Sensor Logger -------------------------------------------------------------------


def _sl_csv(t: np.ndarray, v: np.ndarray, epoch_ns: int, t_rec0: float) -> bytes:
    ns = (epoch_ns + np.round(t * 1e9)).astype(np.int64)
    buf = io.BytesIO()
    buf.write(b"time,seconds_elapsed,z,y,x\n")
    el = t - t_rec0
    rows = np.column_stack([el, v[:, 2], v[:, 1], v[:, 0]])
    body = _table([rows], "%.9g").split(b"\n")
    buf.write(b"\n".join(b"%d,%s" % (n, line) for n, line in zip(ns, body, strict=False)))
    buf.write(b"\n")
    return buf.getvalue()


def sensorlogger(s: Streams, rng: np.random.Generator, kind: str) -> bytes:
    epoch_ns = int(1.7e18 + rng.integers(0, 5 * 10**16))
    t_rec0 = s.t0 - rng.uniform(0.0, 0.3)
    ios = kind == "sensorlogger-ios"
    ms = round(1000 / max(1.0, 1 / np.median(np.diff(s.t_acc))))
    meta = (
        "version,device name,recording epoch time,recording time,recording timezone,"
        "platform,appVersion,device id,sensors,sampleRateMs,standardisation\n"
        f'3,"{"iPhone 12" if ios else "Pixel 6a"}",{epoch_ns // 10**6},2024-05-14_10-31-07,'
        f"Europe/Berlin,{'ios' if ios else 'android'},1.36.1,{rng.integers(10**8)},"
        f'"Accelerometer|Gravity|Gyroscope{"" if ios else "|TotalAcceleration"}",{ms},false\n'
    ).encode()
    lin = s.acc - s.grav
    files = {"Metadata.csv": meta}
    if ios:  # Core Motion's sign: minus the Android specific force
        files["Accelerometer.csv"] = _sl_csv(s.t_acc, -lin, epoch_ns, t_rec0)
        files["Gravity.csv"] = _sl_csv(s.t_acc, -s.grav, epoch_ns, t_rec0)
    else:
        files["TotalAcceleration.csv"] = _sl_csv(s.t_acc, s.acc, epoch_ns, t_rec0)
        files["Accelerometer.csv"] = _sl_csv(s.t_acc, lin, epoch_ns, t_rec0)
        files["Gravity.csv"] = _sl_csv(s.t_acc, s.grav, epoch_ns, t_rec0)
    files["Gyroscope.csv"] = _sl_csv(s.t_gyro, s.gyro, epoch_ns, t_rec0)
    files["Annotation.csv"] = b"time,seconds_elapsed,text\n"
    return _zip(files)


# -- Physics Toolbox -----------------------------------------------------------------


def physicstoolbox(s: Streams, rng: np.random.Generator) -> bytes:
    t = np.union1d(s.t_acc, s.t_gyro)
    ia = np.searchsorted(s.t_acc, t, side="right") - 1
    ig = np.searchsorted(s.t_gyro, t, side="right") - 1
    gf = np.where((ia >= 0)[:, None], s.acc[np.maximum(ia, 0)] / G0, 0.0)
    w = np.where((ig >= 0)[:, None], s.gyro[np.maximum(ig, 0)], 0.0)
    tg = np.linalg.norm(gf, axis=1)
    clock = rng.uniform(8, 20) * 3600 + t - t[0]
    ms = np.round(clock * 1000).astype(np.int64)
    h, rem = np.divmod(ms, 3_600_000)
    mi, rem = np.divmod(rem, 60_000)
    sec, msr = np.divmod(rem, 1000)
    trailing = rng.random() < 0.5
    body = _table([gf, tg, w], "%.4f").split(b"\n")
    lines = [
        b"%02d:%02d:%02d:%03d,%s%s" % (a, b, c, d, line, b"," if trailing else b"")
        for a, b, c, d, line in zip(h % 24, mi, sec, msr, body, strict=False)
    ]
    header = b"time,gFx,gFy,gFz,TgF,wx,wy,wz" + (b"," if trailing else b"") + b"\n"
    return header + b"\n".join(lines) + b"\n"


def write(s: Streams, rng: np.random.Generator, kind: str) -> bytes:
    if kind == "generic":
        return generic(s)
    if kind.startswith("phyphox"):
        return phyphox(s, rng, kind)
    if kind.startswith("sensorlogger"):
        return sensorlogger(s, rng, kind)
    return physicstoolbox(s, rng)


def draw_format(rng: np.random.Generator) -> str:
    names = list(FORMATS)
    w = np.array([FORMATS[n][0] for n in names])
    return str(rng.choice(names, p=w / w.sum()))
