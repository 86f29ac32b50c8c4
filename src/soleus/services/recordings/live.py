"""Live counting: phone samples arrive in chunks, the streaming detector counts the reps.

Nothing lives in process memory. Each chunk is stored (``live_chunks``) and the stream's
result is recomputed from all of its chunks by a fresh
:class:`~soleus.signal.detect.StreamingDetector` in the same transaction, then kept in
the stream row (``state``) for cheap polling. The detector gives the same reps however
the input is chunked, so recomputing equals streaming, and any app instance can take
over a stream. Ten minutes at 100 Hz recompute in about a millisecond.
"""

from __future__ import annotations

import secrets
import uuid
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import numpy as np

from soleus.errors import NotFound, SoleusError
from soleus.services.context import Context
from soleus.services.recordings.library import check_side, check_style

if TYPE_CHECKING:
    from soleus.services.recordings.library import Logged
    from soleus.signal.calibration import Calibration
    from soleus.signal.recording import FloatArray

SOURCES = ("sensorlogger", "phyphox")
MAX_STREAM_S = 2 * 3600.0  # a live stream longer than this stops taking samples
MAX_CHUNK_SAMPLES = 200_000
IDLE_S = 10.0  # a pushed stream that got nothing for this long is finished


class Unauthorized(SoleusError):
    """A push without a valid ingest token."""


# -- ingest tokens ----------------------------------------------------------------------


def ingest_token(ctx: Context) -> str:
    """The person's ingest token (made on first use): phone apps push with it."""
    from soleus.store import recordings as repo

    with ctx.store.begin() as conn:
        token = repo.token_of(conn, person_id=ctx.person_id)
        if token is None:
            token = secrets.token_urlsafe(24)
            repo.set_token(conn, person_id=ctx.person_id, token=token, now=ctx.now())
    return token


def new_ingest_token(ctx: Context) -> str:
    """Replace the person's token; phones using the old one are refused from now on."""
    from soleus.store import recordings as repo

    token = secrets.token_urlsafe(24)
    with ctx.store.begin() as conn:
        repo.set_token(conn, person_id=ctx.person_id, token=token, now=ctx.now())
    return token


def person_of_token(ctx: Context, token: str | None) -> str:
    from soleus.store import recordings as repo

    if not token or len(token) > 64:
        raise Unauthorized("an ingest token is required (see the Recordings page)")
    with ctx.store.begin() as conn:
        person = repo.person_of_token(conn, token=token)
    if person is None:
        raise Unauthorized("unknown ingest token (see the Recordings page for yours)")
    return person


# -- streams ----------------------------------------------------------------------------


def start(
    ctx: Context,
    source: str,
    *,
    person_id: str | None = None,
    device: str = "",
    side: str | None = None,
    style: str | None = None,
) -> str:
    """Open a new live stream; the person's other active streams stop (one at a time).

    ``style`` None or ``auto``: sets or bouts decided from the reps."""
    from soleus.store import recordings as repo

    if source not in SOURCES:
        raise SoleusError(f"source must be one of {', '.join(SOURCES)}, not {source!r}")
    person = person_id or ctx.person_id
    stream_id = str(uuid.uuid4())
    with ctx.store.begin() as conn:
        while (old := repo.latest_stream(conn, person_id=person, active=True)) is not None:
            _stop_locked(ctx, conn, old)
        repo.create_stream(
            conn,
            stream_id=stream_id,
            person_id=person,
            source=source,
            now=ctx.now(),
            device=device[:200],
            side=check_side(side),
            style=check_style(style) or "auto",
        )
        repo.update_stream(conn, stream_id=stream_id, state=_empty_state())
    return stream_id


def _empty_state() -> dict[str, Any]:
    return {"count": 0, "reps": [], "bouts": [], "flags": [], "samples": 0, "seconds": 0.0}


def get(ctx: Context, stream_id: str, *, person_id: str | None = None) -> dict[str, Any]:
    from soleus.store import recordings as repo

    person = person_id or ctx.person_id
    with ctx.store.begin() as conn:
        expire_idle(ctx, conn, person)
        stream = repo.get_stream(conn, stream_id=stream_id, person_id=person)
    if stream is None:
        raise NotFound(f"no live stream {stream_id!r}")
    return stream


