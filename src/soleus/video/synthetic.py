"""A drawn video of a seated person doing heel raises, with ground truth (tests, bench).

No photo of a whole seated person ships with any installed package, so the person is
drawn with OpenCV: a side view of someone on a chair, facing right, the near foot's heel
rising while the forefoot stays on the floor (the foot pivots about the ball of the foot,
the toes stay flat), or — with ``toe_ratio`` — the forefoot lifting with it. MediaPipe
pose finds the body, heel and toe landmarks on these frames.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from soleus.video.landmarks import FloatArray

W, H = 640, 480
SKIN = (150, 180, 225)  # BGR
SHIRT = (160, 80, 40)
TROUSERS = (60, 50, 40)
SHOE = (30, 30, 30)
CHAIR = (90, 130, 170)
HEEL_BALL_PX = 55.0
MAX_HEEL_PX = 20.0  # ~21° of foot pitch: a full heel raise


@dataclass(frozen=True)
class Truth:
    starts: FloatArray
    tops: FloatArray
    ends: FloatArray


def _limb(
    img: npt.NDArray[np.uint8],
    a: FloatArray,
    b: FloatArray,
    w0: float,
    w1: float,
    color: tuple[int, int, int],
) -> None:
    import cv2

    d = b - a
    n = np.array([-d[1], d[0]]) / (float(np.hypot(*d)) + 1e-9)
    poly = np.array([a + n * w0 / 2, b + n * w1 / 2, b - n * w1 / 2, a - n * w0 / 2])
    cv2.fillPoly(img, [np.round(poly * 16).astype(np.int32)], color, cv2.LINE_AA, shift=4)
    for p, w in ((a, w0), (b, w1)):
        c = (round(float(p[0]) * 16), round(float(p[1]) * 16))
        cv2.circle(img, c, int(w / 2 * 16), color, -1, cv2.LINE_AA, shift=4)


def _leg(
    heel_up: float, toe_up: float
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray, FloatArray, FloatArray, FloatArray]:
    # the foot pivots about the ball; the toes stay flat unless the forefoot lifts
    ball = np.array([425.0, 398.0 - toe_up])
    tip = np.array([455.0, 398.0 - toe_up])
    th = float(np.arcsin(np.clip((heel_up - toe_up) / HEEL_BALL_PX, -1.0, 1.0)))
    u = np.array([-np.cos(th), -np.sin(th)])  # ball → heel
    up = np.array([u[1], -u[0]])
    if up[1] > 0:
        up = -up
    heel = ball + HEEL_BALL_PX * u
    ankle = heel - u * 14 + up * 26
    knee = np.array([370.0, 240.0 - 0.7 * heel_up])  # the knee rises with the heel
    return knee, ankle, heel, tip, ball, u, up


def points(heel_up: float = 0.0, toe_up: float = 0.0) -> FloatArray:
    """Where the drawn knee, ankle, heel and toe tip are (4, 2) px: the exact landmarks."""
    knee, ankle, heel, toe, *_ = _leg(heel_up, toe_up)
    return np.stack([knee, ankle, heel + np.array([-3.0, 0.0]), toe])


def draw(
    heel_up: float = 0.0, toe_up: float = 0.0, *, person: bool = True
) -> npt.NDArray[np.uint8]:
    """One BGR frame: the heel ``heel_up`` px and the forefoot ``toe_up`` px off the floor."""
    import cv2

    img = np.full((H, W, 3), (225, 230, 235), np.uint8)
    img[400:] = (170, 175, 180)  # floor
    cv2.rectangle(img, (170, 255), (330, 275), CHAIR, -1)
    cv2.rectangle(img, (175, 275), (190, 400), CHAIR, -1)
    cv2.rectangle(img, (310, 275), (325, 400), CHAIR, -1)
    cv2.rectangle(img, (165, 100), (180, 260), CHAIR, -1)
    if not person:
        return img
    hip = np.array([230.0, 240.0])
    shoulder = np.array([225.0, 110.0])
    knee, ankle, heel, toe, ball, u, up = _leg(heel_up, toe_up)
    tip = toe
    _limb(img, hip, knee, 62, 46, TROUSERS)
    _limb(img, knee, ankle + up * 6, 44, 30, TROUSERS)
    shoe = np.array(
        [
            heel + u * 3,
            heel + u * 3 + up * 18,
            ankle + up * 8 - u * 6,
            ball + up * 20 + u * 8,
            ball + up * 14,
            tip + np.array([0.0, -12.0]),
            tip + np.array([4.0, -4.0]),
            tip,
            ball,
        ]
    )
    cv2.fillPoly(img, [np.round(shoe * 16).astype(np.int32)], SHOE, cv2.LINE_AA, shift=4)
    _limb(img, shoulder, hip, 70, 66, SHIRT)
    _limb(img, np.array([228.0, 70.0]), np.array([230.0, 100.0]), 26, 30, SKIN)  # neck
    elbow = np.array([262.0, 185.0])
    wrist = np.array([330.0, 215.0])
    _limb(img, shoulder, elbow, 30, 24, SHIRT)
    _limb(img, elbow, wrist, 22, 18, SKIN)
    cv2.circle(img, (330, 215), 12, SKIN, -1, cv2.LINE_AA)
    cv2.ellipse(img, (232, 62), (30, 36), 0, 0, 360, SKIN, -1, cv2.LINE_AA)  # head
    cv2.ellipse(img, (226, 48), (32, 24), 0, 180, 360, (40, 40, 60), -1, cv2.LINE_AA)  # hair
    cv2.fillPoly(img, [np.array([[258, 58], [272, 74], [258, 78]])], SKIN, cv2.LINE_AA)  # nose
    cv2.circle(img, (250, 58), 3, (30, 30, 30), -1, cv2.LINE_AA)  # eye
    cv2.line(img, (248, 86), (258, 86), (80, 80, 160), 2, cv2.LINE_AA)  # mouth
    cv2.ellipse(img, (222, 64), (6, 9), 0, 0, 360, (130, 160, 210), -1, cv2.LINE_AA)  # ear
    return img


def profile(
    reps: int,
    *,
    fps: float = 30.0,
    lead_s: float = 1.0,
    rise_s: float = 0.5,
    hold_s: float = 0.2,
    release_s: float = 0.6,
    rest_s: float = 0.9,
    tail_s: float = 1.0,
) -> tuple[FloatArray, FloatArray, Truth]:
    """Frame times and heel height (0..1) for ``reps`` raised-cosine heel raises."""
    period = rise_s + hold_s + release_s + rest_s
    duration = lead_s + reps * period - rest_s + tail_s
    t = np.arange(round(duration * fps)) / fps
    y = np.zeros_like(t)
    starts = lead_s + period * np.arange(reps)
    for s in starts:
        a = (t >= s) & (t < s + rise_s)
        y[a] = 0.5 - 0.5 * np.cos(np.pi * (t[a] - s) / rise_s)
        y[(t >= s + rise_s) & (t < s + rise_s + hold_s)] = 1.0
        b0 = s + rise_s + hold_s
        b = (t >= b0) & (t < b0 + release_s)
        y[b] = 0.5 + 0.5 * np.cos(np.pi * (t[b] - b0) / release_s)
    tops = starts + rise_s + 0.5 * hold_s
    ends = starts + rise_s + hold_s + release_s
    return t, y, Truth(np.asarray(starts, float), np.asarray(tops, float), np.asarray(ends, float))


def frames(
    reps: int,
    *,
    toe_ratio: float = 0.0,
    person: bool = True,
    fps: float = 30.0,
    heel_px: float = MAX_HEEL_PX,
) -> tuple[Iterator[tuple[float, npt.NDArray[np.uint8]]], Truth, int]:
    """RGB frames of ``reps`` heel raises; the truth; and the number of frames."""
    import cv2

    t, y, truth = profile(reps, fps=fps)

    def gen() -> Iterator[tuple[float, npt.NDArray[np.uint8]]]:
        for ti, yi in zip(t, y, strict=True):
            bgr = draw(heel_px * yi, toe_ratio * heel_px * yi, person=person)
            yield float(ti), np.asarray(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB), np.uint8)

    return gen(), truth, int(t.size)


def write(
    path: Path, reps: int, *, toe_ratio: float = 0.0, person: bool = True, fps: float = 30.0
) -> Truth:
    """Write the clip as an MPEG-4 (mp4v) video; returns the ground truth."""
    import cv2

    it, truth, _ = frames(reps, toe_ratio=toe_ratio, person=person, fps=fps)
    out = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"mp4v"), fps, (W, H))
    if not out.isOpened():
        raise RuntimeError(f"OpenCV cannot write {path}")
    try:
        for _, rgb in it:
            out.write(cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR))
    finally:
        out.release()
    return truth
