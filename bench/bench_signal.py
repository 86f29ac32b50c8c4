"""Benchmark the SPU detector on simulated recordings (printed figures, not a test).

    .venv/bin/python bench/bench_signal.py [--sets 320] [--hours 1.0] [--seed 9000] [--speed]

Prints, per run: exact-count %, within ±1 %, median |top_s error| over ≥200 simulated
sets across all conditions; false reps over simulated hours of sitting without SPUs;
live latency (streamed in 0.1 s chunks); detector throughput (hours of 100 Hz data per
CPU second: the median of five runs of half a CPU second each, and their spread;
``--speed`` prints only these); CSV parsing MB/s.
Seeds start at 9000 (tests use small seeds) so the bench is data the code was not
written against. Then the same figures per condition on bench/sim2, a second simulator
written from the physics by someone who had not read ours (held-out seeds 1000+; tune
only on sim2 seeds 100-999), and on bench/sim3, a third written from the physics and the
import formats alone, never tuned on (held-out seeds 5000+). ``--no-sim2`` skips both.
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict
from collections.abc import Callable, Iterator

import numpy as np

from soleus.signal.detect import detect
from soleus.signal.formats import parse
from soleus.signal.recording import Recording
from soleus.signal.scenarios import CONDITIONS, random_confounders, random_set
from soleus.signal.simulate import RepSet, Rest, Sensors, Simulated, simulate
from soleus.signal.writers import WRITERS, generic_csv


def simulated_sets(n_sets: int, seed: int) -> Iterator[tuple[str, Simulated]]:
    """n_sets simulated sets, the conditions in turn, each with its own seed."""
    for k in range(n_sets):
        cond = CONDITIONS[k % len(CONDITIONS)]
        events, sensors = random_set(cond, np.random.default_rng(seed + k))
        yield cond, simulate(events, sensors, seed=seed + k)


def accuracy(n_sets: int, seed: int) -> None:
    per: dict[str, list[int]] = defaultdict(list)
    errors: list[float] = []
    diffs: list[int] = []
    for cond, sim in simulated_sets(n_sets, seed):
        d = detect(sim.recording)
        diff = len(d.reps) - len(sim.truth.reps)
        diffs.append(diff)
        per[cond].append(diff)
        tops = np.array([r.top_s for r in d.reps])
        if tops.size:
            for truth in sim.truth.reps:
                j = int(np.argmin(np.abs(tops - truth.top_s)))
                if abs(tops[j] - truth.top_s) < 0.5:
                    errors.append(abs(float(tops[j] - truth.top_s)))
    arr = np.array(diffs)
    print(
        f"  sets: {n_sets}, exact count {np.mean(arr == 0):.1%}, "
        f"within ±1 {np.mean(np.abs(arr) <= 1):.1%}, "
        f"median |top_s error| {1000 * np.median(errors):.0f} ms "
        f"(p90 {1000 * np.percentile(errors, 90):.0f} ms)"
    )
    bad = {c: [x for x in v if x] for c, v in per.items() if any(v)}
    if bad:
        print(f"  count errors by condition: {bad}")


def latency(n_sets: int, seed: int, chunk_s: float = 0.1) -> None:
    """Live: each set streamed in chunk_s pieces; when was each rep known, after the
    heel came down? (A set's first reps wait for the third full one, which confirms it:
    they are reported together with it, and measured apart.)"""
    later: list[float] = []
    first: list[float] = []
    for _cond, sim in simulated_sets(n_sets, seed):
        d = detect(sim.recording, chunk_s=chunk_s)
        ends = np.array([r.end_s for r in sim.truth.reps])
        for i, rep in enumerate(d.reps):
            j = int(np.argmin(np.abs(ends - rep.end_s)))
            waited = i + 1 < len(d.reps) and d.reps[i + 1].detected_at_s == rep.detected_at_s
            (first if waited else later).append(rep.detected_at_s - float(ends[j]))
    lat = np.array(later)
    print(
        f"  live latency after the heel is down ({len(lat)} reps, {n_sets} sets streamed "
        f"in {chunk_s:g} s chunks): median {1000 * np.median(lat):.0f} ms, "
        f"p95 {1000 * np.percentile(lat, 95):.0f} ms, max {1000 * lat.max():.0f} ms; "
        f"reps that waited for their set's third: median {np.median(first):.1f} s"
    )


def false_reps(hours: float, seed: int) -> None:
    chunks = int(np.ceil(hours * 3600 / 300))
    total_s = 0.0
    reps = lifts = 0
    for k in range(chunks):
        rng = np.random.default_rng(seed + 50_000 + k)
        sensors = Sensors(gyroscope=bool(k % 3), rate_hz=float(rng.choice([50.0, 100.0])))
        sim = simulate(random_confounders(rng, 300.0), sensors, seed=seed + 50_000 + k)
        d = detect(sim.recording)
        total_s += sim.recording.duration_s
        reps += len(d.reps)
        lifts += len(d.lifts)
    print(
        f"  confounders: {total_s / 3600:.2f} h simulated, false reps {reps} "
        f"(whole-leg lifts flagged: {lifts})"
    )


def desk_day(seed: int, minutes: float) -> Recording:
    """Mostly sitting still with a set now and then: the common case, at 100 Hz."""
    rng = np.random.default_rng(seed)
    events: list = []
    for _ in range(int(minutes / 5)):
        events += [Rest(240.0), RepSet(int(rng.integers(10, 30)), 30.0, 5.0)]
    return simulate(events, Sensors(rate_hz=100.0), seed=seed).recording


def cpu_rates(work: Callable[[], object], hours: float, least_s: float, runs: int) -> list[float]:
    """Hours of recording per CPU second of ``work`` (which handles ``hours``), in
    ``runs`` runs of at least ``least_s`` CPU seconds each (``work`` repeated as often
    as that takes: one pass over an hour is ~10 ms, too short to time steadily)."""
    t0 = time.process_time()
    work()  # (the first call also says how many make a run)
    once = max(time.process_time() - t0, 1e-4)
    repeat = max(1, int(np.ceil(least_s / once)))
    rates = []
    for _ in range(runs):
        t0 = time.process_time()
        for _ in range(repeat):
            work()
        rates.append(repeat * hours / (time.process_time() - t0))
    return rates


def spread(rates: list[float]) -> str:
    return (
        f"{np.median(rates):.0f} h per CPU second (median of {len(rates)} runs, "
        f"{min(rates):.0f}–{max(rates):.0f})"
    )


def throughput(seed: int, minutes: float = 60.0, least_s: float = 0.5, runs: int = 5) -> None:
    """The detector's CPU time per hour of 100 Hz recording (parsing apart), on a desk
    day and on reps back to back, each in ``runs`` runs of ``least_s`` CPU seconds."""
    rec = desk_day(seed, minutes)
    hours = rec.duration_s / 3600
    rates = cpu_rates(lambda: detect(rec), hours, least_s, runs)
    print(f"  detector: {hours:.2f} h of 100 Hz (desk day: sets every 5 min): {spread(rates)}")
    sim = simulate([Rest(3), RepSet(200, 40.0, 5.0), Rest(3)], Sensors(rate_hz=100.0), seed=seed)
    h2 = sim.recording.duration_s / 3600
    rates = cpu_rates(lambda: detect(sim.recording), h2, least_s, runs)
    print(f"  detector, reps back to back (the worst case): {spread(rates)}")
    for name in ("generic-csv", "phyphox-csv", "physicstoolbox-csv"):
        raw = WRITERS[name][1](rec) if name != "generic-csv" else generic_csv(rec)
        best = np.inf
        for _ in range(3):
            t0 = time.process_time()
            parse(raw, WRITERS[name][0])
            best = min(best, time.process_time() - t0)
        print(f"  parsing {name}: {len(raw) / 1e6:.0f} MB at {len(raw) / 1e6 / best:.0f} MB/s")


def other_simulator(
    name: str, score: str, seed: int, sets: int, bouts: int, quiet_minutes: float
) -> None:
    """The same figures on bench/<name>, a simulator written without reading ours."""
    import os
    import subprocess
    import sys
    import tempfile
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(root / "src"), str(root)])}
    with tempfile.TemporaryDirectory(prefix=f"soleus-{name}-") as tmp:
        make = [sys.executable, "-m", f"bench.{name}", "--out", tmp, "--seed", str(seed)]
        make += ["--sets", str(sets), "--bouts", str(bouts), "--quiet-minutes", str(quiet_minutes)]
        subprocess.run(make, check=True, env=env, cwd=root, stdout=subprocess.DEVNULL)
        subprocess.run(
            [sys.executable, "-m", f"bench.{name}.{score}", tmp], check=True, env=env, cwd=root
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sets", type=int, default=320)
    ap.add_argument("--hours", type=float, default=1.0)
    ap.add_argument("--runs", type=int, default=2)
    ap.add_argument("--seed", type=int, default=9000)
    ap.add_argument("--sim2-seed", type=int, default=1000, help="held out: never tune on 1000+")
    ap.add_argument("--sim-sets", type=int, default=300, help="sim2 and sim3")
    ap.add_argument("--sim-bouts", type=int, default=30)
    ap.add_argument("--sim-quiet-minutes", type=float, default=60.0)
    ap.add_argument("--sim3-seed", type=int, default=5000, help="held out: never tune on sim3")
    ap.add_argument("--no-sim2", action="store_true", help="only the project's own simulator")
    ap.add_argument("--speed", action="store_true", help="only the detector's throughput")
    args = ap.parse_args()
    for run in range(args.runs):
        seed = args.seed + 100_000 * run
        print(f"run {run + 1} (seed {seed})")
        if args.speed:
            throughput(seed)
            continue
        accuracy(args.sets, seed)
        latency(args.sets // 4, seed)
        false_reps(args.hours, seed)
        throughput(seed)
        if not args.no_sim2:
            sizes = (args.sim_sets, args.sim_bouts, args.sim_quiet_minutes)
            print("second simulator (bench/sim2):")
            other_simulator("sim2", "fast", args.sim2_seed + run, *sizes)
            print("third simulator (bench/sim3):")
            other_simulator("sim3", "score", args.sim3_seed + run, *sizes)


if __name__ == "__main__":
    main()
