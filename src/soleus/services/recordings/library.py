"""Recordings become sessions: analyse a file, keep it, log its reps.

The source file is kept under ``<data dir>/recordings/`` named by its SHA-256, and the
session refers to it by that path (relative to the data dir). The same file therefore
logs once: a second attempt finds the session that keeps it and says so.

Uploads from the web app wait under ``recordings/uploads/`` (also by hash) until the
person saves them, so any app instance that shares the data dir can finish the save.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from soleus.domain.limits import MAX_LOGGED_REPS
from soleus.errors import NotFound, SoleusError
from soleus.files import copy_atomic, write_atomic
from soleus.services.context import Context

if TYPE_CHECKING:
    from soleus.signal.analysis import Analysis
    from soleus.signal.calibration import Calibration
    from soleus.signal.recording import Recording
    from soleus.video.analysis import VideoAnalysis

EXERCISE_ID = "soleus-pushup"
SIDES = ("left", "right")
STYLES = ("auto", "sets", "bout")  # auto: decided from the reps
FOLDER = "recordings"
UPLOADS = "recordings/uploads"
SAMPLES = "recordings/samples"
_DIGEST = re.compile(r"^[0-9a-f]{64}$")

Style = Literal["sets", "bout"]


@dataclass(frozen=True)
class Checked:
    """A readable recording and what the detector found in it."""

    name: str
    digest: str
    ext: str
    recording: Recording
    analysis: Analysis

    @property
    def kept_as(self) -> str:
        return f"{FOLDER}/{self.digest}.{self.ext}"


@dataclass(frozen=True)
class CheckedVideo:
    """A video and what the pose tracker found in it (the file is hashed, not loaded)."""

    name: str
    digest: str
    ext: str
    path: Path
    analysis: VideoAnalysis

    @property
    def kept_as(self) -> str:
        return f"{FOLDER}/{self.digest}.{self.ext}"


@dataclass(frozen=True)
class Logged:
    session_id: str
    duplicate: bool
    count: int
    sets: tuple[int, ...]
    recording: str

    @property
    def message(self) -> str:
        if self.duplicate:
            return (
                f"this recording is already logged (session {self.session_id}); nothing was added"
            )
        return f"{self.summary} as session {self.session_id}"

    @property
    def summary(self) -> str:
        """What was logged, without the session id (the web links to History instead)."""
        if self.duplicate:
            return "this recording is already logged; nothing was added"
        return summary(self.count, self.sets)


def summary(count: int, sets: tuple[int, ...]) -> str:
    """E.g. "logged 14 soleus pushups (8 + 6)"; one set needs no breakdown."""
    breakdown = f" ({' + '.join(str(n) for n in sets)})" if len(sets) > 1 else ""
    return f"logged {count} soleus pushups{breakdown}"


def saved_summary(ctx: Context, session_id: str) -> str | None:
    """The summary of a session this person logged from a recording (None if not one)."""
    from soleus.store import sessions as sessions_repo

    with ctx.store.begin() as conn:
        session = sessions_repo.get(conn, session_id=session_id, person_id=ctx.person_id)
        if session is None or session["source"] != "recording":
            return None
        sets = sessions_repo.list_sets(conn, person_id=ctx.person_id, session_id=session_id)
    counts = tuple(int(s["actual_reps"] or 0) for s in sets)
    return summary(sum(counts), counts)


def check_side(side: str | None) -> str | None:
    if side in (None, ""):
        return None
    if side not in SIDES:
        raise SoleusError(f"side must be left or right, not {side!r}")
    return side


def check_style(style: str | None) -> Style | None:
    """``sets`` or ``bout``; None (not given, or ``auto``): decided from the reps."""
    if style in (None, "", "auto"):
        return None
    if style in ("sets", "bout"):
        return "sets" if style == "sets" else "bout"
    raise SoleusError(f"style must be auto, sets or bout, not {style!r}")


def read(
    raw: bytes,
    name: str,
    *,
    style: str | None = None,
    side: str | None = None,
    calibration: Calibration | None = None,
) -> Checked:
    """Parse and analyse a recording (with the person's ``calibration``, if any); any
    problem is a one-line :class:`SoleusError`."""
    from soleus.signal.analysis import analyze
    from soleus.signal.formats import parse

    chosen_style, chosen_side = check_style(style), check_side(side)
    try:
        recording = parse(raw, name)
    except SoleusError as error:
        if error.message.startswith("unknown format") and _ext(raw) == "json":
            raise SoleusError(
                "not a Sensor Logger JSON export (expected a list of samples with "
                '"sensor", "time" and "x", "y", "z")',
                where=error.where or name,
            ) from None
        raise
    try:
        analysis = analyze(recording, style=chosen_style, side=chosen_side, calibration=calibration)
    except SoleusError as error:  # too short to analyse: say which file
        raise SoleusError(error.message, where=error.where or name) from None
    digest = hashlib.sha256(raw).hexdigest()
    return Checked(Path(name).name or "recording", digest, _ext(raw), recording, analysis)


def _ext(raw: bytes) -> str:
    if raw[:2] == b"PK":
        return "zip"  # Sensor Logger and phyphox zips, and Excel workbooks
    return "json" if raw.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"[", b"{") else "csv"


def _write_once(path: Path, raw: bytes) -> None:
    """Write ``raw`` to ``path`` unless it is there already (atomic: temp file + rename)."""
    if path.is_file() and path.stat().st_size == len(raw):
        return
    try:
        write_atomic(path, raw)
    except OSError as error:
        raise SoleusError(f"cannot keep the recording in {path.parent}: {error.strerror}") from None


def logged_session(ctx: Context, checked: Checked | CheckedVideo) -> str | None:
    """The session that already keeps this recording, if any: the same file, or another
    file with the same samples (a Sensor Logger zip, then its TotalAcceleration.csv)."""
    from soleus.store import recordings as repo

    kept = [checked.kept_as]
    if isinstance(checked, Checked):
        for marker in _sample_markers(ctx, checked):
            with contextlib.suppress(OSError, UnicodeDecodeError):
                kept.append(marker.read_text().strip())
    with ctx.store.begin() as conn:
        for recording in kept:
            found = repo.session_with_recording(conn, person_id=ctx.person_id, recording=recording)
            if found is not None:
                return found
    return None


def _sample_markers(ctx: Context, checked: Checked) -> list[Path]:
    """Per sensor stream, a file under ``recordings/samples/`` named by the hash of the
    person and the stream's values; it holds the kept recording that logged them."""
    rec = checked.recording
    paths = []
    for values in (rec.acc, rec.gyro):
        if values is not None and values.size:
            h = hashlib.sha256(ctx.person_id.encode())
            h.update(values.astype("<f8").tobytes())
            paths.append(ctx.settings.data_dir / SAMPLES / h.hexdigest())
    return paths


def log(
    ctx: Context,
    raw: bytes,
    name: str,
    *,
    side: str | None = None,
    style: str | None = None,
    checked: Checked | None = None,
    ended_at: datetime | None = None,
) -> Logged:
    """Analyse ``raw`` and log it as a session (a set per bout); once per file.

    ``ended_at``: when the recording ended, if known (else now: it was just uploaded)."""
    if checked is None:
        from soleus.services.recordings.calibration import current

        checked = read(raw, name, style=style, side=side, calibration=current(ctx))
    return _log(ctx, checked, lambda path: _write_once(path, raw), ended_at=ended_at)


def _log(
    ctx: Context,
    checked: Checked | CheckedVideo,
    keep: Callable[[Path], None],
    *,
    ended_at: datetime | None = None,
) -> Logged:
    """Log a checked phone recording or video: a set per bout, the file kept once."""
    analysis = checked.analysis
    existing = logged_session(ctx, checked)
    if existing is not None:
        return Logged(existing, True, analysis.count, (), checked.kept_as)
    if not analysis.count:
        raise SoleusError(f"nothing to log: {analysis.reason}", where=checked.name)
    counts = tuple(b.count for b in analysis.bouts) or (analysis.count,)
    if max(counts) > MAX_LOGGED_REPS:
        raise SoleusError(f"a bout of over {MAX_LOGGED_REPS} reps cannot be right")
    keep(ctx.settings.data_dir / checked.kept_as)
    from soleus.store import recordings as repo
    from soleus.store import sessions as sessions_repo

    now = ended_at or ctx.now()
    started = now - timedelta(seconds=float(analysis.duration_s))
    day = ctx.local_date(started)
    session_id = str(uuid.uuid4())
    leg = analysis.side or "both"
    with ctx.store.begin() as conn:
        # checked again inside the write transaction: two saves of one file log once
        again = repo.session_with_recording(
            conn, person_id=ctx.person_id, recording=checked.kept_as
        )
        if again is not None:
            return Logged(again, True, analysis.count, (), checked.kept_as)
        sessions_repo.create(
            conn,
            session_id=session_id,
            person_id=ctx.person_id,
            source="recording",
            status="finished",
            started_at=started,
            ended_at=now,
            local_date=day,
            routine_name="Recorded soleus pushups",
            note=f"{analysis.count} reps counted in {checked.name} ({analysis.format})",
            recording=checked.kept_as,
        )
        for number, count in enumerate(counts, 1):
            sessions_repo.add_set(
                conn,
                set_id=str(uuid.uuid4()),
                session_id=session_id,
                person_id=ctx.person_id,
                exercise_id=EXERCISE_ID,
                kind="reps",
                side=leg,
                set_number=number,
                target_reps=count,
                actual_reps=count,
                completed_at=now,
                local_date=day,
            )
    if isinstance(checked, Checked):
        for marker in _sample_markers(ctx, checked):
            _write_once(marker, checked.kept_as.encode())
    return Logged(session_id, False, analysis.count, counts, checked.kept_as)


# -- videos -----------------------------------------------------------------------------


def read_video(
    path: str | Path, *, style: str | None = None, side: str | None = None, name: str | None = None
) -> CheckedVideo:
    """Analyse a side-view video of the feet (the video extra); hash it for keeping.

    ``name`` is the name to show (an upload waits under its hash; its errors say ``name``).
    """
    from soleus.video.analysis import analyze_video

    p = Path(path)
    shown = name or p.name or "video"
    chosen_style, chosen_side = check_style(style), check_side(side)
    digest = _file_digest(p)
    try:
        analysis = analyze_video(p, style=chosen_style, side=chosen_side)
    except SoleusError as error:
        raise SoleusError(error.message, where=shown if name else error.where) from None
    return CheckedVideo(Path(shown).name or "video", digest, _video_ext(p.name), p, analysis)


def _video_ext(name: str) -> str:
    from soleus.video import VIDEO_SUFFIXES

    suffix = Path(name).suffix.lower()
    return suffix[1:] if suffix in VIDEO_SUFFIXES else "video"


def is_video_upload(name: str) -> bool:
    """An upload named like a video (.mp4 .mov .webm ...): it goes to the pose tracker."""
    from soleus.video import VIDEO_SUFFIXES

    return Path(name).suffix.lower() in VIDEO_SUFFIXES


def log_video(ctx: Context, checked: CheckedVideo) -> Logged:
    """Log an analysed video like a phone recording: a set per bout, the clip kept once."""
    return _log(ctx, checked, lambda dest: _copy_once(checked.path, dest))


def _file_digest(path: Path) -> str:
    """SHA-256 of a file read in chunks (videos can be large)."""
    from soleus.signal.formats import file_errors

    h = hashlib.sha256()
    with file_errors(path, "give the video file"), path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _copy_once(src: Path, path: Path) -> None:
    """Copy ``src`` to ``path`` unless it is there already (atomic: temp file + rename)."""
    if path.is_file() and path.stat().st_size == src.stat().st_size:
        return
    try:
        copy_atomic(src, path)
    except OSError as error:
        raise SoleusError(f"cannot keep the video in {path.parent}: {error.strerror}") from None


def read_file(path: str | Path) -> bytes:
    """The bytes of a recording file; any problem is a one-line :class:`SoleusError`."""
    from soleus.signal.formats import read_bytes

    return read_bytes(path)


def log_file(
    ctx: Context, path: str | Path, *, side: str | None = None, style: str | None = None
) -> Logged:
    p = Path(path)
    return log(ctx, read_file(p), p.name, side=side, style=style)


# -- uploads waiting to be saved (web) --------------------------------------------------


def hold_upload(ctx: Context, raw: bytes, checked: Checked) -> None:
    """Keep a readable upload until the person saves it (or not)."""
    _write_once(ctx.settings.data_dir / UPLOADS / f"{checked.digest}.{checked.ext}", raw)


def hold_video(ctx: Context, raw: bytes, name: str) -> Path:
    """Keep an uploaded video where :func:`save_upload` finds it (by its hash)."""
    digest = hashlib.sha256(raw).hexdigest()
    path = ctx.settings.data_dir / UPLOADS / f"{digest}.{_video_ext(name)}"
    _write_once(path, raw)
    return path


def drop_upload(ctx: Context, digest: str) -> None:
    """Let go of an upload that will not be saved (nothing to log in it)."""
    if not _DIGEST.match(digest):
        return
    for path in (ctx.settings.data_dir / UPLOADS).glob(f"{digest}.*"):
        with contextlib.suppress(OSError):
            path.unlink()


def _held(ctx: Context, digest: str) -> Path:
    if not _DIGEST.match(digest):
        raise SoleusError("unknown upload (bad id)")
    for folder in (UPLOADS, FOLDER):
        for path in sorted((ctx.settings.data_dir / folder).glob(f"{digest}.*")):
            if path.is_file() and not path.name.startswith("."):
                return path
    raise NotFound("that upload is no longer here; upload the file again")


def held_upload(ctx: Context, digest: str) -> tuple[bytes, str]:
    """The bytes of an upload waiting under ``digest``, and its file extension."""
    path = _held(ctx, digest)
    return path.read_bytes(), path.suffix[1:]


def save_upload(
    ctx: Context, digest: str, *, name: str, side: str | None, style: str | None
) -> Logged:
    """Log an upload held by :func:`hold_upload` or :func:`hold_video`, then let go of
    the waiting copy. A video is analysed again (nothing is kept between requests)."""
    path = _held(ctx, digest)
    ext = path.suffix[1:]
    if is_video_upload(path.name):
        checked = read_video(path, style=style, side=side, name=name or f"upload.{ext}")
        logged = log_video(ctx, checked)
    else:
        logged = log(ctx, path.read_bytes(), name or f"upload.{ext}", side=side, style=style)
    with contextlib.suppress(OSError):
        (ctx.settings.data_dir / UPLOADS / f"{digest}.{ext}").unlink(missing_ok=True)
    return logged
