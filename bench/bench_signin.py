"""Sign-in cost: argon2id verification (OWASP parameters) alone and under concurrency.

Prints the CPU time of one verify for each of OWASP's equivalent argon2id parameter
sets by argon2-cffi (the one soleus uses marked), then soleus's own verify of that set
(``services.accounts.passwords.verify``: libsodium), then p50 / p95 of sign-ins by
``--clients`` clients at once (each a thread calling the real
``services.accounts.signin.sign_in``, in a closed loop) over a temp SQLite database, or
PostgreSQL with ``--database-url`` (a fresh schema there, dropped after). With more
clients than cores a sign-in waits for the ones ahead of it: the last of N sign-ins
started together cannot finish before N × (CPU time of one verify) / cores, printed as
the floor.

Target (issue 14): sign-in ≤ 100 ms p95 at 20 concurrent sign-ins.
    python bench/bench_signin.py [--clients 20] [--rounds 5] [--database-url URL]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from argon2 import PasswordHasher, Type

from soleus.services import open_context
from soleus.services.accounts import links, passwords, people, signin
from soleus.services.accounts.actor import OPERATOR
from soleus.settings import Settings

PASSWORD = "correct horse battery"
# OWASP's argon2id parameter sets, all of equal strength (Password Storage Cheat Sheet):
# (memory MiB, passes), parallelism 1.
OWASP = ((46, 1), (19, 2), (12, 3), (9, 4), (7, 5))


def cpu_per_verify(hasher: PasswordHasher, times: int = 30) -> tuple[float, float]:
    """Median CPU seconds and median wall seconds of one verify."""
    stored = hasher.hash(PASSWORD)
    cpu, wall = [], []
    for _ in range(times):
        c, w = time.process_time(), time.perf_counter()
        hasher.verify(stored, PASSWORD)
        cpu.append(time.process_time() - c)
        wall.append(time.perf_counter() - w)
    return statistics.median(cpu), statistics.median(wall)


def soleus_verify(times: int = 30) -> tuple[float, float]:
    """Median CPU and wall seconds of soleus's own verify of a hash of today's set."""
    stored = passwords.hash_new(PASSWORD)
    cpu, wall = [], []
    for _ in range(times):
        c, w = time.process_time(), time.perf_counter()
        assert passwords.verify(stored, PASSWORD)
        cpu.append(time.process_time() - c)
        wall.append(time.perf_counter() - w)
    return statistics.median(cpu), statistics.median(wall)


def parameter_table() -> float:
    """Print each OWASP set's cost (argon2-cffi), then soleus's verify of the set in
    use (libsodium); the CPU seconds of the latter."""
    used = passwords.HASHER
    print("argon2id verify by argon2-cffi, OWASP's equivalent parameter sets (p=1), median of 30:")
    for mib, passes in OWASP:
        hasher = PasswordHasher(
            time_cost=passes, memory_cost=mib * 1024, parallelism=1, type=Type.ID
        )
        cpu, wall = cpu_per_verify(hasher)
        mine = (mib * 1024, passes) == (used.memory_cost, used.time_cost)
        print(
            f"  m={mib:2d} MiB t={passes}: {cpu * 1000:5.1f} CPU-ms, {wall * 1000:5.1f} ms wall"
            + ("   <- soleus's parameters" if mine else "")
        )
    cpu, wall = soleus_verify()
    print(
        f"soleus's verify of m={used.memory_cost // 1024} MiB t={used.time_cost}"
        f" (passwords.verify, libsodium): {cpu * 1000:5.1f} CPU-ms, {wall * 1000:5.1f} ms wall"
    )
    return cpu


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--database-url", help="PostgreSQL (default: a temp SQLite file)")
    args = parser.parse_args()
    print(f"cpus: {os.cpu_count()}, load average {os.getloadavg()[0]:.2f} (1 min)")
    cpu = parameter_table()
    cores = os.cpu_count() or 1
    print(
        f"floor for the last of {args.clients} sign-ins started together:"
        f" {args.clients} x {cpu * 1000:.1f} CPU-ms / {cores} cores"
        f" = {args.clients * cpu / cores * 1000:.0f} ms"
    )
    sys.path.insert(0, str(Path(__file__).parent))
    from bench_requests import Counter, schema_url

    schema = schema_url(args.database_url) if args.database_url else None
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            "SOLEUS_DATA_DIR": tmp,
            "SOLEUS_CONFIG_DIR": str(Path(tmp) / "cfg"),
            "SOLEUS_SIGNIN_MAX_FAILURES": "1000",
        }
        if schema is not None:
            env["SOLEUS_DATABASE_URL"] = schema[0]
        settings = Settings.load(env=env)
        ctx = open_context(settings)
        people.create_org(ctx, OPERATOR, "Bench")
        emails = [f"p{i}@example.org" for i in range(args.clients)]
        for email in emails:
            issued = links.invite(ctx, OPERATOR, email=email, role="patient", org="Bench")
            links.accept(ctx, issued.url.rsplit("/", 1)[1], password=PASSWORD)

        def one(email: str) -> float:
            t = time.perf_counter()
            signin.sign_in(ctx, email, PASSWORD, signin.Client(ip=f"10.0.0.{len(email)}"))
            return time.perf_counter() - t

        timings: list[float] = []
        with ThreadPoolExecutor(args.clients) as pool:
            spent = time.process_time()
            for _ in range(args.rounds):
                timings += list(pool.map(one, emails))
            spent = (time.process_time() - spent) / len(timings)
        counter = Counter()
        counter.attach(ctx.store.engine)
        for email in emails:
            one(email)
        ctx.store.close()
    if schema is not None:
        schema[1]()
    print(
        f"{args.clients} concurrent sign-ins x {args.rounds}"
        f" ({'PostgreSQL' if schema else 'SQLite'}): p50 {pct(timings, 0.5):.0f} ms, "
        f"p95 {pct(timings, 0.95):.0f} ms, mean {statistics.mean(timings) * 1000:.0f} ms"
    )
    print(
        f"CPU per sign-in (this process, every thread; the database's not counted):"
        f" {spent * 1000:.1f} ms: on {cores} idle cores the last of {args.clients} started"
        f" together ends after {args.clients * spent / cores * 1000:.0f} ms or more"
    )
    n = len(emails)
    print(
        f"a sign-in: {counter.statements / n:.1f} statements in"
        f" {counter.transactions / n:.1f} transactions"
    )


if __name__ == "__main__":
    main()