def latest(ctx: Context) -> dict[str, Any] | None:
    from soleus.store import recordings as repo

    with ctx.store.begin() as conn:
        expire_idle(ctx, conn, ctx.person_id)
        return repo.latest_stream(conn, person_id=ctx.person_id)


def unsaved(ctx: Context, *, limit: int = 10) -> list[dict[str, Any]]:
    """Recent finished streams with reps that are not saved yet (newest first)."""
    from soleus.store import recordings as repo

    with ctx.store.begin() as conn:
        expire_idle(ctx, conn, ctx.person_id)
        streams = repo.recent_streams(conn, person_id=ctx.person_id, limit=limit)
    return [
        view(s)
        for s in streams
        if s["status"] != "active" and not s["session_id"] and (s["state"] or {}).get("count")
    ]


def expire_idle(ctx: Context, conn: Any, person_id: str) -> None:
    """Finish the person's pushed streams that got no samples for :data:`IDLE_S`.

    Sensor Logger never says it stopped: its pushes just end. phyphox streams have a
    poller that gives up on its own, and a stream still waiting for its first sample
    stays open."""
    from soleus.store import recordings as repo

    stream = repo.latest_stream(conn, person_id=person_id, source="sensorlogger", active=True)
    if stream is None or not (stream["state"] or {}).get("samples"):
        return
    if stream["updated_at"] < ctx.now() - timedelta(seconds=IDLE_S):
        _stop_locked(ctx, conn, stream)


def view(stream: dict[str, Any]) -> dict[str, Any]:
    """What the page and the API show of a stream."""
    state = stream.get("state") or _empty_state()
    return {
        "id": stream["id"],
        "source": stream["source"],
        "status": stream["status"],
        "device": stream["device"],
        "side": stream["side"],
        "style": stream["style"],
        "error": stream["error"] or None,
        "session_id": stream["session_id"],
        "updated_at": stream["updated_at"].isoformat(),
        **state,
    }


def stop(ctx: Context, stream_id: str) -> dict[str, Any]:
    """Stop taking samples; the final count includes a rep still being released."""
    from soleus.store import recordings as repo

    with ctx.store.begin() as conn:
        stream = repo.get_stream(conn, stream_id=stream_id, person_id=ctx.person_id, lock=True)
        if stream is None:
            raise NotFound(f"no live stream {stream_id!r}")
        if stream["status"] == "active":
            _stop_locked(ctx, conn, stream)
        stream = repo.get_stream(conn, stream_id=stream_id)
    assert stream is not None
    return stream


def choose(ctx: Context, stream_id: str, *, side: str | None, style: str) -> dict[str, Any]:
    """Say which leg had the phone and how the reps were done (before saving)."""
    from soleus.store import recordings as repo

    chosen_side, chosen_style = check_side(side), check_style(style) or "auto"
    with ctx.store.begin() as conn:
        stream = repo.get_stream(conn, stream_id=stream_id, person_id=ctx.person_id, lock=True)
        if stream is None:
            raise NotFound(f"no live stream {stream_id!r}")
        if stream["session_id"]:
            raise SoleusError("this stream is saved already; change the session in History")
        values: dict[str, Any] = {"side": chosen_side, "style": chosen_style}
        if chosen_style != stream["style"]:  # the bouts and form hints depend on the style
            final = stream["status"] != "active"
            values["state"] = _evaluate(conn, stream, chosen_style, final=final)
        repo.update_stream(conn, stream_id=stream_id, **values)
        stream = repo.get_stream(conn, stream_id=stream_id)
    assert stream is not None
    return stream


def fail(ctx: Context, stream_id: str, error: str) -> None:
    from soleus.store import recordings as repo

    with ctx.store.begin() as conn:
        stream = repo.get_stream(conn, stream_id=stream_id, lock=True)
        if stream is not None and stream["status"] == "active":
            _stop_locked(ctx, conn, stream, status="failed", error=error)


