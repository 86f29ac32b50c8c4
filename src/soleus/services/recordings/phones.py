"""Two ways a phone feeds live counting, both into :func:`soleus.services.recordings.live.append`.

- **Sensor Logger** pushes JSON over HTTP: ``{"messageId", "sessionId", "deviceId",
  "payload": [{"name": "totalacceleration" | "accelerometer" | "gravity" |
  "gyroscope", "time": <epoch ns>, "values": {"x", "y", "z"}}, ...]}``. Samples of
  other sensors are ignored. A new Sensor Logger recording (``sessionId``) starts a new
  live stream.
- **phyphox** serves its buffers on the phone (remote access, port 8080):
  ``GET /get?accX=<t>|acc_time&...&acc_time=<t>`` returns the samples after time ``t``
  (``full``: all of them) as ``{"buffer": {name: {"buffer": [...]}}, "status": {...}}``.
  :class:`PhyphoxClient` speaks it; :func:`poll` is the loop a background thread runs.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import numpy as np

from soleus.errors import SoleusError
from soleus.services.context import Context
from soleus.services.recordings import live
from soleus.signal.recording import STANDARD_GRAVITY, FloatArray

SL_SENSORS = ("totalacceleration", "accelerometer", "gravity", "gyroscope")
NO_GRAVITY = (
    "Accelerometer alone has no gravity: turn on Gravity (or TotalAcceleration) in Sensor Logger"
)

# -- Sensor Logger ----------------------------------------------------------------------


def _sl_samples(payload: list[Any]) -> dict[str, tuple[np.ndarray, FloatArray]]:
    """Per sensor: (epoch ns as int64, n×3 values), sorted by time."""
    rows: dict[str, list[tuple[int, float, float, float]]] = {}
    for item in payload:
        if not isinstance(item, dict) or item.get("name") not in SL_SENSORS:
            continue
        values: Any = item.get("values")
        try:
            ns = int(item["time"])
            x, y, z = (float(values[k]) for k in ("x", "y", "z"))
        except (KeyError, TypeError, ValueError):
            raise SoleusError(
                f"a {item['name']} sample without a time in ns and values x, y, z"
            ) from None
        rows.setdefault(str(item["name"]), []).append((ns, x, y, z))
    out = {}
    for name, found in rows.items():
        found.sort()
        ns_arr = np.array([r[0] for r in found], dtype=np.int64)
        out[name] = (ns_arr, np.array([r[1:] for r in found], dtype=np.float64))
    return out


def _to_si(v: FloatArray) -> FloatArray:
    """Sensor Logger on iOS reports acceleration in g: scale when it looks like g."""
    norm = float(np.median(np.linalg.norm(v, axis=1))) if v.size else STANDARD_GRAVITY
    scaled: FloatArray = v * STANDARD_GRAVITY if norm < 3.0 else v
    return scaled


def sensorlogger_push(ctx: Context, token: str | None, message: Any) -> dict[str, Any]:
    """Take one Sensor Logger push; returns the live stream it went to (as ``live.view``)."""
    from soleus.store import recordings as repo

    person = live.person_of_token(ctx, token)
    if not isinstance(message, dict) or not isinstance(message.get("payload", []), list):
        raise SoleusError('expected Sensor Logger\'s push: {"sessionId", "payload": [...]}')
    samples = _sl_samples(message.get("payload") or [])
    session = str(message.get("sessionId") or "")[:100]
    device = str(message.get("deviceId") or "")[:200]
    with ctx.store.begin() as conn:
        live.expire_idle(ctx, conn, person)
        stream = repo.latest_stream(conn, person_id=person, source="sensorlogger", active=True)
        earlier = (
            repo.stream_of_remote_session(
                conn, person_id=person, source="sensorlogger", remote_session=session
            )
            if session
            else None
        )
    if earlier is not None and earlier["status"] != "active":
        # the person stopped this recording's stream (or it went quiet): the phone still
        # pushing must not open a new stream that hides the stopped one before it is saved
        return {**live.view(earlier), "ignored": True}
    if stream is not None and stream["remote_session"] not in ("", session):
        stream = None  # a new recording on the phone: a new live stream
    if stream is None:
        if not samples:  # "Tap to Test Pushing": nothing to count yet
            return {"status": "ok", "message": "test push received; soleus is ready"}
        stream_id = live.start(ctx, "sensorlogger", person_id=person, device=device)
        stream = live.get(ctx, stream_id, person_id=person)
    if not samples:
        return live.view(stream)
    t0 = stream["t0_ns"]
    if t0 is None or not stream["remote_session"]:
        t0 = t0 if t0 is not None else int(min(int(ns[0]) for ns, _ in samples.values()))
        with ctx.store.begin() as conn:
            repo.update_stream(conn, stream_id=stream["id"], t0_ns=t0, remote_session=session)

    base = int(t0)

    def secs(ns: np.ndarray) -> FloatArray:
        out: FloatArray = (ns - base).astype(np.float64) / 1e9
        return out

    t_acc = acc = t_gyro = gyro = None
    if "totalacceleration" in samples:
        ns, v = samples["totalacceleration"]
        t_acc, acc = secs(ns), _to_si(v)
    elif "accelerometer" in samples and "gravity" in samples:
        (na, a), (ng, g) = samples["accelerometer"], samples["gravity"]
        ta, tg = secs(na), secs(ng)
        gv = np.stack([np.interp(ta, tg, g[:, i]) for i in range(3)], axis=1)
        ios = float(np.median(np.linalg.norm(g, axis=1))) < 3.0
        # iOS: g units and the opposite sign (the phone face up reads -1 g on z)
        t_acc, acc = ta, -(a + gv) * STANDARD_GRAVITY if ios else a + gv
    elif "gravity" in samples:
        ns, v = samples["gravity"]
        t_acc, acc = secs(ns), _to_si(v)
    if "gyroscope" in samples:
        ns, v = samples["gyroscope"]
        t_gyro, gyro = secs(ns), v
    if t_acc is None and "accelerometer" in samples and not stream["error"]:
        # the same hint the file importer gives; the stream goes on (a gyroscope counts)
        with ctx.store.begin() as conn:
            repo.update_stream(conn, stream_id=stream["id"], error=NO_GRAVITY)
    stream = live.append(ctx, stream["id"], t_acc=t_acc, acc=acc, t_gyro=t_gyro, gyro=gyro)
    return live.view(stream)


# -- phyphox ----------------------------------------------------------------------------

ACC = ("accX", "accY", "accZ", "acc_time")
GYRO = ("gyrX", "gyrY", "gyrZ", "gyr_time")
LEASE_S = 5.0
POLL_S = 0.25
GIVE_UP_S = 10.0  # unreachable this long while live: the stream fails with the reason


class PhyphoxClient:
    """phyphox's remote-access API on the phone (``http://<phone>:8080``)."""

    def __init__(self, base_url: str, *, timeout: float = 2.0) -> None:
        url = base_url.strip().rstrip("/")
        if "://" not in url:
            url = f"http://{url}"
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise SoleusError(f"not a phyphox address: {base_url!r} (e.g. 192.168.1.23:8080)")
        if parts.port is None and parts.scheme == "http":
            url = f"{url}:8080"
        self.url = url
        self.timeout = timeout
        self.buffers: tuple[tuple[str, ...], ...] | None = None

    def _get(self, path: str) -> Any:
        try:
            with urllib.request.urlopen(self.url + path, timeout=self.timeout) as response:
                return json.loads(response.read(50_000_000))
        except urllib.error.HTTPError as error:
            raise SoleusError(f"phyphox at {self.url} answered {error.code} to {path}") from None
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise SoleusError(
                f"cannot reach phyphox at {self.url} ({reason}); is remote access on and "
                "the phone on the same network?"
            ) from None
        except ValueError:
            raise SoleusError(f"{self.url} did not answer like phyphox (no JSON)") from None

    def discover(self) -> tuple[tuple[str, ...], ...]:
        """Which sensor buffers the running experiment has (from ``/config``)."""
        if self.buffers is not None:
            return self.buffers
        try:
            config = self._get("/config")
        except SoleusError as error:
            if "answered 404" not in str(error):
                raise
            config = {}
        names = {b.get("name") for b in config.get("buffers", []) if isinstance(b, dict)}
        sources = {i.get("source") for i in config.get("inputs", []) if isinstance(i, dict)}
        if "linear_acceleration" in sources and "accelerometer" not in sources:
            raise SoleusError(
                'phyphox runs "Acceleration without g": start "Acceleration (with g)" instead'
            )
        found = tuple(b for b in (ACC, GYRO) if set(b) <= names) if names else (ACC,)
        if not found:
            raise SoleusError(
                "the phyphox experiment has no accelerometer or gyroscope buffers; "
                'start "Acceleration (with g)"'
            )
        self.buffers = found
        return found

    def start_measuring(self) -> None:
        self._get("/control?cmd=start")

    def fetch(self, since: float | None) -> tuple[list[FloatArray | None], bool]:
        """Samples after ``since`` (all when None): [t_acc, acc, t_gyro, gyro], measuring."""
        threshold = "full" if since is None else repr(float(since))
        query = []
        for *axes, t in self.discover():
            query += [f"{a}={threshold}|{t}" for a in axes] + [f"{t}={threshold}"]
        data = self._get("/get?" + urllib.parse.quote("&".join(query), safe="=&"))
        buffers = data.get("buffer") if isinstance(data, dict) else None
        if not isinstance(buffers, dict):
            raise SoleusError(f"{self.url} did not answer like phyphox (no buffer)")
        out: list[FloatArray | None] = [None, None, None, None]
        for *axes, t in self.discover():
            try:
                cols = [np.asarray(buffers[n]["buffer"], dtype=np.float64) for n in (t, *axes)]
            except (KeyError, TypeError, ValueError):
                raise SoleusError(f"phyphox sent no usable {t} buffer") from None
            n = min(c.size for c in cols)
            k = 0 if t == "acc_time" else 2
            out[k], out[k + 1] = cols[0][:n], np.stack([c[:n] for c in cols[1:]], axis=1)
        status = data.get("status") if isinstance(data.get("status"), dict) else {}
        return out, bool(status.get("measuring", True))


