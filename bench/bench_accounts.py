"""The deployment in accounts mode under load: 200 signed-in people, each with their own
account and bearer token, each recording a set per second, on 2 soleus instances behind
nginx on one PostgreSQL; and sign-in (argon2id verify) at 20 concurrent sign-ins.

Targets (issue 14): 0 errors, set p95 ≤ 50 ms, pages p95 ≤ 50 ms at 1 set/s each
(200 people make 200 writes/s); ≥ 1,000 set writes/s is measured with the same people
sending back to back (``--capacity-runs``); sign-in p95 ≤ 100 ms at 20 concurrent.
    python bench/bench_accounts.py [--clients 200] [--signins 20] [--seconds 10] [--runs 3]
        [--capacity-runs 2]

The accounts are made through the services (invitation, then accepted with a password);
every person then signs in through nginx (POST /api/tokens: the argon2id verify), answers
the safety screen and starts a session with their token. The load generator is
bench_deploy.py's, each client sending its own ``Authorization: Bearer`` header; the page
clients load History as one of the people.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx

from bench_deploy import (
    LOADGEN,
    NO_FLAGS,
    load_average,
    measured,
    pct,
    server_cpu,
    server_roots,
    usage,
)

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "deploy"))
from deploy_harness import ACCOUNT_SETTINGS, HOST, Deployment, Missing, deployment  # noqa: E402

PASSWORD = "correct horse battery"
# Each client's own token instead of the one CSRF token; pages as one signed-in person.
AUTH_LOADGEN = (
    LOADGEN.replace("def post(sid, i):", "def post(pair, i):\n    sid, tok = pair")
    .replace("X-CSRF-Token: {token}", "Authorization: Bearer {tok}")
    .replace(
        'Host: {host}\\r\\n\\r\\n".encode()',
        'Host: {host}\\r\\nAuthorization: Bearer {token}\\r\\n\\r\\n".encode()',
    )
)
assert AUTH_LOADGEN.count("Bearer") == 2, "bench_deploy's load generator changed"

MAKE_ACCOUNTS = """
import sys
from soleus.services import open_context
from soleus.services.accounts import links, people
from soleus.services.accounts.actor import OPERATOR
ctx = open_context()
people.create_org(ctx, OPERATOR, "Bench")
for email in sys.argv[2:]:
    issued = links.invite(ctx, OPERATOR, email=email, role="patient", org="Bench")
    links.accept(ctx, issued.url.rsplit("/", 1)[1], password=sys.argv[1])