def _stop_locked(
    ctx: Context, conn: Any, stream: dict[str, Any], *, status: str = "stopped", error: str = ""
) -> None:
    from soleus.store import recordings as repo

    state = _evaluate(conn, stream, stream["style"], final=True)
    repo.update_stream(
        conn,
        stream_id=stream["id"],
        status=status,
        state=state,
        error=error,
        updated_at=ctx.now(),
        lease_until=None,
    )


def save(ctx: Context, stream_id: str) -> Logged:
    """Stop the stream and log it as a session; its samples are kept as a generic CSV
    (a phyphox zip when the phone sent only gyroscope samples: the generic CSV needs
    the accelerometer)."""
    from soleus.services.recordings import library as recordings
    from soleus.signal.recording import make_recording
    from soleus.signal.writers import generic_csv, phyphox_zip
    from soleus.store import recordings as repo

    stream = stop(ctx, stream_id)
    with ctx.store.begin() as conn:
        t_acc, acc, t_gyro, gyro = _samples(conn, stream_id)
        ended_at = repo.last_chunk_at(conn, stream_id=stream_id)
    if (t_acc is None or acc is None) and (t_gyro is None or gyro is None):
        raise SoleusError("nothing to save: the phone sent no samples")
    rec = make_recording("live", t_acc, acc, t_gyro, gyro)
    if rec.acc is not None:
        raw, name = generic_csv(rec), f"live-{stream_id[:8]}.csv"
    else:
        raw, name = phyphox_zip(rec), f"live-{stream_id[:8]}.zip"
    logged = recordings.log(  # dated when the phone streamed, not when it is saved
        ctx, raw, name, side=stream["side"], style=stream["style"], ended_at=ended_at
    )
    with ctx.store.begin() as conn:
        repo.update_stream(conn, stream_id=stream_id, session_id=logged.session_id)
    return logged


def calibrate(ctx: Context, stream_id: str) -> Calibration:
    """Stop the stream and take its reps (about three) as the person's calibration;
    nothing stored unless they are clear (a one-line SoleusError says what was found)."""
    from soleus.services.recordings.calibration import from_recording
    from soleus.signal.recording import make_recording

    stop(ctx, stream_id)
    with ctx.store.begin() as conn:
        t_acc, acc, t_gyro, gyro = _samples(conn, stream_id)
    if (t_acc is None or acc is None) and (t_gyro is None or gyro is None):
        raise SoleusError("nothing to calibrate with: the phone sent no samples")
    return from_recording(ctx, make_recording("live", t_acc, acc, t_gyro, gyro))


# -- samples ----------------------------------------------------------------------------


def _pack(
    t_acc: FloatArray | None,
    acc: FloatArray | None,
    t_gyro: FloatArray | None,
    gyro: FloatArray | None,
) -> tuple[int, int, bytes]:
    parts: list[FloatArray] = []
    n_acc = n_gyro = 0
    if t_acc is not None and acc is not None and t_acc.size:
        n_acc = int(t_acc.size)
        parts += [t_acc, acc.reshape(-1)]
    if t_gyro is not None and gyro is not None and t_gyro.size:
        n_gyro = int(t_gyro.size)
        parts += [t_gyro, gyro.reshape(-1)]
    data = np.concatenate(parts).astype("<f8").tobytes() if parts else b""
    return n_acc, n_gyro, data


Samples = tuple["FloatArray | None", "FloatArray | None", "FloatArray | None", "FloatArray | None"]


def _samples(conn: Any, stream_id: str) -> Samples:
    """All samples of a stream, sorted, without repeated timestamps."""
    from soleus.signal.recording import clean_stream
    from soleus.store import recordings as repo

    ta: list[FloatArray] = []
    a: list[FloatArray] = []
    tg: list[FloatArray] = []
    g: list[FloatArray] = []
    for n_acc, n_gyro, data in repo.chunks(conn, stream_id=stream_id):
        v = np.frombuffer(data, dtype="<f8")
        i = 0
        for n, ts, vs in ((n_acc, ta, a), (n_gyro, tg, g)):
            if n:
                ts.append(v[i : i + n])
                vs.append(v[i + n : i + 4 * n].reshape(n, 3))
                i += 4 * n
    out: list[FloatArray | None] = []
    for ts, vs in ((ta, a), (tg, g)):
        if not ts:
            out += [None, None]
            continue
        t, values = clean_stream(np.concatenate(ts), np.concatenate(vs))
        out += [t, values]
    return out[0], out[1], out[2], out[3]


