"""Foot landmark tracks in, soleus pushups out (numpy/scipy only, no MediaPipe).

Per frame, the heel and toe heights above the floor, in shin lengths (knee–ankle
distance), so the same thresholds hold at any zoom. "Up" is perpendicular to the resting
foot's heel→toe line, so a camera that is not level does not matter.

A rep is a heel rise that comes back down: a peak of the smoothed heel height that
stands out by :data:`PROMINENCE_FRACTION` of the clip's own range (and by at least
:data:`MIN_RISE` shin lengths, ~1 cm), rises for at least :data:`MIN_RISE_S` and falls
again by at least :data:`RETURN_FRACTION` of its rise. Per rep, the toe's rise is
compared with the heel's: the forefoot must stay down (DESIGN.md §5). When the toe rises
nearly as much as the heel (:data:`LIFT_RATIO`), the whole foot left the floor: a leg
lift, reported and never counted.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.ndimage import median_filter, uniform_filter1d
from scipy.signal import find_peaks

from soleus.signal.span import Phases
from soleus.video.landmarks import SIDES, FloatArray, FootTracks

# --- thresholds (geometry of a seated heel raise, not fitted to a clip) ---------------
FRAME_VISIBILITY = 0.3  # a frame's heel and toe must both be at least this visible
MIN_VISIBLE_FRACTION = 0.5  # of the frames: fewer, and the feet were not in the video
MIN_VISIBLE_S = 1.0
SIDE_VISIBILITY = 0.5  # the better foot's mean visibility; less: no feet to speak of
RIGID_TOLERANCE = 0.25  # a frame whose heel–toe distance is off by more is dropped
MIN_RISE = 0.025  # shin lengths: ~1 cm of heel rise on a 40 cm shin
PROMINENCE_FRACTION = 0.25  # of the clip's range (98th percentile above the floor)
RETURN_FRACTION = 0.5  # after the top, the heel comes down by at least half the rise
EDGE_FRACTION = 0.1  # start / end: within 10% of the rise of the base (landmark jitter)
TOP_FRACTION = 0.95  # top: middle of the part above 95% of the rise ...
PEAK_S = 0.4  # ... when that part lasts this long (a hold), else the vertex of the peak
MIN_RISE_S = 0.1  # the fastest heel rise (90/min) takes ~0.3 s
MIN_REP_S = 0.3
MAX_REP_S = 20.0
MAX_SIDE_S = 5.0  # a rise or release takes at most this long
LIFT_RATIO = 0.8  # toe rise ≥ 80% of the heel's: the whole foot lifted
SMOOTH_S = 0.1  # median then mean over about this long
BALL_FRACTION = 0.75  # the ball of the foot, from the heel, as a fraction of heel→toe
# MediaPipe's heel wanders this much between reps (shin lengths, ~4 mm on a 40 cm shin):
# form checks on heights allow for it
HEEL_NOISE = 0.01
NO_FEET = "no soleus pushups found: no feet visible in the video"


@dataclass(frozen=True)
class VideoRep(Phases):
    start_s: float
    top_s: float
    end_s: float
    heel_rise: float  # top above the floor, shin lengths
    amplitude_deg: float  # the foot's pitch about the ball of the foot at the top
    toe_ratio: float  # toe rise / heel rise over the rep (forefoot stays down: < 0.15)
    # heel above the floor after the rep (less the landmark jitter), fraction of the rise
    return_fraction: float
    hold_s: float = 0.0


@dataclass(frozen=True)
class Series:
    """What the plot draws: heel and toe heights above their floors, in shin lengths."""

    t: FloatArray
    heel: FloatArray
    toe: FloatArray


@dataclass(frozen=True)
class VideoDetection:
    reps: tuple[VideoRep, ...]
    lifts: tuple[VideoRep, ...]
    side: str | None
    series: Series | None
    reason: str | None = None
    notes: tuple[str, ...] = field(default=())


def _odd(n: float) -> int:
    k = max(1, round(n))
    return k if k % 2 else k + 1


def _rigidity(tracks: FootTracks, s: int) -> float:
    """How much the shin and the foot change length on side ``s`` (5–95% spread / median).

    Both are rigid: a foot MediaPipe really sees keeps them; a foot it guesses (hidden
    behind the other, or both sides put on the one visible foot) does not.
    """
    f = tracks.found
    total = 0.0
    for a, b in ((0, 1), (2, 3)):  # knee–ankle, heel–toe
        length = np.hypot(*(tracks.xy[f, s, a] - tracks.xy[f, s, b]).T)
        lo, med, hi = (float(v) for v in np.percentile(length, [5, 50, 95]))
        total += (hi - lo) / med if med > 0 else np.inf
    return total


def choose_side(tracks: FootTracks, side: str | None = None) -> int | None:
    """The index of the foot to follow: ``side`` if given, else the one seen best.

    MediaPipe's visibility does not tell the near foot from the far one reliably (in a
    side view it often puts both on the near foot, one of them badly): of the feet it
    rates at all visible, take the one whose shin and foot keep their lengths.
    """
    found = tracks.found
    if not found.any():
        return None
    score = tracks.vis[found][:, :, 1:].mean(axis=(0, 2))  # ankle, heel, toe
    if float(score.max()) < SIDE_VISIBILITY:
        return None
    seen = [k for k in range(2) if score[k] >= FRAME_VISIBILITY]
    if side in SIDES:
        k = SIDES.index(side)
        return k if k in seen else None
    return min(seen, key=lambda k: _rigidity(tracks, k))


def _crossing(t: FloatArray, y: FloatArray, i: int, level: float) -> float:
    """Time where y crosses ``level`` between frames i and i+1 (linear)."""
    if i + 1 >= y.size:
        return float(t[i])
    dy = y[i + 1] - y[i]
    f = 0.0 if dy == 0 else float(np.clip((level - y[i]) / dy, 0.0, 1.0))
    return float(t[i] + f * (t[i + 1] - t[i]))


def detect(tracks: FootTracks, *, side: str | None = None) -> VideoDetection:
    n = tracks.t.size
    s = choose_side(tracks, side)
    if s is None or n < 3:
        return VideoDetection((), (), None, None, NO_FEET)
    knee, ankle, heel, toe = (tracks.xy[:, s, p] for p in range(4))
    vis = tracks.vis[:, s]
    ok = tracks.found & (vis[:, 2] >= FRAME_VISIBILITY) & (vis[:, 3] >= FRAME_VISIBILITY)
    if ok.any():  # frames where the foot is not its usual length are misplaced landmarks
        length = np.hypot(*(toe - heel).T)
        med = float(np.median(length[ok]))
        ok &= np.abs(length - med) <= RIGID_TOLERANCE * med
    t = tracks.t
    seen_s = float(ok.sum()) / max(tracks.fps, 1e-9) if tracks.fps else float(ok.sum()) / 30
    if ok.sum() < MIN_VISIBLE_FRACTION * n or seen_s < MIN_VISIBLE_S:
        return VideoDetection((), (), SIDES[s], None, NO_FEET)
    notes: list[str] = []
    gap = _longest_gap(t, ok)
    if gap > 1.0:
        notes.append(f"the feet were lost for {gap:.1f} s")

    shin = float(np.median(np.hypot(*(knee[ok] - ankle[ok]).T)))
    foot = float(np.median(np.hypot(*(toe[ok] - heel[ok]).T)))
    if not np.isfinite(shin) or shin < 1.0:
        shin = 1.7 * foot
    if not np.isfinite(shin) or shin < 1.0:
        return VideoDetection((), (), SIDES[s], None, NO_FEET)

    # "up": perpendicular to the resting heel→toe line, pointing up the image
    up = np.array([0.0, -1.0])
    rough = -heel[ok, 1]
    rest = ok.copy()
    rest[ok] = rough <= np.percentile(rough, 30)
    d = np.median(toe[rest] - heel[rest], axis=0)
    if np.hypot(*d) >= 0.3 * shin and abs(d[0]) > abs(d[1]):
        nrm = np.array([d[1], -d[0]]) / np.hypot(*d)
        up = nrm if nrm[1] < 0 else -nrm

    fps = float(np.median(np.diff(t))) ** -1 if n > 1 and np.median(np.diff(t)) > 0 else 30.0

    def height(p: FloatArray) -> FloatArray:
        raw = (p @ up) / shin
        filled = np.interp(t, t[ok], raw[ok])
        k = _odd(SMOOTH_S * fps)
        if k > 1:
            filled = median_filter(filled, size=k, mode="nearest")
            filled = uniform_filter1d(filled, size=k, mode="nearest")
        return np.asarray(filled, dtype=np.float64)

    hs = height(heel)
    ts = height(toe)
    hs = hs - _floor(hs)
    ts = ts - _floor(ts)
    series = Series(t=t, heel=hs, toe=ts)
    span = float(np.percentile(hs, 98))
    if span < MIN_RISE:
        return VideoDetection(
            (), (), SIDES[s], series, "no soleus pushups found: the heel hardly moved", tuple(notes)
        )

    peaks, _ = find_peaks(hs, prominence=max(MIN_RISE, PROMINENCE_FRACTION * span))
    reps: list[VideoRep] = []
    lifts: list[VideoRep] = []
    window = round(MAX_SIDE_S * fps)
    ball = BALL_FRACTION * foot / shin
    for k, p in enumerate(peaks):
        lo = peaks[k - 1] if k else max(0, p - window)
        hi = peaks[k + 1] if k + 1 < len(peaks) else min(n - 1, p + window)
        lv = lo + int(np.argmin(hs[lo : p + 1]))
        rv = p + int(np.argmin(hs[p : hi + 1]))
        top = float(hs[p])
        rise = top - float(hs[lv])
        if rise < MIN_RISE or top - float(hs[rv]) < RETURN_FRACTION * rise:
            continue
        # start: the last frame near the left base before the top; end: the first after
        level0 = float(hs[lv]) + EDGE_FRACTION * rise
        i0 = lv + int(np.nonzero(hs[lv : p + 1] <= level0)[0][-1])
        start = _crossing(t, hs, i0, level0)
        fall = top - float(hs[rv])
        level1 = float(hs[rv]) + EDGE_FRACTION * fall
        j1 = p + int(np.nonzero(hs[p : rv + 1] <= level1)[0][0])
        end = _crossing(t, hs, j1 - 1, level1) if j1 > p else float(t[j1])
        high = hs[lv : rv + 1] >= float(hs[lv]) + TOP_FRACTION * rise
        idx = np.nonzero(high)[0] + lv
        run = _run_around(idx, p)
        hold = float(t[run[-1]] - t[run[0]]) if run.size > 1 else 0.0
        top_s = 0.5 * float(t[run[0]] + t[run[-1]]) if hold >= PEAK_S else _vertex(t, hs, p)
        if top_s - start < MIN_RISE_S or not MIN_REP_S <= end - start <= MAX_REP_S:
            continue
        toe0 = float(np.interp(start, t, ts))
        above = slice(int(idx[0]) if idx.size else p, int(idx[-1]) + 1 if idx.size else p + 1)
        in_rep = hs[above] >= float(hs[lv]) + 0.8 * rise
        toe_top = float(np.median(ts[above][in_rep])) if in_rep.any() else float(ts[p])
        ratio = max(0.0, toe_top - toe0) / rise
        angle = float(np.degrees(np.arcsin(min(1.0, top / ball)))) if ball > 0 else 0.0
        rep = VideoRep(
            start_s=start,
            top_s=top_s,
            end_s=end,
            heel_rise=top,
            amplitude_deg=angle,
            toe_ratio=ratio,
            return_fraction=max(0.0, float(hs[rv]) - 2 * HEEL_NOISE) / top,
            hold_s=hold,
        )
        (lifts if ratio >= LIFT_RATIO else reps).append(rep)
    reason = None
    if not reps:
        reason = (
            "no soleus pushups found: the whole foot lifted; keep the forefoot down and "
            "raise only the heel"
            if lifts
            else "no soleus pushups found: the heel moved, but never rose and came back down"
        )
    return VideoDetection(tuple(reps), tuple(lifts), SIDES[s], series, reason, tuple(notes))


def _floor(y: FloatArray) -> float:
    """The resting level: the median of the samples in the lowest 15% of the range."""
    lo, hi = float(np.percentile(y, 2)), float(np.percentile(y, 98))
    return float(np.median(y[y <= lo + 0.15 * (hi - lo)]))


def _run_around(idx: np.ndarray, p: int) -> np.ndarray:
    """The contiguous run of frame indices in ``idx`` that contains ``p``."""
    if idx.size == 0 or p not in idx:
        return np.array([p])
    breaks = np.nonzero(np.diff(idx) > 1)[0]
    starts = np.concatenate(([0], breaks + 1))
    ends = np.concatenate((breaks + 1, [idx.size]))
    k = int(np.searchsorted(idx, p))
    for a, b in zip(starts, ends, strict=True):
        if a <= k < b:
            return idx[a:b]
    return np.array([p])


def _vertex(t: FloatArray, y: FloatArray, p: int) -> float:
    """Sub-frame time of a peak: the vertex of the parabola through three frames."""
    if p == 0 or p + 1 >= y.size:
        return float(t[p])
    a, b, c = float(y[p - 1]), float(y[p]), float(y[p + 1])
    den = a - 2 * b + c
    off = 0.0 if den == 0 else float(np.clip(0.5 * (a - c) / den, -0.5, 0.5))
    dt = float(t[p + 1] - t[p]) if off > 0 else float(t[p] - t[p - 1])
    return float(t[p] + off * dt)


def _longest_gap(t: FloatArray, ok: np.ndarray) -> float:
    if ok.all():
        return 0.0
    good = t[ok]
    edges = np.concatenate(([t[0]], good, [t[-1]]))
    return float(np.max(np.diff(edges))) if edges.size > 1 else float(t[-1] - t[0])
