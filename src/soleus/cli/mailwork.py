"""`soleus mail-worker`: check for missed prescribed sessions and send the emails of
patients who asked for them. Run it on any number of servers: each missed session is
queued once and mailed once (the queue is in the database)."""

from __future__ import annotations

import os
import socket
import time

import click

from soleus.cli.common import open_context


@click.command("mail-worker")
@click.option("--once", is_flag=True, help="Check and send once, then stop.")
@click.option(
    "--every",
    type=click.IntRange(10, 86_400),
    default=300,
    show_default=True,
    help="Seconds between checks.",
)
def mail_worker(once: bool, every: int) -> None:
    """Queue and send missed-session emails (accounts mode, SMTP settings needed).

    \b
    Examples:
      soleus mail-worker --once
      soleus mail-worker --every 600
    """
    from soleus.services.accounts import mail
    from soleus.services.prescriptions import missed

    ctx = open_context()
    if not mail.configured(ctx.settings) and not once:
        ctx.store.close()
        raise click.UsageError("no SMTP server: set smtp_host (soleus config) first")
    worker = f"{socket.gethostname()}:{os.getpid()}"
    try:
        while True:
            queued = missed.check(ctx)
            sent = missed.work(ctx, worker)
            unsent = "" if mail.configured(ctx.settings) else " (no SMTP server: they wait)"
            click.echo(f"queued {queued}, sent {sent}{unsent}")
            if once:
                return
            time.sleep(every)
    except KeyboardInterrupt:
        return
    finally:
        ctx.store.close()
