"""Sign-in cost: argon2id verification (OWASP parameters) alone and under concurrency.

Prints p50 / p95 of one verify, then of sign-ins by ``--clients`` clients at once
(each a thread calling the real ``services.accounts.signin.sign_in`` over a temp
SQLite database, in a closed loop), with the machine's CPU count: every verify is
19 MiB and two passes of CPU work, so with more clients than cores a sign-in waits
for the ones ahead of it.

Target (issue 14): sign-in ≤ 100 ms p95 at 20 concurrent sign-ins.
    python bench/bench_signin.py [--clients 20] [--rounds 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from soleus.services import open_context
from soleus.services.accounts import links, passwords, people, signin
from soleus.services.accounts.actor import OPERATOR
from soleus.settings import Settings

PASSWORD = "correct horse battery"


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    stored = passwords.HASHER.hash(PASSWORD)
    single = []
    for _ in range(30):
        t = time.perf_counter()
        passwords.verify(stored, PASSWORD)
        single.append(time.perf_counter() - t)
    print(f"cpus: {os.cpu_count()}")
    print(f"one argon2id verify: p50 {pct(single, 0.5):.1f} ms, p95 {pct(single, 0.95):.1f} ms")
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings.load(
            env={
                "SOLEUS_DATA_DIR": tmp,
                "SOLEUS_CONFIG_DIR": str(Path(tmp) / "cfg"),
                "SOLEUS_SIGNIN_MAX_FAILURES": "1000",
            }
        )
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
            for _ in range(args.rounds):
                timings += list(pool.map(one, emails))
        ctx.store.close()
    print(
        f"{args.clients} concurrent sign-ins x {args.rounds}: p50 {pct(timings, 0.5):.0f} ms, "
        f"p95 {pct(timings, 0.95):.0f} ms, mean {statistics.mean(timings) * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
