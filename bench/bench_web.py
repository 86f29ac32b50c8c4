"""Web figures: server time of Today and History over ten years of logs, and sustained
POST of one completed set against a real uvicorn on 127.0.0.1 (SQLite in WAL mode).

Targets (issue 3): Today and History p95 ≤ 30 ms; POST set ≥ 1,000 requests/s, no errors.
    python bench/bench_web.py [--requests 300] [--rounds 3] [--post-seconds 10] [--conns 16]

The load generator is a small asyncio HTTP/1.1 keep-alive client in its own process
(httpx itself would be the bottleneck); it stops after a bounded count or time.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).parent))
from seed import seed_years
from soleus.services import open_context
from soleus.services.context import Context
from soleus.settings import Settings
from soleus.web.app import create_app

NO_FLAGS = {"one_calf_swollen": "no", "breathless": "no", "heel_pop": "no", "no_tiptoe": "no"}


def settings_for(root: Path) -> Settings:
    return Settings.load(
        env={
            "SOLEUS_DATA_DIR": str(root / "data"),
            "SOLEUS_CONFIG_DIR": str(root / "config"),
            "SOLEUS_TIMEZONE": "UTC",
        }
    )


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def page_times(ctx: Context, requests: int, rounds: int) -> None:
    app = create_app(ctx.settings, ctx.store, ctx.clock, secret=b"bench")
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as c:
        for path in ("/", "/history", "/api/stats"):
            for _ in range(5):  # warm up: templates compiled, plans cached
                assert (await c.get(path)).status_code == 200
            for r in range(rounds):
                times = []
                for _ in range(requests):
                    start = time.perf_counter()
                    response = await c.get(path)
                    times.append((time.perf_counter() - start) * 1000)
                    assert response.status_code == 200
                print(
                    f"  GET {path:<11} round {r + 1}: p50 {statistics.median(times):6.2f} ms"
                    f"  p95 {pct(times, 0.95):6.2f} ms  max {max(times):6.2f} ms"
                    f"  (n={requests}, target p95 ≤ 30 ms)"
                )


SERVER = """
import sys, uvicorn
from soleus.services import open_context
from soleus.settings import Settings
from soleus.web.app import create_app
settings = Settings.load(env={"SOLEUS_DATA_DIR": sys.argv[1], "SOLEUS_CONFIG_DIR": sys.argv[2],
                              "SOLEUS_TIMEZONE": "UTC"})
ctx = open_context(settings)
app = create_app(ctx.settings, ctx.store, ctx.clock, secret=b"bench")
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[3]), log_level="warning",
            access_log=False)
"""

LOADGEN = """
import asyncio, json, sys, time
port, path, token, seconds, limit, conns = (int(sys.argv[1]), sys.argv[2], sys.argv[3],
    float(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]))
# Sets 0-4 of the 6 in desk, redone over and over: saving the last set would finish the
# session and every later request would be refused.
bodies = [json.dumps({"plan_index": i, "actual_reps": 10}).encode() for i in range(5)]
requests = [
    (f"POST {path} HTTP/1.1\\r\\nHost: 127.0.0.1:{port}\\r\\nContent-Type: application/json\\r\\n"
     f"X-CSRF-Token: {token}\\r\\nContent-Length: {len(b)}\\r\\n\\r\\n").encode() + b
    for b in bodies
]
ok = errors = sent = 0
statuses = {}
async def worker(deadline):
    global ok, errors, sent
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    i = 0
    while time.perf_counter() < deadline and sent < limit:
        sent += 1
        writer.write(requests[i % 5]); i += 1
        await writer.drain()
        head = await reader.readuntil(b"\\r\\n\\r\\n")
        status = int(head.split(b" ", 2)[1])
        length = 0
        for line in head.split(b"\\r\\n"):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        await reader.readexactly(length)
        statuses[status] = statuses.get(status, 0) + 1
        if status == 201: ok += 1
        else: errors += 1
    writer.close()
async def main():
    start = time.perf_counter()
    await asyncio.gather(*(worker(start + seconds) for _ in range(conns)), return_exceptions=False)
    elapsed = time.perf_counter() - start
    print(json.dumps({"ok": ok, "errors": errors, "elapsed": elapsed, "statuses": statuses}))
asyncio.run(main())
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def post_throughput(root: Path, seconds: float, conns: int, rounds: int) -> None:
    settings = settings_for(root)
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1] / "src")}
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(settings.data_dir), str(settings.config_dir), str(port)],
        env=env,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                page = httpx.get(base + "/", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            raise SystemExit("the server did not start")
        token = re.search(r'name="csrf-token" content="([^"]+)"', page.text)[1]  # type: ignore[index]
        with httpx.Client(base_url=base) as c:
            c.post("/screen", data={"csrf_token": token, "next": "/", **NO_FLAGS})
            started = c.post(
                "/api/sessions", json={"routine_id": "desk"}, headers={"X-CSRF-Token": token}
            )
            assert started.status_code == 201, started.text
            sid = started.json()["id"]
        mode = httpx.get(base + "/api/stats").status_code  # noqa: F841 (warm)
        for r in range(rounds):
            out = subprocess.run(
                [
                    sys.executable,
                    "-c",
                    LOADGEN,
                    str(port),
                    f"/api/sessions/{sid}/sets",
                    token,
                    str(seconds),
                    "1000000",
                    str(conns),
                ],
                capture_output=True,
                text=True,
                check=True,
            )
            result = json.loads(out.stdout)
            rps = result["ok"] / result["elapsed"]
            print(
                f"  POST /api/sessions/{{id}}/sets round {r + 1}: {rps:7.0f} requests/s,"
                f" {result['ok']} ok, {result['errors']} errors in {result['elapsed']:.1f} s"
                f" ({conns} connections; statuses {result['statuses']}; target ≥ 1000/s)"
            )
    finally:
        server.terminate()
        server.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--post-seconds", type=float, default=10.0)
    parser.add_argument("--conns", type=int, default=16)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="soleus-bench-web-") as tmp:
        root = Path(tmp)
        ctx = open_context(settings_for(root))
        start = time.perf_counter()
        n = seed_years(ctx)
        print(f"seeded {n} sets over ten years in {time.perf_counter() - start:.1f} s")
        mode = ctx.store.engine.connect().exec_driver_sql("PRAGMA journal_mode").scalar()
        print(f"SQLite journal mode: {mode}")
        print("In-process server time (httpx ASGI transport):")
        asyncio.run(page_times(ctx, args.requests, args.rounds))
        ctx.store.close()
        print("Real uvicorn on 127.0.0.1, loopback load generator in its own process:")
        post_throughput(root, args.post_seconds, args.conns, args.rounds)


if __name__ == "__main__":
    main()
