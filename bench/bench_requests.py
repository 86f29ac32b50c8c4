"""What one request costs in accounts mode: SQL statements, transactions and CPU time
per set write (bearer token), per page (session cookie) and per token check, in process
on a real database (no HTTP server, no nginx: the app's own cost).

    python bench/bench_requests.py --database-url postgresql+psycopg://... [--requests 300]
        [--profile set|page]

Without ``--database-url`` it uses ``SOLEUS_TEST_POSTGRES_URL`` (a fresh schema there,
dropped after). ``--profile`` prints cProfile's top functions for that request kind.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import os
import pstats
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from soleus.services import open_context  # noqa: E402
from soleus.services.accounts import access, identity, links, people, signin, tokens  # noqa: E402
from soleus.services.accounts.actor import OPERATOR  # noqa: E402
from soleus.services.safety import screen  # noqa: E402
from soleus.services.sessions import guided  # noqa: E402
from soleus.services.welcome import tour  # noqa: E402
from soleus.settings import Settings  # noqa: E402
from soleus.web.app import create_app  # noqa: E402
from soleus.web.auth import COOKIE  # noqa: E402

PASSWORD = "correct horse battery"
NO_FLAGS = {"one_calf_swollen": False, "breathless": False, "heel_pop": False, "no_tiptoe": False}


class Counter:
    """SQL statements and transactions seen on the engine."""

    def __init__(self) -> None:
        self.statements = 0
        self.transactions = 0
        self.checkouts = 0
        self.texts: dict[str, int] = {}

    def attach(self, engine: Any) -> None:
        from sqlalchemy import event

        def on_execute(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
            self.statements += 1
            key = " ".join(statement.split())[:90]
            self.texts[key] = self.texts.get(key, 0) + 1

        def on_begin(conn: Any) -> None:
            # An autocommit connection sends no BEGIN: not counted as a transaction.
            if conn.get_execution_options().get("isolation_level") != "AUTOCOMMIT":
                self.transactions += 1

        def on_checkout(*_: Any) -> None:
            self.checkouts += 1

        event.listen(engine, "before_cursor_execute", on_execute)
        event.listen(engine, "begin", on_begin)
        event.listen(engine.pool, "checkout", on_checkout)

    def reset(self) -> None:
        self.statements = self.transactions = self.checkouts = 0
        self.texts = {}


def schema_url(base: str) -> tuple[str, Any]:
    """A fresh schema in ``base`` (PostgreSQL) and a function that drops it."""
    from sqlalchemy import create_engine, text

    name = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {name}"))
    sep = "&" if "?" in base else "?"

    def drop() -> None:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {name} CASCADE"))
        admin.dispose()

    return f"{base}{sep}options=-csearch_path%3D{name}", drop


async def run(args: argparse.Namespace, url: str, tmp: str) -> None:
    settings = Settings.load(
        env={
            "SOLEUS_DATA_DIR": str(Path(tmp) / "data"),
            "SOLEUS_CONFIG_DIR": str(Path(tmp) / "config"),
            "SOLEUS_TIMEZONE": "UTC",
            "SOLEUS_DATABASE_URL": url,
            "SOLEUS_ACCOUNTS": "on",
            "SOLEUS_ALLOW_SQLITE": "on",
            "SOLEUS_PUBLIC_URL": "https://soleus.example.org",
        }
    )
    ctx = open_context(settings)
    people.create_org(ctx, OPERATOR, "Bench")
    issued = links.invite(ctx, OPERATOR, email="p@example.org", role="patient", org="Bench")
    person_id = links.accept(ctx, issued.url.rsplit("/", 1)[1], password=PASSWORD)
    with ctx.store.begin() as conn:
        actor = identity.load(conn, person_id=person_id)
    acting = access.context_for(ctx, actor, write=True)
    tour.skip(acting)
    screen.record_screen(acting, NO_FLAGS)
    secret = tokens.create(ctx, actor, name="bench", scope="write")
    cookie = signin.start_session(ctx, person_id, signin.Client(), how="password")
    session_id = guided.start(acting, ctx.routines.get_routine("desk"), source="bench")
    app = create_app(settings, ctx.store, ctx.clock, secret=b"bench-secret")
    counter = Counter()
    counter.attach(ctx.store.engine)
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    bearer = {"Authorization": f"Bearer {secret}", "Host": "127.0.0.1:8000"}
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8000") as web:
        web.cookies.set(COOKIE, cookie)

        async def one_set(i: int) -> int:
            r = await web.post(
                f"/api/sessions/{session_id}/sets",
                json={"plan_index": i % 5, "actual_reps": 10},
                headers=bearer,
            )
            return r.status_code

        async def one_page(_: int) -> int:
            r = await web.get(args.page, headers={"Host": "127.0.0.1:8000"})
            return r.status_code

        for kind, call, want in (
            ("set write (bearer)", one_set, 201),
            ("page (cookie)", one_page, 200),
        ):
            status = await call(0)  # warm up
            assert status == want, (kind, status)
            counter.reset()
            cpu, wall = time.process_time(), time.perf_counter()
            profiler = cProfile.Profile() if args.profile and args.profile in kind else None
            if profiler:
                profiler.enable()
            for i in range(args.requests):
                status = await call(i + 1)
                assert status == want, (kind, status)
            if profiler:
                profiler.disable()
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            n = args.requests
            print(
                f"{kind:20} {counter.statements / n:5.1f} statements"
                f"  {counter.transactions / n:4.1f} transactions"
                f"  {counter.checkouts / n:4.1f} connections taken from the pool"
                f"  {cpu / n * 1000:6.2f} CPU-ms  {wall / n * 1000:6.2f} wall-ms per request"
            )
            if args.statements:
                for text, count in sorted(counter.texts.items(), key=lambda kv: -kv[1]):
                    print(f"    {count / n:4.1f} x {text}")
            if profiler:
                pstats.Stats(profiler).sort_stats(args.sort).print_stats(40)
    ctx.store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("SOLEUS_TEST_POSTGRES_URL"))
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--page", default="/history")
    parser.add_argument("--statements", action="store_true", help="list the SQL per request")
    parser.add_argument("--profile", choices=("set", "page"))
    parser.add_argument("--sort", default="cumulative", help="cProfile order: cumulative, tottime")
    args = parser.parse_args()
    if not args.database_url:
        raise SystemExit("bench_requests needs --database-url or SOLEUS_TEST_POSTGRES_URL")
    url, drop = schema_url(args.database_url)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            asyncio.run(run(args, url, tmp))
    finally:
        drop()


if __name__ == "__main__":
    main()
