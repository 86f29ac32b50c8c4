"""``soleus serve``: the local web app, on 127.0.0.1 unless told otherwise."""

from __future__ import annotations

import errno
import socket

import click

from soleus.errors import SoleusError


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind.")
@click.option(
    "--port",
    default=8000,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port to listen on.",
)
@click.option("--open", "open_browser", is_flag=True, help="Open the app in a browser tab.")
@click.option(
    "--allow-host",
    "allow_hosts",
    multiple=True,
    metavar="NAME",
    help="Also accept this Host header (e.g. a LAN name); repeatable.",
)
@click.option(
    "--allow-sqlite",
    is_flag=True,
    help="Accounts mode on SQLite (a small single-machine install; else PostgreSQL).",
)
def serve(
    host: str, port: int, open_browser: bool, allow_hosts: tuple[str, ...], allow_sqlite: bool
) -> None:
    """Start the web app (browser player, history, routines) and print its address."""
    import uvicorn

    from soleus.services import open_context
    from soleus.services.accounts import mode
    from soleus.web.app import create_app

    # Bind before anything is announced: a busy port is one error line, and the app then
    # serves on this very socket (no window in which another program can take the port).
    sock = bind(host, port)
    port = sock.getsockname()[1]
    try:
        ctx = open_context()
        mode.enabled(ctx.settings, allow_sqlite=allow_sqlite)  # accounts mode needs PostgreSQL
        proxies = ctx.settings.proxy_networks
        app = create_app(
            ctx.settings,
            ctx.store,
            ctx.clock,
            bind_host=host,
            allowed_hosts=allow_hosts,
            allow_sqlite=allow_sqlite,
        )
    except BaseException:  # a bad setting: one line from the caller, no socket left open
        sock.close()
        raise
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    url = f"http://{f'[{shown}]' if ':' in shown else shown}:{port}/"
    click.echo(f"soleus is running at {url}  (Ctrl+C to stop)")
    if open_browser:
        import threading
        import webbrowser

        threading.Timer(1.0, webbrowser.open, args=(url,)).start()
    # X-Forwarded-For/-Proto are believed only from the trusted_proxies setting (by
    # default from nobody: uvicorn alone would trust 127.0.0.1).
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
        proxy_headers=bool(proxies),
        forwarded_allow_ips=list(proxies) or None,
    )
    # What is loaded by now lives as long as the server: out of the collector's sight, a
    # full collection no longer walks it (one took 35-230 ms in bench/bench_caseload.py,
    # a request's worth; frozen, none over 10 ms).
    import gc

    gc.collect()
    gc.freeze()
    uvicorn.Server(config).run(sockets=[sock])


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port``, or a SoleusError that says why not."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
    except socket.gaierror:
        raise SoleusError(f"--host {host!r} is not an address or a known host name") from None
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if family == socket.AF_INET6 and host == "::":
            sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
        sock.bind(address)
        sock.listen(2048)
    except OSError as error:
        sock.close()
        if error.errno == errno.EADDRINUSE:
            raise SoleusError(
                f"port {port} is in use (another program, or soleus already running there):"
                f" stop it or pick another, e.g. --port {port + 1 if port < 65535 else 8000}"
            ) from None
        if error.errno == errno.EACCES:
            raise SoleusError(
                f"port {port} needs administrator rights here: use a port above 1023"
            ) from None
        if error.errno == errno.EADDRNOTAVAIL:
            raise SoleusError(f"--host {host} is not an address of this computer") from None
        raise SoleusError(f"cannot listen on {host}:{port} ({error.strerror})") from None
    return sock
