"""``soleus serve``: the local web app, on 127.0.0.1 unless told otherwise."""

from __future__ import annotations

import click


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
def serve(host: str, port: int, open_browser: bool, allow_hosts: tuple[str, ...]) -> None:
    """Start the web app (browser player, history, routines) and print its address."""
    import uvicorn

    from soleus.services.context import Context
    from soleus.web.app import create_app

    ctx = Context.open()
    app = create_app(ctx.settings, ctx.store, ctx.clock, bind_host=host, allowed_hosts=allow_hosts)
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    url = f"http://{f'[{shown}]' if ':' in shown else shown}:{port}/"
    click.echo(f"soleus is running at {url}  (Ctrl+C to stop)")
    if open_browser:
        import threading
        import webbrowser

        threading.Timer(1.0, webbrowser.open, args=(url,)).start()
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