def _evaluate(conn: Any, stream: dict[str, Any], style: str, *, final: bool) -> dict[str, Any]:
    """Run the streaming detector over all samples, with the person's calibration (if
    any); the JSON kept in ``state``."""
    from soleus.services.recordings.calibration import stored
    from soleus.signal.detect import StreamingDetector
    from soleus.signal.form import check, group, infer_style

    t_acc, acc, t_gyro, gyro = _samples(conn, stream["id"])
    calibration = stored(conn, stream["person_id"])
    has_acc, has_gyro = acc is not None and acc.size > 0, gyro is not None and gyro.size > 0
    if not has_acc and not has_gyro:
        return _empty_state()
    det = StreamingDetector(accelerometer=has_acc, gyroscope=has_gyro, calibration=calibration)
    det.feed(t_acc, acc, t_gyro, gyro, final=final)
    reps = list(det.reps)
    chosen = check_style(style) or infer_style(reps)  # (auto: decided from the reps)
    bouts = group(reps, chosen)
    own = calibration.amplitude_deg if calibration else None
    flags = check(reps, bouts, list(det.lifts), chosen, own)
    ends = [float(t[-1]) for t in (t_acc, t_gyro) if t is not None and t.size]
    n = sum(int(t.size) for t in (t_acc, t_gyro) if t is not None)

    def r(x: float) -> float:
        return round(float(x), 3)

    return {
        "count": len(reps),
        "reps": [
            {
                "start_s": r(p.start_s),
                "top_s": r(p.top_s),
                "end_s": r(p.end_s),
                "amplitude_deg": r(p.amplitude_deg),
                "detected_at_s": r(p.detected_at_s),
            }
            for p in reps
        ],
        "bouts": [
            {
                "count": b.count,
                "cadence_per_min": None if b.cadence_per_min is None else r(b.cadence_per_min),
            }
            for b in bouts
        ],
        "flags": [{"rule": f.rule, "message": f.message, "rep": f.rep} for f in flags],
        "lifts": len(det.lifts),
        "samples": n,
        "seconds": r(max(ends)),
    }


def append(
    ctx: Context,
    stream_id: str,
    *,
    t_acc: FloatArray | None = None,
    acc: FloatArray | None = None,
    t_gyro: FloatArray | None = None,
    gyro: FloatArray | None = None,
) -> dict[str, Any]:
    """Store a chunk (times in stream seconds) and recompute the count; returns the stream."""
    from soleus.store import recordings as repo

    n = sum(int(t.size) for t in (t_acc, t_gyro) if t is not None)
    if n > MAX_CHUNK_SAMPLES:
        raise SoleusError(f"too many samples in one push ({n}; at most {MAX_CHUNK_SAMPLES})")
    now = ctx.now()
    with ctx.store.begin() as conn:
        stream = repo.get_stream(conn, stream_id=stream_id, lock=True)
        if stream is None:
            raise NotFound(f"no live stream {stream_id!r}")
        if stream["status"] != "active":
            raise SoleusError(f"live stream {stream_id} is {stream['status']}")
        n_acc, n_gyro, data = _pack(t_acc, acc, t_gyro, gyro)
        if not data:
            return stream
        ends = [float(np.max(t)) for t in (t_acc, t_gyro) if t is not None and t.size]
        last_t = max([stream["last_t"], *ends])
        if last_t > MAX_STREAM_S:
            _stop_locked(ctx, conn, stream, error="stopped after two hours; start a new one")
            stream = repo.get_stream(conn, stream_id=stream_id)
            assert stream is not None
            return stream
        repo.add_chunk(
            conn, stream_id=stream_id, received_at=now, n_acc=n_acc, n_gyro=n_gyro, data=data
        )
        state = _evaluate(conn, stream, stream["style"], final=False)
        repo.update_stream(conn, stream_id=stream_id, state=state, last_t=last_t, updated_at=now)
        stream.update(state=state, last_t=last_t, updated_at=now)
    return stream
