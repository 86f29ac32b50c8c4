"""Write a :class:`Recording` the way each phone app exports it (bytes, no file I/O).

Used by the simulator's tests and benches to check the importers on realistic files,
and handy for turning any recording into the documented generic CSV.
"""

from __future__ import annotations

import io
import zipfile

import numpy as np

from soleus.signal.recording import STANDARD_GRAVITY, FloatArray, Recording

EPOCH_NS = 1_700_000_000_000_000_000  # 2023-11-14, an arbitrary recording start


def _csv(header: list[str], cols: list[FloatArray], fmt: str, delim: str = ",") -> bytes:
    buf = io.StringIO()
    buf.write(delim.join(header) + "\n")
    np.savetxt(buf, np.column_stack(cols), fmt=fmt, delimiter=delim)
    return buf.getvalue().encode()


def _acc(rec: Recording) -> tuple[FloatArray, FloatArray]:
    assert rec.t_acc is not None and rec.acc is not None, "this format needs accelerometer data"
    return rec.t_acc, rec.acc


def _zip(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buf.getvalue()


def phyphox_files(rec: Recording) -> dict[str, bytes]:
    """phyphox's per-sensor CSVs (quoted headers, as in its exported zip)."""
    files: dict[str, bytes] = {}
    if rec.acc is not None:
        t, a = _acc(rec)
        head = ['"Time (s)"'] + [f'"Acceleration {c} (m/s^2)"' for c in "xyz"]
        head.append('"Absolute acceleration (m/s^2)"')
        files["Accelerometer.csv"] = _csv(
            head, [t, a[:, 0], a[:, 1], a[:, 2], np.linalg.norm(a, axis=1)], "%.9E"
        )
    if rec.gyro is not None and rec.t_gyro is not None:
        g = rec.gyro
        head = ['"Time (s)"'] + [f'"Gyroscope {c} (rad/s)"' for c in "xyz"]
        head.append('"Absolute (rad/s)"')
        files["Gyroscope.csv"] = _csv(
            head, [rec.t_gyro, g[:, 0], g[:, 1], g[:, 2], np.linalg.norm(g, axis=1)], "%.9E"
        )
    return files


def phyphox_csv(rec: Recording) -> bytes:
    """A single phyphox 'Acceleration (with g)' export (Raw Data.csv)."""
    return phyphox_files(rec)["Accelerometer.csv"]


def phyphox_zip(rec: Recording) -> bytes:
    files = phyphox_files(rec)
    files["meta/device.csv"] = b'"property","value"\n"deviceModel","simulated"\n'
    return _zip(files)


def sensorlogger_files(rec: Recording, platform: str = "android") -> dict[str, bytes]:
    """Sensor Logger's per-sensor CSVs: time (ns), seconds_elapsed, z, y, x.

    Android: TotalAcceleration (with gravity), Accelerometer (without) and Gravity.
    iOS: Accelerometer (without gravity) and Gravity, both with the opposite sign.
    """
    files: dict[str, bytes] = {}
    head = ["time", "seconds_elapsed", "z", "y", "x"]

    def table(t: FloatArray, v: FloatArray) -> bytes:
        ns = (EPOCH_NS + np.round(t * 1e9)).astype(np.int64)
        buf = io.StringIO()
        buf.write(",".join(head) + "\n")
        for n, s, z, y, x in zip(
            ns.tolist(),
            t.tolist(),
            v[:, 2].tolist(),
            v[:, 1].tolist(),
            v[:, 0].tolist(),
            strict=True,
        ):
            buf.write(f"{n},{s:.6f},{z:.9g},{y:.9g},{x:.9g}\n")
        return buf.getvalue().encode()

    if rec.acc is not None:
        t, a = _acc(rec)
        # gravity as the phone's fusion would see it: the slow part of the signal
        k = max(int(len(t) / max(t[-1] - t[0], 1e-9) * 0.5), 1)
        kernel = np.ones(k) / k
        grav = np.stack([np.convolve(a[:, i], kernel, mode="same") for i in range(3)], axis=1)
        grav *= STANDARD_GRAVITY / np.linalg.norm(grav, axis=1)[:, None]
        user = a - grav
        sign = -1.0 if platform == "ios" else 1.0
        if platform != "ios":
            files["TotalAcceleration.csv"] = table(t, a)
        files["Accelerometer.csv"] = table(t, sign * user)
        files["Gravity.csv"] = table(t, sign * grav)
    if rec.gyro is not None and rec.t_gyro is not None:
        files["Gyroscope.csv"] = table(rec.t_gyro, rec.gyro)
    files["Metadata.csv"] = (
        f"version,device name,recording time,platform\n3,simulated,2023-11-14_22-13-20,{platform}\n"
    ).encode()
    return files


def sensorlogger_zip(rec: Recording, platform: str = "android") -> bytes:
    return _zip(sensorlogger_files(rec, platform))


def physicstoolbox_csv(rec: Recording, start_clock_s: float = 23 * 3600 + 59 * 60) -> bytes:
    """Physics Toolbox Sensor Suite: wall-clock HH:MM:SS:mmm, g-force in g, gyro in rad/s.

    The default start (23:59) makes the clock cross midnight in recordings over a minute.
    """
    t, a = _acc(rec)
    cols = ["time", "gFx", "gFy", "gFz", "TgF"]
    g = a / STANDARD_GRAVITY
    data = [g[:, 0], g[:, 1], g[:, 2], np.linalg.norm(g, axis=1)]
    if rec.gyro is not None and rec.t_gyro is not None:
        cols += ["wx", "wy", "wz"]
        data += [np.interp(t, rec.t_gyro, rec.gyro[:, i]) for i in range(3)]
    ms = np.round((start_clock_s + t) * 1000).astype(np.int64) % (86400 * 1000)
    buf = io.StringIO()
    buf.write(",".join(cols) + "\n")
    values = np.column_stack(data)
    for m, row in zip(ms.tolist(), values.tolist(), strict=True):
        h, rest = divmod(m, 3600_000)
        mi, rest = divmod(rest, 60_000)
        s, milli = divmod(rest, 1000)
        buf.write(f"{h:02d}:{mi:02d}:{s:02d}:{milli:03d}," + ",".join(f"{v:.4f}" for v in row))
        buf.write("\n")
    return buf.getvalue().encode()


def generic_csv(rec: Recording) -> bytes:
    """The documented generic CSV: t (s), ax ay az (m/s²), gx gy gz (rad/s) if any."""
    t, a = _acc(rec)
    cols = [t, a[:, 0], a[:, 1], a[:, 2]]
    head = ["t", "ax", "ay", "az"]
    if rec.gyro is not None and rec.t_gyro is not None:
        head += ["gx", "gy", "gz"]
        cols += [np.interp(t, rec.t_gyro, rec.gyro[:, i]) for i in range(3)]
    return _csv(head, cols, "%.6f")


WRITERS = {
    "phyphox-csv": ("Raw Data.csv", phyphox_csv),
    "phyphox-zip": ("phyphox.zip", phyphox_zip),
    "sensorlogger-android-zip": ("sensorlogger.zip", sensorlogger_zip),
    "sensorlogger-ios-zip": ("sensorlogger-ios.zip", lambda r: sensorlogger_zip(r, "ios")),
    "sensorlogger-csv": (
        "TotalAcceleration.csv",
        lambda r: sensorlogger_files(r)["TotalAcceleration.csv"],
    ),
    "physicstoolbox-csv": ("physicstoolbox.csv", physicstoolbox_csv),
    "generic-csv": ("generic.csv", generic_csv),
}
