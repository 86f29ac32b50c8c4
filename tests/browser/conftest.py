"""Real headless Chromium (Debian's /usr/bin/chromium) against the real app.

- ``app``: ``soleus serve`` in a subprocess on a free 127.0.0.1 port, with a temp data
  and config dir and a short routine file (``quick-desk``) in the config dir, so a whole
  session takes seconds. Its ``env`` runs the CLI against the same data.
- ``browser``: one Chromium per test session, launched with ``executable_path`` —
  Playwright never downloads a browser here.
- ``page``: a fresh browser context per test (its own localStorage).
- ``shot(page, name)``: a screenshot in ``test-output/screenshots/<name>.png``.
- ``axe(page)``: axe-core from ``node_modules`` run inside the page; no serious or
  critical violations allowed.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import pytest
from tests.browser.browser_helpers import App
from tests.deploy.deploy_harness import ACCOUNT_SETTINGS, Deployment, Missing, deployment
from tests.required import missing, require

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-output" / "screenshots"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--autoplay-policy=no-user-gesture-required",
]

# Two sets of two quick reps per leg, a short rest: a whole session in about 25 s
# (the player's own 5 s get-ready and switch-side waits are not shortened).
QUICK_DESK = """\
id = "quick-desk"
name = "Quick desk break"
summary = "Seated soleus pushups, short enough for a browser test."

[[blocks]]
exercise = "soleus-pushup"

[blocks.dosage]
kind = "reps"
sets = 2
reps = 2
sides = "each"
rest_s = 2

[blocks.dosage.tempo]
up = 0.5
top = 0.0
down = 0.5
floor = 0.0
"""

# A hold and a bout, for the machine-conformance test.
MIXED = """\
id = "mixed"
name = "Mixed test routine"

[[blocks]]
exercise = "soleus-pushup"
[blocks.dosage]
kind = "bout"
sets = 1
seconds = 130
sides = "both"
rest_s = 5

[[blocks]]
exercise = "bent-knee-soleus-stretch"
[blocks.dosage]
kind = "hold"
sets = 2
seconds = 12
sides = "each"
rest_s = 4
"""


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    # Before any fixture: the session's browser is launched by one.
    if "browser" in item.keywords:
        require(CHROMIUM.exists(), f"{CHROMIUM} (apt-get install chromium)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serve(
    root: Path,
    config_toml: str = "",
    *,
    newcomer: bool = False,
    extra_env: dict[str, str] | None = None,
    args: tuple[str, ...] = (),
) -> Iterator[App]:
    """``soleus serve`` on a free port with its own data and config dirs under ``root``;
    ``config_toml`` is the person's config.toml (their settings). The person has skipped
    the first-run welcome unless ``newcomer``; ``extra_env`` adds variables (accounts
    mode; ``{port}`` in a value is the port), ``args`` options of ``soleus serve``."""
    config = root / "config"
    (config / "routines").mkdir(parents=True)
    (config / "routines" / "quick-desk.toml").write_text(QUICK_DESK)
    (config / "routines" / "mixed.toml").write_text(MIXED)
    if config_toml:
        (config / "config.toml").write_text(config_toml)
    env = {
        **os.environ,
        "SOLEUS_DATA_DIR": str(root / "data"),
        "SOLEUS_CONFIG_DIR": str(config),
        "NO_COLOR": "1",
    }
    env.pop("SOLEUS_DATABASE_URL", None)
    env.pop("SOLEUS_ACCOUNTS", None)
    for name in ("GET_READY_S", "SOUND", "SPEECH"):  # the test's settings, not the caller's
        env.pop(f"SOLEUS_{name}", None)
    if not newcomer:
        _skip_welcome(env)
    port = _free_port()
    env.update({k: v.format(port=port) for k, v in (extra_env or {}).items()})
    exe = Path(sys.executable).with_name("soleus")
    log = (root / "serve.log").open("w")
    proc = subprocess.Popen(
        [str(exe), "serve", "--port", str(port), *args],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(url + "/api/health", timeout=2).close()
            break
        except (urllib.error.URLError, ConnectionError, OSError):
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                log.close()
                pytest.fail("soleus serve did not start:\n" + (root / "serve.log").read_text())
            time.sleep(0.1)
    try:
        yield App(url, env, config)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def _skip_welcome(env: dict[str, str]) -> None:
    from soleus.clock import SystemClock
    from soleus.services import open_context
    from soleus.services.welcome import tour
    from soleus.settings import Settings

    ctx = open_context(Settings.load(env=env), SystemClock())
    try:
        tour.skip(ctx)
    finally:
        ctx.store.close()


@pytest.fixture
def fresh_app(tmp_path: Path) -> Iterator[App]:
    """The app on a fresh data dir: the welcome not yet done or skipped."""
    with serve(tmp_path, newcomer=True) as running:
        yield running


@pytest.fixture
def app(tmp_path: Path) -> Iterator[App]:
    with serve(tmp_path) as running:
        yield running


@pytest.fixture
def accounts_app(tmp_path: Path) -> Iterator[App]:
    """``soleus serve`` in accounts mode (on SQLite, allowed); its public_url is
    http://localhost:PORT (a passkey needs a host name, not an IP address)."""
    extra = {"SOLEUS_ACCOUNTS": "on", "SOLEUS_PUBLIC_URL": "http://localhost:{port}"}
    with serve(tmp_path, extra_env=extra, args=("--allow-sqlite",)) as running:
        yield running


@pytest.fixture
def app_with_config(tmp_path: Path) -> Iterator[Callable[[str], App]]:
    """Start the app with the given config.toml: ``app_with_config("get_ready_s = 2")``."""
    with ExitStack() as stack:

        def start(config_toml: str) -> App:
            return stack.enter_context(serve(tmp_path / "app", config_toml))

        yield start


@pytest.fixture(scope="module")  # the sync API runs an event loop: stop it before other tests
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("the browser tests need Playwright for Python: pip install playwright")
    os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    errors: list[str] = []

    def on_console(msg: Any) -> None:
        # The offline test cuts the network on purpose; the outbox retries.
        if msg.type == "error" and "ERR_INTERNET_DISCONNECTED" not in msg.text:
            errors.append(msg.text)

    context.on("weberror", lambda error: errors.append(str(error.error)))
    context.on("console", on_console)
    yield page
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


@pytest.fixture
def shot() -> Callable[[Any, str], Path]:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page: Any, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        print(f"screenshot: {path}")
        return path

    return take


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.exists():
        hint = "run `npm ci` in the repository root" if shutil.which("npm") else "install npm"
        pytest.fail(f"{AXE.relative_to(ROOT)} is missing: {hint} (axe-core is a devDependency)")
    return AXE.read_text()


@pytest.fixture
def axe(axe_source: str) -> Callable[[Any, str], None]:
    def check(page: Any, name: str) -> None:
        # evaluate() runs outside the page's CSP, which rightly forbids inline scripts.
        page.evaluate(axe_source)
        result = page.evaluate(
            "async () => { const r = await axe.run(document, {resultTypes: ['violations']});"
            " return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
            " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))})); }"
        )
        bad = [v for v in result if v["impact"] in ("serious", "critical")]
        assert not bad, f"axe on {name}: " + json.dumps(bad, indent=1)

    return check


@pytest.fixture(scope="module")
def deployed() -> Iterator[Deployment]:
    """Two soleus instances in accounts mode behind Debian's nginx on a private PostgreSQL
    (tests/deploy's harness), one per test module."""
    try:
        with deployment(instances=2, settings=ACCOUNT_SETTINGS) as running:
            yield running
    except Missing as error:
        missing(str(error))
