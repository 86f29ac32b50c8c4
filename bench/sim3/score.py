"""Score soleus's detector on a sim3 corpus: ``python -m bench.sim3.score DIR [--jobs J]
[--show] [--json OUT] [--by condition|format|rate|gyroscope|pocket]``.

Each recording is read and analysed in-process the way ``soleus analyze`` does it
(``soleus.signal.formats.load`` then ``soleus.signal.analysis.analyze``, no calibration).
A true set or bout owns the detected reps whose top falls between its first rep's start
minus 1.5 s and its last rep's end plus 1.5 s (never past halfway to the next set); any
other rep in a file of sets is a false rep in a rest; every rep in a quiet, other-leg or
knee-raise file is false. Tops are paired nearest first within 1 s to give the top
error: 0 for a top while the true heel is within 2 % of its height (the rise's last
moments, the hold, the release's first), else the distance to that span.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from statistics import median
from typing import Any

from bench.sim3.scenes import CONDITIONS

SLACK_S = 1.5
PAIR_S = 1.0


@dataclass
class FileScore:
    name: str
    condition: str
    spu: bool
    quiet_minutes: float
    sets: list[tuple[str, int, int]] = field(default_factory=list)  # (kind, true, found)
    top_errors_ms: list[float] = field(default_factory=list)
    false_reps: int = 0
    error: str = ""
    gyro_gaps: list[bool] = field(default_factory=list)  # per set: the gyroscope paused in it
    tags: dict[str, str] = field(default_factory=dict)  # format, rate, gyroscope, pocket
    missed: list[list[int]] = field(default_factory=list)  # per set: reps no top came near


BY = ("condition", "format", "rate", "gyroscope", "pocket")


def _tags(truth: dict[str, Any]) -> dict[str, str]:
    return {
        "format": str(truth["format"]),
        "rate": f"{truth['rate_hz']:.0f} Hz",
        "gyroscope": "gyroscope" if truth["gyroscope"] else "no gyroscope",
        "pocket": str(truth["phone"]).split(" ")[0],
    }


def _windows(sets: list[dict[str, Any]]) -> list[tuple[float, float]]:
    out = []
    for k, s in enumerate(sets):
        lo, hi = s["start_s"] - SLACK_S, s["end_s"] + SLACK_S
        if k:
            lo = max(lo, 0.5 * (sets[k - 1]["end_s"] + s["start_s"]))
        if k + 1 < len(sets):
            hi = min(hi, 0.5 * (s["end_s"] + sets[k + 1]["start_s"]))
        out.append((lo, hi))
    return out


def _off(f: float, first: float, last: float) -> float:
    """How far a found top is from the true top: 0 while the heel is within 2 % of its
    height (from ``first`` to ``last``), else the distance to that span."""
    return max(first - f, f - last, 0.0)


def _pair(spans: list[tuple[float, float]], found: list[float]) -> list[float]:
    """|error| in ms of tops paired greedily, nearest first, within PAIR_S."""
    pairs = sorted(
        (d, i, j)
        for i, (t, h) in enumerate(spans)
        for j, f in enumerate(found)
        if (d := _off(f, t, h)) <= PAIR_S
    )
    used_t: set[int] = set()
    used_f: set[int] = set()
    errs = []
    for d, i, j in pairs:
        if i in used_t or j in used_f:
            continue
        used_t.add(i)
        used_f.add(j)
        errs.append(d * 1000.0)
    return errs


def score_file(truth_path: Path) -> FileScore:
    from soleus.errors import SoleusError
    from soleus.signal.analysis import analyze
    from soleus.signal.formats import load

    truth = json.loads(truth_path.read_text())
    fs = FileScore(truth["file"], truth["condition"], truth["spu"], truth["quiet_minutes"])
    fs.tags = _tags(truth)
    t_gyro = None
    try:
        rec = load(truth_path.parent / truth["file"])
        t_gyro = rec.t_gyro
        tops = [float(r.top_s) for r in analyze(rec).reps]
    except SoleusError as e:
        fs.error = str(e)
        tops = []
    if not truth["spu"]:
        fs.false_reps = len(tops)
        return fs
    owned: set[int] = set()
    for s, (lo, hi) in zip(truth["sets"], _windows(truth["sets"]), strict=True):
        mine = [k for k, t in enumerate(tops) if lo <= t <= hi]
        owned.update(mine)
        fs.sets.append((s["kind"], s["count"], len(mine)))
        fs.gyro_gaps.append(t_gyro is not None and _paused(t_gyro, s["start_s"], s["end_s"]))
        spans = [(a, b) for a, b in s["near_top_s"]]
        fs.top_errors_ms += _pair(spans, [tops[k] for k in mine])
        near = [any(_off(tops[k], a, b) <= PAIR_S for k in mine) for a, b in spans]
        fs.missed.append([i for i, hit in enumerate(near) if not hit])
    fs.false_reps = len(tops) - len(owned)
    return fs


GAP_S = 0.04  # a pause in a stream: no sample for longer than this


def _paused(t: Any, start: float, end: float) -> bool:
    """Whether the stream with times ``t`` has a gap from 2 s before ``start`` to ``end``."""
    import numpy as np

    k = np.flatnonzero(np.diff(t) > GAP_S)
    return bool(np.any((t[k] > start - 2.0) & (t[k] < end)))


def _pct(n: int, d: int) -> str:
    return f"{100.0 * n / d:5.1f}" if d else "    -"


def table(scores: list[FileScore], by: str = "condition") -> str:
    """The figures per condition (or per ``by``: format, rate, gyroscope, pocket)."""
    head = (
        f"{by:<18} {'files':>5} {'sets':>5} {'exact%':>6} {'±1%':>6} {'±5%':>6} "
        f"{'top ms':>6} {'p90 ms':>6} {'false':>5} {'quiet min':>9}"
    )
    lines = [head, "-" * len(head)]
    if by == "condition":
        groups = [(c, [s for s in scores if s.condition == c]) for c in CONDITIONS]
    else:
        keys = sorted({s.tags[by] for s in scores})
        groups = [(k, [s for s in scores if s.tags[by] == k]) for k in keys]
    groups.append(("ALL", scores))
    for name, group in groups:
        if not group:
            continue
        sets = [x for s in group for x in s.sets]
        exact = sum(f == t for _, t, f in sets)
        one = sum(abs(f - t) <= 1 for _, t, f in sets)
        five = sum(abs(f - t) <= max(1.0, 0.05 * t) if k == "bout" else f == t for k, t, f in sets)
        errs = [e for s in group for e in s.top_errors_ms]
        top = f"{median(errs):6.0f}" if errs else "     -"
        p90 = f"{sorted(errs)[math.ceil(0.9 * len(errs)) - 1]:6.0f}" if errs else "     -"
        false = sum(s.false_reps for s in group)
        quiet = sum(s.quiet_minutes for s in group)
        lines.append(
            f"{name:<18} {len(group):>5} {len(sets):>5} {_pct(exact, len(sets)):>6} "
            f"{_pct(one, len(sets)):>6} {_pct(five, len(sets)):>6} {top:>6} {p90:>6} {false:>5} "
            f"{quiet:>9.1f}"
        )
    spu_false = sum(s.false_reps for s in scores if s.spu)
    quiet_false = sum(s.false_reps for s in scores if s.condition == "quiet")
    other_false = sum(s.false_reps for s in scores if not s.spu and s.condition != "quiet")
    q_min = sum(s.quiet_minutes for s in scores)
    lines.append(
        f"false reps: {quiet_false} in {q_min:.0f} quiet minutes; {other_false} in "
        f"other-leg and knee-raise files; {spu_false} outside the sets of SPU files"
    )
    split = [
        (g, t == f)
        for s in scores
        for g, (_, t, f) in zip(s.gyro_gaps or [False] * len(s.sets), s.sets, strict=True)
    ]
    if any(g for g, _ in split):
        gap = [ok for g, ok in split if g]
        rest = [ok for g, ok in split if not g]
        lines.append(
            f"exact with a gyroscope gap (> {GAP_S * 1000:.0f} ms) in the set: "
            f"{sum(gap)}/{len(gap)}"
            f" ({_pct(sum(gap), len(gap)).strip()} %); without: {sum(rest)}/{len(rest)}"
            f" ({_pct(sum(rest), len(rest)).strip()} %)"
        )
    broken = [s.name for s in scores if s.error]
    if broken:
        lines.append(f"{len(broken)} file(s) not analysed: {', '.join(broken[:8])}")
    return "\n".join(lines)


def _shown(s: FileScore) -> list[str]:
    """What went wrong in one file: each set off (the reps no top came near, 1-based,
    and whether the gyroscope paused in it), false reps, an error."""
    out = []
    gaps = s.gyro_gaps or [False] * len(s.sets)
    missed = s.missed or [[] for _ in s.sets]
    for n, ((kind, true, found), gap, lost) in enumerate(zip(s.sets, gaps, missed, strict=True)):
        if true != found:
            reps = f"; no top near rep {', '.join(str(i + 1) for i in lost)}" if lost else ""
            paused = "; the gyroscope paused in it" if gap else ""
            out.append(f"{s.name}: {kind} {n + 1}/{len(s.sets)} {true} -> {found}{reps}{paused}")
    if s.false_reps:
        out.append(f"{s.name}: {s.false_reps} false rep(s)")
    if s.error:
        out.append(f"{s.name}: not analysed: {s.error}")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.sim3.score", description=__doc__)
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--show", action="store_true", help="list every set that is off")
    ap.add_argument("--json", type=Path, help="write every file's score here")
    ap.add_argument("--by", choices=BY, default="condition", help="what a row of the table is")
    a = ap.parse_args(argv)
    truths = sorted(a.corpus.glob("*.truth.json"))
    if not truths:
        print(f"{a.corpus}: no *.truth.json (generate with python -m bench.sim3)", file=sys.stderr)
        return 2
    if a.jobs > 1:
        with ProcessPoolExecutor(a.jobs) as pool:
            scores = list(pool.map(score_file, truths, chunksize=4))
    else:
        scores = [score_file(p) for p in truths]
    if a.show:
        for s in scores:
            for line in _shown(s):
                print(line)
    print(table(scores, a.by))
    if a.json:
        a.json.write_text(json.dumps([vars(s) for s in scores], indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
