"""``python -m bench.sim2.score DIR``: run ``soleus analyze FILE --json`` on every file of a
sim2 corpus and compare with its truth.json.

Each detected rep is given to the true set whose time window holds its ``top_s``
(the set from its first rep's start to its last rep's end, widened by up to 5 s, never
past the middle of the rest); reps outside every window are false reps. Per condition:

- exact %, ±1 %: sets (bouts) whose detected count is exactly right / off by at most one
  (bouts also ±5 %)
- top ms: median |time error| of each true top to the nearest detected top in its set
- false: reps counted where there are none (quiet recordings, other-leg sets, leg lifts,
  the rests between sets), and per minute for quiet sitting
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np


def analyze(path: Path, style: str, out: Path, fresh: bool) -> dict[str, Any]:
    if out.exists() and not fresh:
        return json.loads(out.read_text())
    cmd = [sys.executable, "-m", "soleus", "analyze", str(path), "--json"]
    if style == "bout":
        cmd += ["--style", "bout"]
    p = subprocess.run(cmd, capture_output=True, text=True, env=os.environ.copy(), check=False)
    try:
        res: dict[str, Any] = json.loads(p.stdout)
    except ValueError:
        res = {"error": (p.stderr or p.stdout).strip()[-300:], "reps": []}
    res["exit"] = p.returncode
    out.write_text(json.dumps(res))
    return res


def windows(case: dict[str, Any]) -> list[tuple[float, float]]:
    sets = sorted(case["sets"] + case["bouts"], key=lambda s: s["start_s"])
    out = []
    for k, s in enumerate(sets):
        lo = s["start_s"] - 5.0
        hi = s["end_s"] + 5.0
        if k:
            lo = max(lo, (sets[k - 1]["end_s"] + s["start_s"]) / 2)
        if k + 1 < len(sets):
            hi = min(hi, (s["end_s"] + sets[k + 1]["start_s"]) / 2)
        out.append((lo, hi))
    return out


def score_case(case: dict[str, Any], res: dict[str, Any]) -> dict[str, Any]:
    tops = np.array([r["top_s"] for r in res.get("reps", [])], dtype=float)
    used = np.zeros(tops.size, dtype=bool)
    rows = []
    sets = sorted(case["sets"] + case["bouts"], key=lambda s: s["start_s"])
    for s, (lo, hi) in zip(sets, windows(case), strict=True):
        inside = (tops >= lo) & (tops <= hi)
        used |= inside
        det = tops[inside]
        errs = [float(np.min(np.abs(det - t))) * 1000 for t in s["tops"]] if det.size else []
        rows.append({"true": s["count"], "found": int(det.size), "errs": errs})
    return {
        "rows": rows,
        "false": int((~used).sum()),
        "error": res.get("error") if res.get("exit", 0) else None,
    }


def _pct(x: list[bool]) -> str:
    return f"{100 * np.mean(x):5.1f}" if x else "    -"


def table(truth: dict[str, Any], scored: list[tuple[dict[str, Any], dict[str, Any]]]) -> str:
    by: dict[str, list[tuple[dict[str, Any], dict[str, Any]]]] = {}
    for c, s in scored:
        by.setdefault(c["condition"], []).append((c, s))
    head = (
        f"{'condition':18} {'files':>5} {'sets':>5} {'exact%':>6} {'±1%':>6} {'±5%':>6} "
        f"{'top ms':>7} {'false':>6} {'false/min':>9} {'errors':>6}"
    )
    lines = [head, "-" * len(head)]
    total: dict[str, list[Any]] = {"exact": [], "one": [], "five": [], "errs": []}

    def line(name: str, items: list[tuple[dict[str, Any], dict[str, Any]]]) -> str:
        rows = [r for _, s in items for r in s["rows"]]
        exact = [r["found"] == r["true"] for r in rows]
        one = [abs(r["found"] - r["true"]) <= 1 for r in rows]
        five = [abs(r["found"] - r["true"]) <= max(1, 0.05 * r["true"]) for r in rows]
        errs = [e for r in rows for e in r["errs"]]
        false = sum(s["false"] for _, s in items)
        minutes = sum(c["duration_s"] for c, _ in items) / 60
        nerr = sum(1 for _, s in items if s["error"])
        if name not in ("quiet", "other_leg", "leg_lift"):
            total["exact"] += exact
            total["one"] += one
            total["five"] += five
            total["errs"] += errs
        med = f"{np.median(errs):7.0f}" if errs else "      -"
        return (
            f"{name:18} {len(items):5d} {len(rows):5d} {_pct(exact):>6} {_pct(one):>6} "
            f"{_pct(five):>6} {med} {false:6d} {false / max(minutes, 1e-9):9.3f} {nerr:6d}"
        )

    for name in sorted(by):
        lines.append(line(name, by[name]))
    lines.append("-" * len(head))
    med = f"{np.median(total['errs']):7.0f}" if total["errs"] else "      -"
    lines.append(
        f"{'all SPU sets+bouts':18} {'':5} {len(total['exact']):5d} {_pct(total['exact']):>6} "
        f"{_pct(total['one']):>6} {_pct(total['five']):>6} {med}"
    )
    quiet = by.get("quiet", [])
    qmin = sum(c["quiet_minutes"] for c, _ in quiet)
    qfalse = sum(s["false"] for _, s in quiet)
    lines.append(
        f"quiet sitting: {qfalse} false reps in {qmin:.0f} min ({qfalse / max(qmin, 1e-9):.3f}/min)"
    )
    zero = [s for n in ("other_leg", "leg_lift") for _, s in by.get(n, [])]
    lines.append(
        f"non-SPU sets (other leg, leg lifts): {sum(s['false'] for s in zero)} false reps "
        f"in {len(zero)} files"
    )
    rest = sum(
        s["false"]
        for n, items in by.items()
        if n not in ("quiet", "other_leg", "leg_lift")
        for _, s in items
    )
    lines.append(f"reps outside the true sets in SPU files (rests, lead-in/out): {rest}")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(prog="python -m bench.sim2.score", description=__doc__)
    ap.add_argument("dir", type=Path)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--fresh", action="store_true", help="re-run files already analysed")
    a = ap.parse_args()
    truth = json.loads((a.dir / "truth.json").read_text())
    res_dir = a.dir / "_results"
    res_dir.mkdir(exist_ok=True)
    cases = truth["cases"]

    def run(c: dict[str, Any]) -> dict[str, Any]:
        return analyze(a.dir / c["name"], c["style"], res_dir / f"{c['name']}.json", a.fresh)

    with ThreadPoolExecutor(a.jobs) as ex:
        results = list(ex.map(run, cases))
    scored = [(c, score_case(c, r)) for c, r in zip(cases, results, strict=True)]
    errors = [(c["name"], s["error"]) for c, s in scored if s["error"]]
    for name, err in errors[:10]:
        print(f"error: {name}: {err}", file=sys.stderr)
    print(f"sim2 corpus {a.dir} (seed {truth.get('seed')}): {len(cases)} files")
    print(table(truth, scored))
    (a.dir / "score.json").write_text(json.dumps([{"name": c["name"], **s} for c, s in scored]))


if __name__ == "__main__":
    main()
