"""The shared deployment under load: 1, then 2 soleus instances behind nginx on one
PostgreSQL, many clients each recording a set per second.

Targets (issue 14): ≥ 1,000 set writes/s, 0 errors, set p95 ≤ 50 ms, pages p95 ≤ 50 ms,
and 2 instances ≥ 1.6 × the throughput of 1.
    python bench/bench_deploy.py [--clients 200,1200] [--capacity-clients 200]
        [--interval 1] [--page-clients 20] [--seconds 10] [--runs 3]

Clients at one set a second offer a fixed load (1,200 clients: 1,200 sets/s, which one
instance may well take); the capacity runs (``--capacity-clients``, each client sending
its next set as soon as the last is answered) measure what 1 and 2 instances take, and
the 2 vs 1 ratio is taken from them. Each run prints every part's CPU-ms per request
(instances, nginx, PostgreSQL, the load generator) and the ceiling it implies on idle
cores; on a machine shared with other work these hardly change while throughput does.

Each configuration gets a fresh PostgreSQL, its instances and nginx (tests/deploy's
harness). Every client is one keep-alive connection to nginx that POSTs a set of its own
started session once a second (sets 0-4 of desk over and over, so no session ever
finishes); page clients GET the Exercises page once a second. The sessions are started
through the services before the run (local mode has one person, and the web keeps one unfinished
session per routine). The load generator is a small asyncio HTTP/1.1 client in its own
process (uvloop when installed), sharing the cores with everything it measures: each run
prints how busy the whole machine was and how much of it the load generator took.
Latency is measured from sending a request to its whole response, and also from the
moment it was due (which counts the time a late client waited for its turn).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import statistics
import subprocess
import sys
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "deploy"))
from deploy_harness import HOST, Deployment, Missing, deployment  # noqa: E402

NO_FLAGS = {"one_calf_swollen": "no", "breathless": "no", "heel_pop": "no", "no_tiptoe": "no"}

LOADGEN = r"""
import asyncio, json, random, sys, time
cfg = json.loads(sys.argv[1])
port, host, token = cfg["port"], cfg["host"], cfg["token"]
sessions, seconds, pages = cfg["sessions"], cfg["seconds"], cfg["page_clients"]
# Seconds between one client's sets; 0: the next as soon as the last is answered
# (closed loop: what the server can take from this many people). Pages: 1 a second.
interval = cfg.get("interval", 1.0)

