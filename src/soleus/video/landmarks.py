"""Frames in, foot landmark tracks out: OpenCV decodes, MediaPipe pose finds the landmarks.

Offline by construction: only ``model_complexity=1`` is used, whose model
(``modules/pose_landmark/pose_landmark_full.tflite``) ships inside the MediaPipe wheels
of 0.10.14 and 0.10.21; the file is checked before MediaPipe is asked for anything, so
MediaPipe's own fallback download (used for the lite and heavy models) is never reached.
"""

from __future__ import annotations

import contextlib
import os
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from soleus.errors import SoleusError

FloatArray = npt.NDArray[np.float64]

# MediaPipe pose landmark ids, per side: knee, ankle, heel, foot index (tip of the toes)
POINTS = ("knee", "ankle", "heel", "toe")
SIDES = ("left", "right")
_IDS = ((25, 27, 29, 31), (26, 28, 30, 32))
MODEL = "modules/pose_landmark/pose_landmark_full.tflite"
# frames larger than this (long side, px) are shrunk first: the landmark model sees a
# 256×256 crop of the person anyway, and big frames only cost copying
MAX_SIDE = 960
_PROTOBUF_WARNING = r"SymbolDatabase\.GetPrototype\(\) is deprecated"
MISSING_EXTRA = "video analysis needs the video extra: pip install 'soleus[video]'"


@dataclass(frozen=True)
class FootTracks:
    """Per frame: time, and for each side the knee/ankle/heel/toe in pixels (y down).

    ``xy[i, s, p]`` is point ``POINTS[p]`` of side ``SIDES[s]`` in frame ``i`` (NaN where
    no person was found); ``vis`` holds MediaPipe's visibility scores (0 when missing).
    """

    t: FloatArray
    xy: FloatArray  # (n, 2, 4, 2)
    vis: FloatArray  # (n, 2, 4)
    width: int
    height: int
    fps: float
    format: str

    @property
    def found(self) -> npt.NDArray[np.bool_]:
        return np.isfinite(self.xy[:, 0, 0, 0])

    @property
    def duration_s(self) -> float:
        if self.t.size == 0:
            return 0.0
        return float(self.t[-1] - self.t[0]) + (1.0 / self.fps if self.fps > 0 else 0.0)