"""


def make_accounts(running: Deployment, emails: list[str]) -> None:
    env = {k: v for k, v in running.env.items() if k.startswith("SOLEUS_")}
    subprocess.run(
        [sys.executable, "-c", MAKE_ACCOUNTS, PASSWORD, *emails],
        env={**os.environ, **env, "PYTHONPATH": str(ROOT / "src")},
        check=True,
    )


def sign_in(web: httpx.Client, email: str) -> tuple[str, float]:
    """A bearer token for ``email`` (through nginx) and how long it took."""
    t = time.perf_counter()
    r = web.post("/api/tokens", json={"email": email, "password": PASSWORD, "scope": "write"})
    took = time.perf_counter() - t
    assert r.status_code == 201, r.text
    return str(r.json()["token"]), took


def start_session(web: httpx.Client, token: str) -> str:
    h = {"Authorization": f"Bearer {token}"}
    screened = web.post("/screen", data={"next": "/", **NO_FLAGS}, headers=h)
    assert screened.status_code == 303, screened.text[:300]
    r = web.post("/api/sessions", json={"routine_id": "desk"}, headers=h)
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def signin_cpu(
    before: dict[str, float], after: dict[str, float], client_s: float, n: int, args: Any
) -> str:
    """CPU-ms per sign-in of each part (the bench's own client included: it shares the
    cores), and what that means on idle cores: with ``--signins`` always in flight, a
    sign-in waits on average for that many sign-ins' CPU spread over the cores."""
    parts = {name: (after[name] - before[name]) * 1000 / n for name in after}
    parts["bench client"] = client_s * 1000 / n
    total = sum(parts.values())
    cores = os.cpu_count() or 1
    each = ", ".join(f"{name} {ms:.1f}" for name, ms in parts.items())
    return (
        f"\n    CPU-ms per sign-in: {each}; everything {total:.1f}: on {cores} idle cores a"
        f" sign-in among {args.signins} in flight takes {args.signins * total / cores:.0f} ms"
        " on average"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--signins", type=int, default=20, help="concurrent sign-ins")
    parser.add_argument("--page-clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--instances", type=int, default=2)
    parser.add_argument(
        "--capacity-runs",
        type=int,
        default=2,
        help="runs in which every person sends sets back to back (the writes/s the"
        " deployment takes from them; the target's ≥ 1,000)",
    )
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    print(
        f"{args.clients} signed-in people x 1 set/s, {args.page_clients} page clients,"
        f" {args.instances} instances, {args.seconds:g} s per run, {os.cpu_count()} CPU cores"
        " (targets: 0 errors, p95 ≤ 50 ms, pages p95 ≤ 50 ms, sign-in p95 ≤ 100 ms)",
        flush=True,
    )
    print(load_average(), flush=True)
    emails = [f"p{i}@example.org" for i in range(args.clients)]
    # Sign-ins from one address (the bench): far above the per-address allowance.
    settings = {**ACCOUNT_SETTINGS, "SOLEUS_SIGNIN_MAX_FAILURES": "1000"}
    try:
        with deployment(instances=args.instances, settings=settings) as running:
            make_accounts(running, emails)
            limits = httpx.Limits(max_connections=args.signins)
            with (
                httpx.Client(
                    base_url=running.url, headers={"Host": HOST}, timeout=60, limits=limits
                ) as web,
                ThreadPoolExecutor(args.signins) as pool,
            ):
                roots = server_roots(running)
                before, mine = server_cpu(roots), time.process_time()
                signed = list(pool.map(lambda e: sign_in(web, e), emails))
                after, mine = server_cpu(roots), time.process_time() - mine
                tokens = [t for t, _ in signed]
                took = [s * 1000 for _, s in signed]
                sessions = list(pool.map(lambda t: start_session(web, t), tokens))
            print(
                f"sign-in (POST /api/tokens, argon2id verify) at {args.signins} concurrent:"
                f" p50 {pct(took, 0.5):.0f} ms  p95 {pct(took, 0.95):.0f} ms"
                f"  ({len(took)} sign-ins)" + signin_cpu(before, after, mine, len(took), args),
                flush=True,
            )
            cfg = {
                "port": int(running.url.rsplit(":", 1)[1]),
                "host": HOST,
                "token": tokens[0],
                "sessions": [list(p) for p in zip(sessions, tokens, strict=True)],
                "seconds": args.seconds,
                "page_clients": args.page_clients,
                "page": "/history",
            }
            runs = [(run, 1.0) for run in range(1, args.runs + 1)]
            runs += [(run, 0.0) for run in range(1, args.capacity_runs + 1)]
            for run, interval in runs:
                cfg["interval"] = interval
                if interval == 0 and run == 1:
                    print(
                        f"  the same {args.clients} people, each sending the next set as soon"
                        " as the last is answered (capacity):",
                        flush=True,
                    )
                r = measured(running, AUTH_LOADGEN, cfg)
                print(
                    f"  run {run}: {r['ok'] / r['elapsed']:6.0f} set writes/s"
                    f"  errors {r['errors']}  set p50 {pct(r['sets'], 0.5):6.1f} ms"
                    f"  p95 {pct(r['sets'], 0.95):7.1f} ms"
                    f" (from due {pct(r['sets_due'], 0.95):7.1f} ms)"
                    f"  pages p95 {pct(r['pages'], 0.95):7.1f} ms ({len(r['pages'])} pages,"
                    f" {r['page_errors']} errors)"
                    + (f"  statuses {r['statuses']}" if r["errors"] else "")
                    + usage(r),
                    flush=True,
                )
    except Missing as error:
        raise SystemExit(f"bench_accounts needs {error}") from None


if __name__ == "__main__":
    main()
