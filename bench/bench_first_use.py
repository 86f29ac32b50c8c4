"""First use on a fresh install: `pip install <repo>` into a new venv, no warm-up step,
then the first and later `soleus analyze` of a 5-minute simulated recording.

Targets (issue 12, item 5): the first analyze ≤ 5 s wall, later ones ≤ 1.5 s. Each
install builds the wheel from the repository (setup.py compiles the detector's kernels
into it); pip may take the dependencies from its wheel cache. With --cold, one more
analyze after the shipped kernel cache is removed shows what a first use costs
without it (numba compiling). Wall and CPU (user + system) seconds are printed: on a
loaded machine wall swings with the load, CPU much less.
    python bench/bench_first_use.py [--installs 2] [--runs 5] [--cold] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from soleus.signal.simulate import RepSet, Rest, Sensors, simulate  # noqa: E402
from soleus.signal.writers import generic_csv  # noqa: E402


def recording(path: Path) -> int:
    """Five minutes at 100 Hz: six sets of 12 between rests. Returns the true count."""
    events: list[Rest | RepSet] = [Rest(20.0)]
    for _ in range(6):
        events += [RepSet(reps=12, cadence=30.0), Rest(20.0)]
    events.append(Rest(16.0))
    sim = simulate(events, Sensors(rate_hz=100.0), seed=5)
    path.write_bytes(generic_csv(sim.recording))
    return len(sim.truth.reps)


def _cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def timed(argv: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """(wall s, CPU s, stdout) of one run."""
    cpu, start = _cpu(), time.perf_counter()
    out = subprocess.run(argv, env=env, check=True, capture_output=True, text=True).stdout
    return time.perf_counter() - start, _cpu() - cpu, out


def install(venv: Path, env: dict[str, str]) -> tuple[float, float]:
    """A new venv and `pip install <repo>` in it: (wall s, CPU s). pip builds the wheel
    from the repository each time (it keeps no wheel built from a local folder); the
    dependencies may come from its wheel cache."""
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", str(ROOT)]
    return timed(pip, env)[:2]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--installs", type=int, default=2, help="fresh venvs, each its first use")
    ap.add_argument("--runs", type=int, default=5, help="later analyses per install")
    ap.add_argument("--cold", action="store_true", help="also time a first use without the cache")
    ap.add_argument("--keep", type=Path, help="build the venvs here and keep them")
    args = ap.parse_args()
    base = args.keep or Path(tempfile.mkdtemp(prefix="soleus-first-use-"))
    base.mkdir(parents=True, exist_ok=True)
    data = base / "five-minutes.csv"
    truth = recording(data)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["SOLEUS_DATA_DIR"] = str(base / "data")
    env["SOLEUS_CONFIG_DIR"] = str(base / "config")
    print(
        f"5-min recording {data} ({truth} reps); load {os.getloadavg()[0]:.1f}, "
        f"{os.cpu_count()} CPUs"
    )
    firsts, laters, later_cpu = [], [], []
    for n in range(args.installs):
        venv = base / f"venv{n}"
        shutil.rmtree(venv, ignore_errors=True)
        wall, cpu = install(venv, env)
        argv = [str(venv / "bin" / "soleus"), "analyze", str(data), "--json"]
        first = timed(argv, env)
        count = json.loads(first[2])["count"]
        firsts.append(first[0])
        print(
            f"install {n + 1}: pip install <repo> {wall:.0f} s wall, {cpu:.0f} s CPU; "
            f"first analyze {first[0]:.2f} s wall, {first[1]:.2f} s CPU, count {count}/{truth}"
        )
        for _ in range(args.runs):
            w, c, _out = timed(argv, env)
            laters.append(w)
            later_cpu.append(c)
        if args.cold and n == args.installs - 1:
            site = next((venv / "lib").glob("python*/site-packages"))
            shutil.rmtree(site / "soleus" / "signal" / "kernels" / "_cache")
            w, c, _out = timed(argv, env)
            print(
                f"  without the shipped kernel cache (numba compiles): {w:.1f} s wall, "
                f"{c:.1f} s CPU"
            )
    print(
        f"first analyze: median {statistics.median(firsts):.2f} s, max {max(firsts):.2f} s "
        f"over {len(firsts)} installs (target ≤ 5 s)"
    )
    print(
        f"later analyze: median {statistics.median(laters):.2f} s, max {max(laters):.2f} s, "
        f"CPU median {statistics.median(later_cpu):.2f} s over {len(laters)} runs "
        f"(target ≤ 1.5 s)"
    )
    if not args.keep:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