def model_path() -> Path:
    """The pose landmark model inside the installed MediaPipe package."""
    try:
        import mediapipe
    except ImportError:
        raise SoleusError(MISSING_EXTRA) from None
    path = Path(mediapipe.__file__).parent / MODEL
    if not path.is_file():
        raise SoleusError(
            f"this MediaPipe ({getattr(mediapipe, '__version__', '?')}) ships no pose model; "
            "install mediapipe==0.10.14 (soleus never downloads models)"
        )
    return path


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """Silence MediaPipe: protobuf's deprecation warning and the C++ log lines on fd 2."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=_PROTOBUF_WARNING, category=UserWarning)
        try:
            saved = os.dup(2)
        except OSError:
            yield
            return
        try:
            with open(os.devnull, "wb") as null:
                os.dup2(null.fileno(), 2)
                yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)


class PoseTracker:
    """MediaPipe pose in video mode (detect once, then track), one frame at a time."""

    def __init__(self) -> None:
        model_path()
        os.environ.setdefault("GLOG_minloglevel", "2")
        with _quiet():
            from mediapipe.python.solutions.pose import Pose

            self._pose: Any = Pose(
                static_image_mode=False,
                model_complexity=1,
                smooth_landmarks=True,
                enable_segmentation=False,
                min_detection_confidence=0.5,
                min_tracking_confidence=0.5,
            )

    def close(self) -> None:
        self._pose.close()

    def __enter__(self) -> PoseTracker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def process(self, rgb: npt.NDArray[np.uint8]) -> tuple[FloatArray, FloatArray]:
        """Landmarks of one RGB frame: (2, 4, 2) pixels (NaN if no person), (2, 4) visibility."""
        h, w = rgb.shape[:2]
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=_PROTOBUF_WARNING, category=UserWarning)
            result = self._pose.process(rgb)
        xy = np.full((2, 4, 2), np.nan)
        vis = np.zeros((2, 4))
        if result.pose_landmarks is not None:
            lm = result.pose_landmarks.landmark
            for s, ids in enumerate(_IDS):
                for p, i in enumerate(ids):
                    xy[s, p] = (lm[i].x * w, lm[i].y * h)
                    vis[s, p] = lm[i].visibility
        return xy, vis


def track_frames(
    frames: Iterable[tuple[float, npt.NDArray[np.uint8]]], *, fps: float, format: str = "frames"
) -> FootTracks:
    """Run the pose tracker over ``(time_s, rgb_frame)`` pairs."""
    ts: list[float] = []
    xys: list[FloatArray] = []
    viss: list[FloatArray] = []
    width = height = 0
    # MediaPipe's C++ logs (TFLite delegates, graph set-up) may come at any frame
    with _quiet(), PoseTracker() as tracker:
        for t, rgb in frames:
            height, width = rgb.shape[:2]
            xy, vis = tracker.process(rgb)
            ts.append(t)
            xys.append(xy)
            viss.append(vis)
    return FootTracks(
        t=np.asarray(ts, dtype=np.float64),
        xy=np.asarray(xys, dtype=np.float64).reshape(-1, 2, 4, 2),
        vis=np.asarray(viss, dtype=np.float64).reshape(-1, 2, 4),
        width=width,
        height=height,
        fps=fps,
        format=format,
    )


def read_frames(path: Path) -> tuple[Iterator[tuple[float, npt.NDArray[np.uint8]]], float, str]:
    """Decode a video: an iterator of ``(time_s, rgb)``, the nominal frame rate, a format name."""
    model_path()
    import cv2

    if not path.is_file():
        raise SoleusError("no such file", where=str(path))
    with _quiet():  # FFmpeg's own complaints about a broken file go to fd 2
        cap = cv2.VideoCapture(str(path))
    if not cap.isOpened():
        cap.release()
        raise SoleusError(
            "cannot read this video (not a video, or an unknown codec)", where=str(path)
        )
    fps = float(cap.get(cv2.CAP_PROP_FPS) or 0.0)
    if not np.isfinite(fps) or not 1.0 <= fps <= 1000.0:
        fps = 0.0
    fourcc = int(cap.get(cv2.CAP_PROP_FOURCC) or 0)
    codec = "".join(chr((fourcc >> (8 * k)) & 0xFF) for k in range(4)).strip("\x00 ")
    name = f"{path.suffix.lstrip('.').lower() or 'video'} video"
    if codec.isprintable() and codec:
        name += f" ({codec})"

    def frames() -> Iterator[tuple[float, npt.NDArray[np.uint8]]]:
        i = 0
        last = -1.0
        try:
            while True:
                ok, bgr = cap.read()
                if not ok or bgr is None:
                    break
                # the decoded frame's timestamp (variable frame rate phone videos), or
                # one nominal frame period on when the container has none
                t = float(cap.get(cv2.CAP_PROP_POS_MSEC) or 0.0) / 1000.0
                if not np.isfinite(t) or t <= last:
                    t = last + 1.0 / (fps or 30.0) if i else 0.0
                last = t
                h, w = bgr.shape[:2]
                if max(h, w) > MAX_SIDE:
                    k = MAX_SIDE / max(h, w)
                    bgr = cv2.resize(
                        bgr, (round(w * k), round(h * k)), interpolation=cv2.INTER_AREA
                    )
                yield t, np.asarray(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB), np.uint8)
                i += 1
        finally:
            cap.release()

    return frames(), fps, name


def read_video(path: Path) -> FootTracks:
    """Decode ``path`` and track the feet through it."""
    frames, fps, name = read_frames(path)
    tracks = track_frames(frames, fps=fps, format=name)
    if tracks.t.size == 0:
        raise SoleusError("cannot read this video: no frames could be decoded", where=str(path))
    if not fps and tracks.t.size > 1:
        fps = float((tracks.t.size - 1) / (tracks.t[-1] - tracks.t[0]))
        tracks = FootTracks(
            tracks.t, tracks.xy, tracks.vis, tracks.width, tracks.height, fps, tracks.format
        )
    return tracks
