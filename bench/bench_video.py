"""Benchmark video analysis speed (printed figures, not a test).

    .venv/bin/python bench/bench_video.py [--runs 3] [--seconds 20]

A drawn seated person doing heel raises (soleus.video.synthetic), 640×480 at 30 fps,
written as MPEG-4. Per run it prints frames analysed per second of wall time and per
CPU second, for MediaPipe pose alone (frames already in memory) and for the whole
``soleus analyze`` pipeline (decode + pose + reps). Target: ≥ 30 frames/s, i.e. at
least real time for 30 fps video, on the 2-core machine. The model is MediaPipe's
``pose_landmark_full`` (model_complexity=1; the only one the wheels ship), frames
larger than 960 px are shrunk first; the landmark model itself always sees a
256×256 crop of the person.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from soleus.video import synthetic
from soleus.video.analysis import analyze_video
from soleus.video.landmarks import track_frames


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--seconds", type=float, default=20.0)
    args = ap.parse_args()
    reps = max(1, round((args.seconds - 2.0) / 2.2))
    it, _, n = synthetic.frames(reps)
    frames = [f for _, f in it]
    print(
        f"clip: {n} frames ({n / 30:.1f} s at 30 fps, 640×480), {reps} reps; "
        f"{os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.1f}"
    )
    pose_wall: list[float] = []
    pose_cpu: list[float] = []
    full_wall: list[float] = []
    full_cpu: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        clip = Path(tmp) / "bench.mp4"
        synthetic.write(clip, reps)
        for run in range(1, args.runs + 1):
            w0, c0 = time.perf_counter(), time.process_time()
            track_frames(((i / 30.0, f) for i, f in enumerate(frames)), fps=30.0)
            w, c = time.perf_counter() - w0, time.process_time() - c0
            pose_wall.append(n / w)
            pose_cpu.append(n / c)
            w0, c0 = time.perf_counter(), time.process_time()
            result = analyze_video(clip)
            w, c = time.perf_counter() - w0, time.process_time() - c0
            full_wall.append(n / w)
            full_cpu.append(n / c)
            print(
                f"run {run}: pose alone {pose_wall[-1]:5.1f} frames/s wall, "
                f"{pose_cpu[-1]:5.1f} per CPU s | whole analysis {full_wall[-1]:5.1f} frames/s "
                f"wall ({full_wall[-1] / 30:.2f}× real time), {full_cpu[-1]:5.1f} per CPU s; "
                f"{result.count} reps counted"
            )
    print(
        f"median over {args.runs} runs: pose {statistics.median(pose_wall):.1f} frames/s, "
        f"whole analysis {statistics.median(full_wall):.1f} frames/s wall, "
        f"{statistics.median(full_cpu):.1f} frames per CPU second (target ≥ 30)"
    )


if __name__ == "__main__":
    main()
