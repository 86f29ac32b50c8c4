"""``python -m bench.sim2.fast DIR``: score a sim2 corpus in-process (for development).

The same scoring as :mod:`bench.sim2.score`, but the analysis runs in this process
(``soleus.signal.analysis.analyze`` on the loaded file, as ``soleus analyze --json``
does) and the parsed recordings are cached in ``DIR/_parsed`` (npz), so a re-run after
a change to the detector takes seconds, not the CLI's minutes. ``--only COND`` limits
the run to one condition; ``--show`` prints the files whose count is wrong.
"""

from __future__ import annotations

import argparse
import json
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
from bench.sim2.score import score_case, table


def _recording(path: Path, cache: Path) -> Any:
    from soleus.signal.formats import load
    from soleus.signal.recording import Recording

    if cache.exists():
        z = np.load(cache, allow_pickle=False)
        parts = {k: z.get(k) for k in ("t_acc", "acc", "t_gyro", "gyro")}
        notes = tuple(str(n) for n in z["notes"])
        return Recording(format=str(z["format"]), notes=notes, **parts)
    rec = load(path)
    arrays = {k: getattr(rec, k) for k in ("t_acc", "acc", "t_gyro", "gyro")}
    np.savez(
        cache,
        format=rec.format,
        notes=np.array(rec.notes, dtype=str),
        **{k: v for k, v in arrays.items() if v is not None},
    )
    return rec


def analyze_one(args: tuple[str, str, str]) -> dict[str, Any]:
    from soleus.errors import SoleusError
    from soleus.signal.analysis import analyze

    name, style, root = args
    d = Path(root)
    (d / "_parsed").mkdir(exist_ok=True)
    try:
        rec = _recording(d / name, d / "_parsed" / f"{name}.npz")
        res: dict[str, Any] = analyze(rec, style="bout" if style == "bout" else "sets").to_dict()
        res["exit"] = 0
    except SoleusError as e:
        res = {"error": e.message, "reps": [], "exit": e.exit_code}
    return res


def main() -> None:
    ap = argparse.ArgumentParser(prog="python -m bench.sim2.fast", description=__doc__)
    ap.add_argument("dir", type=Path)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--only", help="one condition")
    ap.add_argument("--show", action="store_true", help="list the files with wrong counts")
    a = ap.parse_args()
    truth = json.loads((a.dir / "truth.json").read_text())
    cases = [c for c in truth["cases"] if not a.only or c["condition"] == a.only]
    jobs = [(c["name"], c["style"], str(a.dir)) for c in cases]
    with ProcessPoolExecutor(a.jobs) as ex:
        results = list(ex.map(analyze_one, jobs))
    scored = [(c, score_case(c, r)) for c, r in zip(cases, results, strict=True)]
    for c, s in scored:
        if s["error"]:
            print(f"error: {c['name']}: {s['error']}", file=sys.stderr)
    if a.show:
        for c, s in scored:
            rows = [(r["true"], r["found"]) for r in s["rows"] if r["true"] != r["found"]]
            if rows or s["false"]:
                print(f"  {c['name']:40} {c['condition']:18} wrong {rows} false {s['false']}")
    print(f"sim2 corpus {a.dir} (seed {truth.get('seed')}): {len(cases)} files (in-process)")
    print(table(truth, scored))


if __name__ == "__main__":
    main()
