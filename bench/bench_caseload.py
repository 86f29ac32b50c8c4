"""The clinician's caseload over a large clinic on PostgreSQL: 500 patients, each with a
year of daily sessions (2 sets x 2 legs), pain reports, now and then a failed screen, and
a prescribed plan; server time of GET /caseload (signed in, in process over ASGI).

Target (issue 15): caseload page p95 <= 100 ms.
    SOLEUS_TEST_POSTGRES_URL=... python bench/bench_caseload.py [--patients 500] [--days 365]
        [--requests 50] [--rounds 3] [--keep | --schema bench_...]

Prints p50/p95/max per round and over all rounds, and the CPU per request of the app
and (PostgreSQL on this machine) of the database's backends: on a loaded machine the
wall times mostly measure the load, the CPU figures much less. The data goes into a
schema of its own, dropped at the end (--keep keeps it; --schema measures a kept one
again without seeding).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import random
import re
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from sqlalchemy import create_engine, insert, text

from soleus.domain.clock import FakeClock
from soleus.services import open_context
from soleus.services.accounts import links, people
from soleus.services.accounts.actor import OPERATOR
from soleus.services.context import Context
from soleus.services.prescriptions import plan
from soleus.settings import Settings
from soleus.store.schema import memberships, pain_reports, persons, screens, sessions, set_logs
from soleus.web.app import create_app

PASSWORD = "correct horse battery"
NOW = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)
FORM = {
    "start": "2025-09-01",
    "days": "mon,tue,wed,thu,fri",
    "per_day": "2",
    "exercise-0": "soleus-pushup",
    "exercise-0-step-0-weeks": "1-4",
    "exercise-0-step-0-sets": "2",
    "exercise-0-step-0-reps": "10",
    "exercise-0-step-1-weeks": "5-",
    "exercise-0-step-1-sets": "3",
    "exercise-0-step-1-reps": "12",
}


def backend_cpu_s(ctx: Context) -> float | None:
    """CPU seconds used so far by the database's client backends, when PostgreSQL runs on
    this machine (/proc readable): with the app's own CPU time, a figure that a loaded
    machine changes far less than wall time."""
    with ctx.store.begin() as conn:
        pids = conn.execute(
            text("SELECT pid FROM pg_stat_activity WHERE backend_type = 'client backend'")
        ).scalars()
        total = 0
        for pid in pids:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                return None
            total += int(fields[11]) + int(fields[12])  # utime, stime (clock ticks)
    return total / os.sysconf("SC_CLK_TCK")


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def seed(ctx: Context, org_id: str, clinician_id: str, patients: int, days: int) -> list[str]:
    rng = random.Random(15)
    today = NOW.date()
    ids = [str(uuid.uuid4()) for _ in range(patients)]
    naive = NOW.replace(tzinfo=None)
    with ctx.store.begin() as conn:
        conn.execute(
            insert(persons),
            [{"id": p, "name": f"patient-{i:04d}", "created_at": naive} for i, p in enumerate(ids)],
        )
        conn.execute(
            insert(memberships),
            [
                {
                    "id": str(uuid.uuid4()),
                    "person_id": p,
                    "org_id": org_id,
                    "role": "patient",
                    "clinician_id": clinician_id,
                    "created_at": naive,
                }
                for p in ids
            ],
        )
    for n, person in enumerate(ids):
        s_rows, set_rows, pain_rows, screen_rows = [], [], [], []
        for k in range(days):
            day = today - timedelta(days=k)
            if rng.random() < 0.25:
                continue
            at = datetime.combine(day, datetime.min.time()).replace(hour=10)
            sid = str(uuid.uuid4())
            source = "recording" if rng.random() < 0.3 else "player"
            s_rows.append(
                {
                    "id": sid,
                    "person_id": person,
                    "source": source,
                    "status": "finished",
                    "routine_id": "desk",
                    "routine_name": "Desk",
                    "started_at": at,
                    "ended_at": at,
                    "local_date": day,
                    "effort": rng.randint(2, 7),
                    "note": "",
                }
            )
            for i, (set_number, side) in enumerate(
                (s, side) for s in (1, 2) for side in ("left", "right")
            ):
                set_rows.append(
                    {
                        "id": str(uuid.uuid4()),
                        "session_id": sid,
                        "person_id": person,
                        "plan_index": i,
                        "exercise_id": "soleus-pushup",
                        "kind": "reps",
                        "side": side,
                        "set_number": set_number,
                        "target_reps": 10,
                        "actual_reps": rng.choice([8, 10, 10]),
                        "skipped": False,
                        "completed_at": at,
                        "local_date": day,
                    }
                )
            if rng.random() < 0.3:
                pain_rows.append(
                    {
                        "id": str(uuid.uuid4()),
                        "person_id": person,
                        "at": at,
                        "local_date": day,
                        "score": rng.randint(0, 6),
                        "context": "after",
                    }
                )
            if rng.random() < 0.02:
                screen_rows.append(
                    {
                        "id": str(uuid.uuid4()),
                        "person_id": person,
                        "at": at,
                        "local_date": day,
                        "answers": {"one_calf_swollen": True},
                        "passed": False,
                    }
                )
        with ctx.store.begin() as conn:
            for table, rows in (
                (sessions, s_rows),
                (set_logs, set_rows),
                (pain_reports, pain_rows),
                (screens, screen_rows),
            ):
                if rows:
                    conn.execute(insert(table), rows)
        if n % 100 == 99:
            print(f"  seeded {n + 1} patients", flush=True)
    return ids


async def measure(ctx: Context, requests: int, rounds: int) -> list[float]:
    app = create_app(ctx.settings, ctx.store, ctx.clock, secret=b"bench")
    gc.collect()  # as `soleus serve` does before it serves
    gc.freeze()
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8000") as c:
        page = await c.get("/signin")
        token = re.search(r'name="csrf-token" content="([^"]+)"', page.text)
        check = re.search(r'name="signin_check" value="([^"]+)"', page.text)
        assert token and check
        form = {
            "csrf_token": token[1],
            "signin_check": check[1],
            "email": "doc@example.org",
            "password": PASSWORD,
        }
        r = await c.post("/signin", data={**form, "next": "/caseload"})
        assert r.status_code == 303, r.text[:200]
        for _ in range(3):
            first = await c.get("/caseload?sort=adherence")
            assert first.status_code == 200, first.text[:300]
        print(f"  rows on the page: {first.text.count('<tr') - 1}")
        every: list[float] = []
        cpu0, db0 = time.process_time(), backend_cpu_s(ctx)
        for n in range(rounds):
            times = []
            for i in range(requests):
                column = ("patient", "adherence", "pain_worst", "inactive_days")[i % 4]
                t0 = time.perf_counter()
                r = await c.get(f"/caseload?sort={column}&order=desc")
                times.append((time.perf_counter() - t0) * 1000)
                assert r.status_code == 200
            every += times
            print(
                f"  round {n + 1}: p50 {statistics.median(times):.1f} ms,"
                f" p95 {pct(times, 0.95):.1f} ms, max {max(times):.1f} ms"
            )
        n_ = len(every)
        app_ms = (time.process_time() - cpu0) * 1000 / n_
        db1 = backend_cpu_s(ctx)
        db = "" if db0 is None or db1 is None else f", database {(db1 - db0) * 1000 / n_:.1f} ms"
        print(f"  CPU per request: app {app_ms:.1f} ms (with the client's){db}")
    return every


def report(times: list[float]) -> None:
    print(
        f"GET /caseload over {len(times)} requests: p50 {statistics.median(times):.1f} ms,"
        f" p95 {pct(times, 0.95):.1f} ms (target <= 100 ms)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=500)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep the schema (printed)")
    parser.add_argument(
        "--schema", help="measure a schema kept by an earlier --keep run (no seeding, kept)"
    )
    args = parser.parse_args()
    base = os.environ.get("SOLEUS_TEST_POSTGRES_URL")
    if not base:
        sys.exit("set SOLEUS_TEST_POSTGRES_URL (scripts/postgres.sh start DIR PORT prints one)")
    reuse = args.schema is not None
    schema = args.schema if reuse else f"bench_{uuid.uuid4().hex[:12]}"
    if not re.fullmatch(r"bench_[0-9a-f]{12}", schema):
        sys.exit(f"--schema: not a bench schema: {schema!r}")
    admin = create_engine(base)
    if not reuse:
        with admin.begin() as conn:
            conn.execute(text(f"CREATE SCHEMA {schema}"))
    sep = "&" if "?" in base else "?"
    try:
        with tempfile.TemporaryDirectory() as tmp:
            settings = Settings.load(
                env={
                    "SOLEUS_DATA_DIR": str(Path(tmp) / "data"),
                    "SOLEUS_CONFIG_DIR": str(Path(tmp) / "config"),
                    "SOLEUS_TIMEZONE": "UTC",
                    "SOLEUS_DATABASE_URL": f"{base}{sep}options=-csearch_path%3D{schema}",
                    "SOLEUS_ACCOUNTS": "on",
                    "SOLEUS_PUBLIC_URL": "https://soleus.example.org",
                }
            )
            ctx = open_context(settings, FakeClock(NOW))
            if reuse:
                times = asyncio.run(measure(ctx, args.requests, args.rounds))
                report(times)
                ctx.store.close()
                return
            org_id = people.create_org(ctx, OPERATOR, "Clinic")
            issued = links.invite(
                ctx, OPERATOR, email="doc@example.org", role="clinician", org="Clinic"
            )
            doc_id = links.accept(ctx, issued.url.rsplit("/", 1)[1], password=PASSWORD)
            t0 = time.perf_counter()
            ids = seed(ctx, org_id, doc_id, args.patients, args.days)
            from soleus.services.accounts import identity

            with ctx.store.begin() as conn:
                doc = identity.load(conn, person_id=doc_id)
            for p in ids:
                plan.prescribe(ctx, doc, p, FORM)
            with ctx.store.begin() as conn:
                conn.execute(text("ANALYZE"))
            print(
                f"seeded {args.patients} patients x {args.days} days"
                f" in {time.perf_counter() - t0:.0f} s"
            )
            times = asyncio.run(measure(ctx, args.requests, args.rounds))
            report(times)
            ctx.store.close()
    finally:
        if args.keep or reuse:
            print(f"kept: --schema {schema} ({base}{sep}options=-csearch_path%3D{schema})")
        else:
            with admin.begin() as conn:
                conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


if __name__ == "__main__":
    main()
