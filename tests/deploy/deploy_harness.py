"""The shared deployment for real: a private PostgreSQL (scripts/postgres.sh), N
``soleus serve`` instances on it, and Debian's nginx in front with a generated config
that includes the shipped ``deploy/nginx/soleus-proxy.conf``. Used by tests/deploy and
bench/bench_deploy.py; a missing part raises :class:`Missing` (the tests turn it into a
skip, or a failure in CI).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
NGINX = next((p for p in (shutil.which("nginx"), "/usr/sbin/nginx") if p and Path(p).exists()), "")
HOST = "soleus.test"  # the name people use; in SOLEUS_ALLOWED_HOSTS
SECRET = "5eb1c0ffee" * 4
# The instance's upstream address in a response header (test config only): which
# instance answered each request.
UPSTREAM_HEADER = "x-soleus-upstream"
# Accounts mode on the shared PostgreSQL; invitation links start with nginx's address.
# A browser opens it as http://localhost:PORT (a secure context, so passkeys work).
ACCOUNT_SETTINGS = {"SOLEUS_ACCOUNTS": "on", "SOLEUS_PUBLIC_URL": "{url}"}


class Missing(Exception):
    """A real part (nginx, PostgreSQL, openssl) is not installed."""


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


def wait_http(url: str, timeout: float = 30.0, proc: subprocess.Popen[bytes] | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"{proc.args!r} exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{url} did not answer within {timeout:g} s")


@contextmanager
def postgres() -> Iterator[str]:
    """A private PostgreSQL cluster with an empty database; its URL."""
    if not list(Path("/usr/lib/postgresql").glob("*/bin/initdb")) and not shutil.which("initdb"):
        raise Missing("PostgreSQL (initdb; scripts/system-deps.sh test installs it)")
    # Its own folder right under /tmp: as root the cluster runs as postgres, who must
    # be able to reach it.
    folder = Path(tempfile.mkdtemp(prefix="soleus-pg-"))
    port = free_port()
    script = str(ROOT / "scripts" / "postgres.sh")
    url = subprocess.run(
        [script, "start", str(folder), str(port)], check=True, capture_output=True, text=True
    ).stdout.strip()
    try:
        yield url
    finally:
        subprocess.run([script, "stop", str(folder)], check=False, capture_output=True)


@dataclass
class Instance:
    port: int
    proc: subprocess.Popen[bytes]
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def instance_env(root: Path, database_url: str, **extra: str) -> dict[str, str]:
    """What deploy/soleus.env.example sets, pointed at this run's folders."""
    secret = root / "secret"
    if not secret.exists():
        secret.write_text(SECRET + "\n")
        secret.chmod(0o600)
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOLEUS_")}
    env.update(
        PYTHONPATH=str(ROOT / "src"),
        SOLEUS_DATABASE_URL=database_url,
        SOLEUS_DATA_DIR=str(root / "data"),
        SOLEUS_CONFIG_DIR=str(root / "config"),
        SOLEUS_ALLOWED_HOSTS=HOST,
        SOLEUS_TRUSTED_PROXIES="127.0.0.1",
        SOLEUS_SECRET_FILE=str(secret),
        SOLEUS_TIMEZONE="UTC",
    )
    env.update(extra)
    return env