def post(sid, i):
    body = json.dumps({"plan_index": i % 5, "actual_reps": 10}).encode()
    return (f"POST /api/sessions/{sid}/sets HTTP/1.1\r\nHost: {host}\r\n"
            f"Content-Type: application/json\r\nX-CSRF-Token: {token}\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode() + body

PAGE = f"GET {cfg['page']} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode()
out = {"sets": [], "sets_due": [], "pages": [], "ok": 0, "errors": 0, "statuses": {},
       "page_errors": 0}

async def read_response(reader):
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = None
    chunked = False
    for line in head.split(b"\r\n"):
        low = line.lower()
        if low.startswith(b"content-length:"):
            length = int(line.split(b":")[1])
        elif low.startswith(b"transfer-encoding:") and b"chunked" in low:
            chunked = True
    if chunked:
        while True:
            size = int((await reader.readuntil(b"\r\n")).strip(), 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    else:
        await reader.readexactly(length or 0)
    return status

async def client(make, kind, start, end):
    conn = None
    every = interval if kind == "set" else 1.0  # page clients: one page a second always
    due = start + random.random() * (every or 0.2)  # spread the clients' starts
    i = 0
    while due < end:
        now = time.perf_counter()
        if due > now:
            await asyncio.sleep(due - now)
        sent = time.perf_counter()
        try:
            if conn is None:
                conn = await asyncio.open_connection("127.0.0.1", port)
            reader, writer = conn
            writer.write(make(i))
            await writer.drain()
            status = await read_response(reader)
        except (OSError, asyncio.IncompleteReadError, ValueError):
            status = 0
            conn = None
        done = time.perf_counter()
        if kind == "set":
            out["statuses"][status] = out["statuses"].get(status, 0) + 1
            if status == 201:
                out["ok"] += 1
                out["sets"].append((done - sent) * 1000)
                out["sets_due"].append((done - due) * 1000)
            else:
                out["errors"] += 1
        else:
            if status == 200:
                out["pages"].append((done - sent) * 1000)
            else:
                out["page_errors"] += 1
        i += 1
        due = due + every if every else time.perf_counter()
    if conn is not None:
        conn[1].close()

def machine_busy():  # (busy, total) jiffies of the whole machine so far
    try:
        with open("/proc/stat") as stat:
            fields = [int(v) for v in stat.readline().split()[1:]]
    except OSError:
        return 0, 0
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return sum(fields) - idle, sum(fields)

async def main():
    start = time.perf_counter() + 0.5
    end = start + seconds
    tasks = [client(lambda i, s=s: post(s, i), "set", start, end) for s in sessions]
    tasks += [client(lambda i: PAGE, "page", start, end) for _ in range(pages)]
    await asyncio.sleep(max(0.0, start - time.perf_counter()))
    cpu, (busy, total) = time.process_time(), machine_busy()
    await asyncio.gather(*tasks)
    out["elapsed"] = time.perf_counter() - start
    out["client_cpu_s"] = time.process_time() - cpu
    busy2, total2 = machine_busy()
    out["machine_busy"] = (busy2 - busy) / max(1, total2 - total)
    print(json.dumps(out))

try:  # the lightest event loop there is: the load generator shares the cores
    import uvloop
    uvloop.install()
except ImportError:
    pass
asyncio.run(main())
"""


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def prepare(running: Deployment, clients: int) -> tuple[str, list[str]]:
    """The CSRF token and ``clients`` started sessions (screened first, like a person)."""
    with httpx.Client(base_url=running.url, headers={"Host": HOST}, timeout=30) as web:
        # A fresh deployment's one person is sent to the first-run welcome: skip it.
        page = web.get("/welcome")
        token = re.search(r'name="csrf-token" content="([^"]+)"', page.text)[1]  # type: ignore[index]
        skipped = web.post("/welcome/skip", data={"csrf_token": token})
        assert skipped.status_code == 303, skipped.text
        screened = web.post("/screen", data={"csrf_token": token, "next": "/", **NO_FLAGS})
        assert screened.status_code == 303, screened.text
    env = {k: v for k, v in running.env.items() if k.startswith("SOLEUS_")}
    script = (
        "import sys\n"
        "from soleus.services import open_context\n"
        "from soleus.services.sessions import guided\n"
        "ctx = open_context()\n"
        "desk = ctx.routines.get_routine('desk')\n"
        "for _ in range(int(sys.argv[1])):\n"
        "    print(guided.start(ctx, desk, source='bench'))\n"
    )
    made = subprocess.run(
        [sys.executable, "-c", script, str(clients)],
        env={**os.environ, **env, "PYTHONPATH": str(ROOT / "src")},
        capture_output=True,
        text=True,
        check=True,
    )
    return token, made.stdout.split()


def usage(r: dict) -> str:
    """How much of the machine the run took, how much of it the load generator, and
    the CPU per request of each part (instances, nginx, PostgreSQL, load generator):
    what the figure would be on idle cores (2 cores / everything's CPU per request)."""
    cores = os.cpu_count() or 1
    requests = max(1, r["ok"] + r["errors"] + len(r["pages"]) + r["page_errors"])
    parts = {**r["server_cpu_parts"], "load generator": r["client_cpu_s"]}
    per = {name: seconds / requests * 1000 for name, seconds in parts.items()}
    server = sum(v for k, v in per.items() if k != "load generator")
    total = sum(per.values())
    each = ", ".join(f"{name} {ms:.3f}" for name, ms in per.items())
    return (
        f"\n    machine busy {r['machine_busy'] * 100:3.0f} % of {cores} cores,"
        f" load generator {r['client_cpu_s'] / r['elapsed'] * 100:3.0f} % of one core;"
        f" CPU-ms per request ({requests} requests): {each};"
        f" server side {server:.3f} (at most {cores * 1000 / server:.0f} requests/s on"
        f" {cores} idle cores), everything {total:.3f}"
        f" (ceiling with the load generator on the same cores: {cores * 1000 / total:.0f}/s)"
    )


def load_average() -> str:
    one, five, _ = os.getloadavg()
    return f"load average before: {one:.2f} (1 min), {five:.2f} (5 min)"


def _stat(pid: str) -> tuple[int, int] | None:
    """(parent pid, CPU jiffies of the process and its reaped children)."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text.rsplit(")", 1)[1].split()
    # utime stime cutime cstime are fields 14-17 of stat(5); here from the 3rd on.
    return int(fields[1]), sum(int(v) for v in fields[11:15])


def server_roots(running: Deployment) -> dict[str, list[str]]:
    """The deployment's top processes by part: its instances, nginx and PostgreSQL."""
    roots: dict[str, list[str]] = {
        "instances": [str(i.proc.pid) for i in running.instances],
        "nginx": [],
        "PostgreSQL": [],
    }
    port = running.database_url.rsplit(":", 1)[1].split("/", 1)[0]
    conf = str(running.root / "nginx" / "nginx.conf")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            args = (entry / "cmdline").read_bytes().decode(errors="replace").split("\0")
        except OSError:
            continue
        # nginx rewrites its command line ("nginx: master process /usr/sbin/nginx -p …").
        if conf in " ".join(args):
            roots["nginx"].append(entry.name)
        elif "postgres" in Path(args[0]).name and "-p" in args and port in args:
            roots["PostgreSQL"].append(entry.name)
    return roots


def server_cpu(roots: dict[str, list[str]]) -> dict[str, float]:
    """CPU seconds used so far by each part's processes and every process under them
    (PostgreSQL's backends, nginx's workers), counting children that have exited."""
    stats = {e.name: _stat(e.name) for e in Path("/proc").iterdir() if e.name.isdigit()}
    parent = {pid: str(st[0]) for pid, st in stats.items() if st is not None}
    part_of = {pid: name for name, pids in roots.items() for pid in pids}

    def part(pid: str) -> str | None:
        seen = 0
        while pid not in part_of and pid in parent and seen < 64:
            pid, seen = parent[pid], seen + 1
        return part_of.get(pid)

    used = dict.fromkeys(roots, 0.0)
    for pid, st in stats.items():
        name = part(pid) if st is not None else None
        if name is not None and st is not None:
            used[name] += st[1] / os.sysconf("SC_CLK_TCK")
    return used


def measured(running: Deployment, script: str, cfg: dict) -> dict:
    """Run the load generator; its figures plus the server side's CPU seconds."""
    roots = server_roots(running)
    before = server_cpu(roots)
    out = subprocess.run(
        [sys.executable, "-c", script, json.dumps(cfg)],
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict = json.loads(out.stdout)
    after = server_cpu(roots)
    result["server_cpu_parts"] = {name: after[name] - before[name] for name in after}
    result["server_cpu_s"] = sum(result["server_cpu_parts"].values())
    return result


def run_load(
    running: Deployment,
    token: str,
    sessions: list[str],
    args: argparse.Namespace,
    interval: float | None = None,
) -> dict:
    cfg = {
        "port": int(running.url.rsplit(":", 1)[1]),
        "host": HOST,
        "token": token,
        "sessions": sessions,
        "seconds": args.seconds,
        "page_clients": args.page_clients,
        "page": args.page,
        "interval": args.interval if interval is None else interval,
    }
    return measured(running, LOADGEN, cfg)


def configuration(instances: int, args: argparse.Namespace) -> dict[str, list[float]]:
    """Set writes/s of every run, by load ("200": 200 clients at --interval;
    "capacity": --capacity-clients sending back to back)."""
    rates: dict[str, list[float]] = {}
    loads = [(str(clients), clients, args.interval) for clients in args.clients]
    if args.capacity_clients:
        loads.append(("capacity", args.capacity_clients, 0.0))
    with deployment(instances=instances, nginx_workers=args.nginx_workers) as running:
        token, sessions = prepare(running, max(n for _, n, _ in loads))
        for key, clients, interval in loads:
            what = f"{clients} clients" + (" back to back" if interval == 0 else "")
            for run in range(1, args.runs + 1):
                r = run_load(running, token, sessions[:clients], args, interval)
                rate = r["ok"] / r["elapsed"]
                rates.setdefault(key, []).append(rate)
                print(
                    f"  {instances} instance{'s' if instances > 1 else ''}, {what},"
                    f" run {run}: {rate:6.0f} set writes/s  errors {r['errors']}"
                    f"  set p50 {pct(r['sets'], 0.5):6.1f} ms  p95 {pct(r['sets'], 0.95):7.1f} ms"
                    f" (from due {pct(r['sets_due'], 0.95):7.1f} ms)"
                    f"  pages p95 {pct(r['pages'], 0.95):7.1f} ms ({len(r['pages'])} pages,"
                    f" {r['page_errors']} errors)"
                    + (f"  statuses {r['statuses']}" if r["errors"] else "")
                    + usage(r),
                    flush=True,
                )
    return rates


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--clients",
        type=lambda text: [int(n) for n in text.split(",")],
        default=[200, 1200],
        help="set-recording clients, comma-separated, each at --interval: the issue's"
        " 200 people (latency), then more (1,200 sets/s offered)",
    )
    parser.add_argument("--page-clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--interval",
        type=float,
        default=1.0,
        help="seconds between one client's sets; 0: the next as soon as the last is"
        " answered (capacity: what the deployment takes, however many clients)",
    )
    parser.add_argument(
        "--capacity-clients",
        type=int,
        default=200,
        help="then this many clients sending back to back: what 1 and 2 instances take"
        " (the 2 vs 1 ratio is taken there); 0: no such runs",
    )
    parser.add_argument("--nginx-workers", type=int, default=1)
    parser.add_argument(
        "--page",
        default="/exercises",
        help="the page the page clients load (not Today: in local mode it lists every"
        " client's unfinished session, as the one person's)",
    )
    args = parser.parse_args()
    # Stopped (Ctrl+C, timeout's SIGTERM): leave through the context managers, so the
    # PostgreSQL cluster, the instances and nginx are stopped too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    print(
        f"{'/'.join(map(str, args.clients))} clients x"
        + (f" 1 set per {args.interval:g} s," if args.interval else " sets back to back,")
        + (f" then {args.capacity_clients} back to back," if args.capacity_clients else "")
        + f" {args.page_clients} page clients x 1 page/s,"
        f" {args.seconds:g} s per run, {os.cpu_count()} CPU cores"
        " (targets: ≥ 1000 writes/s, 0 errors, p95 ≤ 50 ms, pages p95 ≤ 50 ms, 2 vs 1 ≥ 1.6)"
    )
    print(load_average(), flush=True)
    try:
        one = configuration(1, args)
        two = configuration(2, args)
    except Missing as error:
        raise SystemExit(f"bench_deploy needs {error}") from None
    for key in one:
        a, b = statistics.mean(one[key]), statistics.mean(two[key])
        if key == "capacity":
            what, note = f"{args.capacity_clients} clients back to back", " (target ≥ 1.6)"
        else:
            what, note = f"{key} clients", " (the offered load)"
        print(f"{what}, 2 vs 1 instance: {b:.0f} / {a:.0f} writes/s = {b / a:.2f}x{note}")


if __name__ == "__main__":
    main()