def start_phyphox(
    ctx: Context, address: str, *, side: str | None = None, style: str | None = None
) -> str:
    """Check the phone answers, open a stream and start polling it in the background."""
    client = PhyphoxClient(address)
    client.discover()
    _, measuring = client.fetch(None)
    if not measuring:
        client.start_measuring()
    stream_id = live.start(ctx, "phyphox", device=client.url, side=side, style=style)
    ensure_poller(ctx, stream_id)
    return stream_id


def ensure_poller(
    ctx: Context, stream_id: str, *, spawn: Callable[[Callable[[], None]], None] | None = None
) -> bool:
    """Poll the phone from this process unless another one holds the lease."""
    from soleus.store import recordings as repo

    now = ctx.now()
    with ctx.store.begin() as conn:
        claimed = repo.claim_lease(
            conn, stream_id=stream_id, now=now, until=now + timedelta(seconds=LEASE_S)
        )
    if not claimed:
        return False
    stream = live.get(ctx, stream_id, person_id=_owner(ctx, stream_id))

    def run() -> None:
        poll(ctx, stream_id, PhyphoxClient(stream["device"]))

    (spawn or _thread)(run)
    return True


def _owner(ctx: Context, stream_id: str) -> str:
    from soleus.store import recordings as repo

    with ctx.store.begin() as conn:
        stream = repo.get_stream(conn, stream_id=stream_id)
    if stream is None:
        raise SoleusError(f"no live stream {stream_id!r}")
    return str(stream["person_id"])