def start_instances(root: Path, env: dict[str, str], count: int) -> list[Instance]:
    """``count`` instances started at the same moment (they race to migrate)."""
    started = []
    for i in range(count):
        port = free_port()
        log = root / f"instance-{i + 1}.log"
        with log.open("wb") as out:
            proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "soleus",
                    "serve",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(port),
                ],
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        started.append(Instance(port, proc, log))
    for item in started:
        try:
            wait_http(item.url + "/api/health", proc=item.proc)
        except BaseException as error:  # none is left running
            for other in started:
                stop(other.proc)
            if not isinstance(error, RuntimeError):
                raise
            raise RuntimeError(f"{error}\n{item.log.read_text(errors='replace')}") from None
    return started


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def nginx_config(folder: Path, port: int, upstreams: list[int], workers: int = 1) -> str:
    """A whole nginx.conf: plain http on ``port``, the shipped proxy snippet, own paths.
    One worker by default, so that round robin strictly alternates between instances."""
    servers = "\n".join(
        f"        server 127.0.0.1:{p} max_fails=2 fail_timeout=5s;" for p in upstreams
    )
    temp = "\n".join(
        f"    {kind}_temp_path {folder / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    user = "user root;\n" if os.geteuid() == 0 else ""
    return f"""{user}daemon off;
worker_processes {workers};
pid {folder / "nginx.pid"};
error_log {folder / "error.log"} warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
{temp}
    upstream soleus {{
{servers}
        keepalive 64;
        keepalive_timeout 4s;
    }}
    server {{
        listen 127.0.0.1:{port};
        server_name {HOST};
        location / {{
            include {DEPLOY / "nginx" / "soleus-proxy.conf"};
            add_header {UPSTREAM_HEADER} $upstream_addr always;
            proxy_pass http://soleus;
        }}
    }}
}}
"""


@contextmanager
def nginx(
    root: Path, upstreams: list[int], workers: int = 1, port: int | None = None
) -> Iterator[str]:
    """Debian's nginx in the foreground in front of ``upstreams``; its base URL."""
    if not NGINX:
        raise Missing("nginx (apt-get install nginx; scripts/system-deps.sh test installs it)")
    folder = root / "nginx"
    folder.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    conf = folder / "nginx.conf"
    conf.write_text(nginx_config(folder, port, upstreams, workers))
    log = folder / "stderr.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [NGINX, "-p", str(folder), "-c", str(conf), "-e", str(folder / "error.log")],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        try:
            wait_http(url + "/api/health", timeout=15, proc=proc)
        except RuntimeError as error:
            text = log.read_text(errors="replace")
            raise RuntimeError(f"nginx: {error}\n{text}") from None
        yield url
    finally:
        stop(proc)


def check_site(root: Path) -> subprocess.CompletedProcess[str]:
    """``nginx -t`` on the shipped TLS site file, with a throw-away self-signed cert."""
    if not NGINX:
        raise Missing("nginx (apt-get install nginx)")
    if not shutil.which("openssl"):
        raise Missing("openssl (apt-get install openssl)")
    folder = root / "site-check"
    folder.mkdir(parents=True, exist_ok=True)
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=soleus.example.org",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    site = (DEPLOY / "nginx" / "soleus.conf").read_text()
    site = re.sub(r"/etc/letsencrypt/live/[^;]*/fullchain\.pem", str(cert), site)
    site = re.sub(r"/etc/letsencrypt/live/[^;]*/privkey\.pem", str(key), site)
    site = site.replace(
        "/etc/nginx/snippets/soleus-proxy.conf", str(DEPLOY / "nginx" / "soleus-proxy.conf")
    )
    (folder / "site.conf").write_text(site)
    main = folder / "nginx.conf"
    main.write_text(
        f"pid {folder / 'nginx.pid'};\nerror_log {folder / 'error.log'};\nevents {{}}\n"
        f"http {{\n    access_log off;\n    include {folder / 'site.conf'};\n}}\n"
    )
    return subprocess.run(
        [NGINX, "-t", "-p", str(folder), "-c", str(main), "-e", str(folder / "error.log")],
        capture_output=True,
        text=True,
    )


@dataclass
class Deployment:
    """What :func:`deployment` started."""

    root: Path
    database_url: str
    env: dict[str, str]
    instances: list[Instance]
    url: str  # nginx
    logs: list[Path] = field(default_factory=list)

    def cli(self, *args: str) -> str:
        """``soleus ARGS`` with the instances' environment (same database); its stdout."""
        done = subprocess.run(
            [sys.executable, "-m", "soleus", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        if done.returncode != 0:
            raise RuntimeError(f"soleus {' '.join(args)}: {done.stderr.strip()}")
        return done.stdout


@contextmanager
def deployment(
    instances: int = 2,
    root: Path | None = None,
    nginx_workers: int = 1,
    settings: dict[str, str] | None = None,
) -> Iterator[Deployment]:
    """PostgreSQL, ``instances`` soleus instances started together on its empty
    database, and nginx in front of them. ``settings`` adds environment variables
    (e.g. ``ACCOUNT_SETTINGS``); ``{url}`` in a value becomes nginx's address."""
    with ExitStack() as stack:
        if root is None:
            root = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="soleus-deploy-")))
        if not NGINX:
            raise Missing("nginx (apt-get install nginx; scripts/system-deps.sh test installs it)")
        url = stack.enter_context(postgres())
        # nginx's port is chosen first: accounts mode's public_url must name it.
        front_port = free_port()
        front_url = f"http://localhost:{front_port}"
        extra = {k: v.replace("{url}", front_url) for k, v in (settings or {}).items()}
        env = instance_env(root, url, **extra)
        started: list[Instance] = []

        def stop_started() -> None:
            for i in started:
                stop(i.proc)

        stack.callback(stop_started)
        started.extend(start_instances(root, env, instances))
        ports = [i.port for i in started]
        front = stack.enter_context(nginx(root, ports, nginx_workers, port=front_port))
        yield Deployment(root, url, env, started, front, [i.log for i in started])
