"""Read the recordings that phone apps export; the only package in ``signal`` with I/O.

The format is recognised from the content (zip member names, CSV header), never from
the file name alone, and columns are found by their *name*, never their position. The
layouts below were checked against the apps' own export code and real exported files
(see ``tests/fixtures/recordings/README.md``):

- **phyphox** (``"Time (s)"``, then ``"Acceleration x (m/s^2)"`` … in the Android
  experiments, or ``"X (m/s^2)"`` / ``"X (rad/s)"`` in the iOS app's per-sensor files):
  one CSV (several export sets one after the other, each with its header), the
  exported zip (one CSV per export set, e.g. ``Accelerometer.csv``,
  ``Linear Accelerometer.csv``, ``Gyroscope.csv``, plus ``meta/device.csv`` and
  ``meta/time.csv``), or the Excel workbook (the app's default export; one sheet per
  set, read with the standard library). Comma, tab or semicolon separated, decimal
  point or decimal comma; quoted header; short columns padded with ``NaN``.
- **Sensor Logger** (one CSV per sensor: ``time`` ns since the epoch,
  ``seconds_elapsed``, ``z``, ``y``, ``x``): the zip, or a single sensor CSV named after
  its sensor. ``TotalAcceleration`` (Android) is used as is; otherwise
  ``Accelerometer`` + ``Gravity`` (iOS, or Android without the total), with iOS's
  opposite sign when ``Metadata.csv`` says ``platform`` is iOS and ``standardisation``
  is off. ``AccelerometerUncalibrated`` (g on iOS) and ``GyroscopeUncalibrated`` are
  fallbacks. Extra columns (human-readable times) are ignored. The JSON export (one
  array of records with a ``sensor`` name, numbers as strings) and a saved HTTP push
  message read the same way.
- **Physics Toolbox Sensor Suite** (``time``, ``gFx gFy gFz`` in g, ``wx wy wz`` in
  rad/s, ``ax ay az`` linear acceleration in m/s²; names may carry a unit, ``ax (m/s^2)``):
  ``#`` comment lines and blank lines before the header, wall-clock times
  (``HH:MM:SS:mmm``, across midnight; ``YYYY-MM-DD HH:MM:SS.ffff`` on iOS) or seconds,
  semicolons with decimal commas, Unicode minus signs, a trailing separator, multi-sensor
  files where each sensor's value is held between its updates, and zero rows before a
  sensor starts.
- **generic CSV**: ``t`` (s), ``ax ay az`` (m/s², gravity included), optional
  ``gx gy gz`` (rad/s).

An export unpacked into a folder is read like its zip (:func:`load`).

One module per file family (``phyphox``, ``sensorlogger``, ``physicstoolbox``,
``generic``), on top of ``table`` (CSV text to float columns) and ``streams`` (checks on
what a family yields); ``recognise`` tells the family from the header and ``dispatch``
opens zips, workbooks and folders and hands each file to its family's reader.
"""

from __future__ import annotations

from soleus.signal.formats.dispatch import FORMATS, MAX_BYTES, file_errors, load, parse, read_bytes
from soleus.signal.formats.recognise import detect_format

__all__ = ["FORMATS", "MAX_BYTES", "detect_format", "file_errors", "load", "parse", "read_bytes"]