def _thread(target: Callable[[], None]) -> None:
    threading.Thread(target=target, name="soleus-phyphox", daemon=True).start()


def poll(ctx: Context, stream_id: str, client: PhyphoxClient, *, interval: float = POLL_S) -> None:
    """Fetch new samples until the stream stops; renew the lease as it goes."""
    from soleus.store import recordings as repo

    failing_since: float | None = None
    while True:
        with ctx.store.begin() as conn:
            stream = repo.get_stream(conn, stream_id=stream_id)
            if stream is None or stream["status"] != "active":
                return
            now = ctx.now()
            repo.update_stream(
                conn, stream_id=stream_id, lease_until=now + timedelta(seconds=LEASE_S)
            )
        offset, last = float(stream["t_offset"]), float(stream["last_t"])
        try:
            (t_acc, acc, t_gyro, gyro), _ = client.fetch(None if last < 0 else last - offset)
            failing_since = None
        except SoleusError as error:
            failing_since = failing_since or time.monotonic()
            if time.monotonic() - failing_since > GIVE_UP_S:
                live.fail(ctx, stream_id, str(error))
                return
            time.sleep(interval)
            continue
        times = [t for t in (t_acc, t_gyro) if t is not None and t.size]
        if times and last >= 0 and max(float(t[-1]) for t in times) + offset < last - 1.0:
            # the experiment was cleared on the phone: its clock restarted at 0
            with ctx.store.begin() as conn:
                repo.update_stream(conn, stream_id=stream_id, t_offset=last + 0.01)
            continue
        if times:
            try:
                live.append(
                    ctx,
                    stream_id,
                    t_acc=None if t_acc is None else t_acc + offset,
                    acc=acc,
                    t_gyro=None if t_gyro is None else t_gyro + offset,
                    gyro=gyro,
                )
            except SoleusError:
                return  # stopped meanwhile
        time.sleep(interval)
