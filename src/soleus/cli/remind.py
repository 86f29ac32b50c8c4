"""`soleus remind` (the daemon, doctor, status, preview) and `soleus calendar`."""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from soleus.cli.common import (
    DAY_HELP,
    DAY_METAVAR,
    SuggestingGroup,
    console,
    day_value,
    json_option,
    print_json,
)
from soleus.domain.text import day_words, plural
from soleus.errors import SoleusError

if TYPE_CHECKING:
    from soleus.remind.daemon import Daemon
    from soleus.services.context import Context


def _err(text: str) -> None:
    click.echo(f"soleus remind: {text}", err=True)


def _context(*, fallback: bool = False) -> Context:
    """The context; with ``fallback`` a broken config.toml means defaults, not a crash."""
    from soleus.services import open_context
    from soleus.settings import Settings

    try:
        return open_context()
    except SoleusError as error:
        if not fallback:
            raise
        _err(f"{error}; using the default settings")
        empty = Path(tempfile.gettempdir()) / "soleus-no-config"
        env = {k: v for k, v in os.environ.items() if not k.startswith("SOLEUS_")}
        for keep in ("SOLEUS_DATA_DIR", "SOLEUS_DATABASE_URL", "SOLEUS_PERSON"):
            if keep in os.environ:
                env[keep] = os.environ[keep]
        env["SOLEUS_CONFIG_DIR"] = str(empty)
        return open_context(Settings.load(env))


@click.group(cls=SuggestingGroup, invoke_without_command=True)
@click.option("--once", is_flag=True, help="Take one sample, decide, and exit.")
@click.option("--dry-run", is_flag=True, help="Decide and notify, but log nothing.")
@click.option("--install", is_flag=True, help="Start the reminders at login (user service).")
@click.option("--uninstall", is_flag=True, help="Remove the login service.")
@click.pass_context
def remind(
    click_ctx: click.Context, once: bool, dry_run: bool, install: bool, uninstall: bool
) -> None:
    """Exercise-snack reminders while you sit at the computer.

    Runs in the foreground: watches how long you have been active at the computer,
    and after your interval of sitting (or when a planned snack is due) shows a
    notification with Start, Snooze and Skip. Settings live in the [remind] table of
    config.toml (see `soleus remind doctor`).
    """
    if click_ctx.invoked_subcommand is not None:
        return
    if install and uninstall:
        raise click.UsageError("--install and --uninstall exclude each other")
    if install or uninstall:
        _service(install)
        return
    _run(once=once, dry_run=dry_run)


def _service(install: bool) -> None:
    from soleus.remind import service

    ctx = _context()
    env = {
        "SOLEUS_DATA_DIR": str(ctx.settings.data_dir),
        "SOLEUS_CONFIG_DIR": str(ctx.settings.config_dir),
    }
    svc = service.describe(
        service.platform_kind(), home=Path.home(), env=env, data_dir=ctx.settings.data_dir
    )
    notes = service.install(svc) if install else service.uninstall(svc)
    for note in notes:
        click.echo(note)


def _policy(ctx: Context) -> tuple[Any, Any]:
    """(config, policy), falling back to the defaults on a contradiction."""
    from soleus.domain.snacks.policy import RemindPolicy
    from soleus.services.snacks import records as snacks
    from soleus.settings.remind import RemindConfig

    try:
        config = snacks.remind_config(ctx)
    except SoleusError as error:
        _err(f"{error}; using the default reminder settings")
        return RemindConfig(), RemindPolicy()
    try:
        return config, config.policy()
    except SoleusError as error:
        _err(f"{error}; using the default reminder schedule")
        return config, RemindPolicy()


def _run(*, once: bool, dry_run: bool) -> None:
    import signal

    from soleus.remind import idle, notify
    from soleus.remind.bus import Bus, BusError
    from soleus.remind.daemon import Daemon
    from soleus.services.snacks import records as snacks

    ctx = _context(fallback=True)
    config, pol = _policy(ctx)
    try:
        bus: Bus | None = Bus.session()
    except BusError as error:
        _err(f"{error}; idle detection and notifications without D-Bus")
        bus = None
    try:
        source, _probes = idle.choose(config.idle_backend, bus)
    except SoleusError as error:
        _err(f"{error}; trying the other backends")
        source, _probes = idle.choose("auto", bus)
    try:
        notifier = notify.choose(config.notifier, bus, _err)
    except SoleusError as error:
        _err(f"{error}; nudges go to the terminal")
        notifier = notify.TerminalNotifier()
    daemon = Daemon(
        ctx,
        snacks.engine(ctx, pol),
        source,
        notifier,
        poll_s=config.poll_s,
        dry_run=dry_run,
        start_command=config.start_command,
        log=lambda text: click.echo(text, err=True),
    )
    click.echo(
        f"soleus remind: idle from {source.name}, notifications via {notifier.name}; "
        f"nudge after {pol.interval_s / 60:g} min of sitting, {plural(pol.target, 'snack')} a day",
        err=True,
    )

    def stop(_sig: int, _frame: Any) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    try:
        daemon.run(once=once)
        if once:
            click.echo(decision(daemon))
    except KeyboardInterrupt:
        pass
    finally:
        if not once:
            daemon.remove_heartbeat()
        if bus is not None:
            bus.close()


def decision(daemon: Daemon) -> str:
    """What one tick (``--once``) decided: a nudge or none, and when the next is due."""
    from datetime import UTC, datetime

    from soleus.domain.text import time_words
    from soleus.services.snacks.live import next_words

    eng, ctx = daemon.engine, daemon.ctx
    t = daemon.now()
    today = ctx.today()
    if eng.stopped:
        head = "No nudge: today is a rest or stopped day"
    elif eng.pending is not None:
        head = f"Nudge {eng.pending.number} is open ({eng.pending.reason})"
    else:
        head = "No nudge now"
    parts = [f"snacks {eng.taken} of {eng.policy.target} today"]
    if eng.sit_start is not None:
        parts.append(f"sitting for {(t - eng.sit_start) / 60:.0f} min")
    due = eng.next_due()
    if due is None:
        parts.append("no more nudges today")
    else:
        at = time_words(datetime.fromtimestamp(due[0], UTC), ctx.tz, today=today)
        parts.append(f"next due {at}, {next_words(due[1], eng.policy, done=eng.taken)}")
    dry = " (dry run: nothing logged)" if daemon.dry_run else ""
    return f"{head}{dry}: " + "; ".join(parts) + "."


@remind.command()
@click.option("--notify", "send", is_flag=True, help="Also send a test notification.")
@json_option
def doctor(send: bool, as_json: bool) -> None:
    """Which idle backend and notifier work here, and whether the settings hold."""
    from soleus.remind import idle, notify
    from soleus.remind.bus import Bus, BusError
    from soleus.services.snacks import records as snacks

    report: dict[str, Any] = {}
    ctx = _context()
    try:
        config = snacks.remind_config(ctx)
        pol = config.policy()
        report["settings"] = {"ok": True, "detail": _policy_line(pol)}
    except SoleusError as error:
        config = None
        report["settings"] = {"ok": False, "detail": str(error)}
    try:
        bus: Bus | None = Bus.session()
        report["dbus"] = {"ok": True, "detail": bus.unique_name if bus else ""}
    except BusError as error:
        bus = None
        report["dbus"] = {"ok": False, "detail": str(error)}
    probes = idle.probe_all(bus)
    chosen = next(p.name for p, s in probes if s is not None)
    if config is not None and config.idle_backend != "auto":
        chosen = config.idle_backend
    report["idle"] = {
        "chosen": chosen,
        "backends": [{"name": p.name, "ok": p.ok, "detail": p.detail} for p, _ in probes],
    }
    note: dict[str, Any] = {"chosen": "terminal", "detail": "no session D-Bus"}
    if bus is not None:
        try:
            server = notify.DbusNotifier(bus)
            note = {
                "chosen": "dbus",
                "detail": f"{server.server}; actions "
                + ("supported" if server.supports_actions else "not supported"),
            }
            if send:
                server.show(
                    notify.Message(
                        "soleus", "Reminders work: this is a test.", (("start", "Start"),)
                    )
                )
                note["sent"] = True
        except SoleusError as error:
            note = {"chosen": "terminal", "detail": str(error)}
    report["notifier"] = note
    if bus is not None:
        bus.close()
    if as_json:
        print_json(report)
        return
    out = console()
    mark = {True: "[green]ok[/green]  ", False: "[red]no[/red]  "}
    out.print(f"settings  {mark[report['settings']['ok']]}{report['settings']['detail']}")
    out.print(f"D-Bus     {mark[report['dbus']['ok']]}{report['dbus']['detail']}")
    out.print(f"idle      chosen: [bold]{chosen}[/bold]")
    for row in report["idle"]["backends"]:
        out.print(f"  {row['name']:<12}{mark[row['ok']]}{row['detail']}")
    out.print(f"notifier  chosen: [bold]{note['chosen']}[/bold] ({note['detail']})")


def _policy_line(pol: Any) -> str:
    from soleus.domain.snacks.policy import DAY_NAMES

    days = ", ".join(
        f"{DAY_NAMES[d]} {' '.join(str(w) for w in pol.available(d))}"
        for d in range(7)
        if pol.available(d)
    )
    return (
        f"nudge after {pol.interval_s / 60:g} min sitting, break {pol.break_s / 60:g} min, "
        f"{plural(pol.target, 'snack')}/day, snooze {pol.snooze_limit}× {pol.snooze_s / 60:g} min;"
        f" {days}"
    )


def _next_why(ctx: Context, data: dict[str, Any], today: dict[str, Any]) -> str:
    """The reason for the next nudge in the Snacks page's words."""
    from soleus.services.snacks import records as snacks
    from soleus.services.snacks.live import next_words

    try:
        pol = snacks.policy(ctx)
    except SoleusError:
        return str(data["next_reason"])
    return next_words(str(data["next_reason"]), pol, done=int(today["snacks_done"]))


@remind.command()
@json_option
def status(as_json: bool) -> None:
    """Whether the reminder daemon runs and when the next nudge is due."""
    from soleus.services.snacks import records as snacks
    from soleus.services.snacks.heartbeat import status as read_status

    ctx = _context()
    data = read_status(ctx)
    today = snacks.day_stats(ctx).as_dict()
    data["today"] = today
    if as_json:
        print_json(data)
        return
    out = console()
    if data["running"]:
        out.print(f"running (pid {data['pid']}, idle from {data['idle_backend']})")
        if data.get("next_due"):
            due = datetime.fromisoformat(data["next_due"]).astimezone(ctx.tz)
            out.print(f"next nudge: {due:%a %H:%M} ({_next_why(ctx, data, today)})")
        else:
            out.print("next nudge: none due (on a break, outside working hours or target met)")
    else:
        out.print(f"not running: {data['why']}. Start it with: soleus remind")
    out.print(
        f"today: {today['snacks_done']}/{plural(today['target'], 'snack')},"
        f" {plural(today['prompted'], 'nudge')}, {today['skipped']} skipped,"
        f" {today['postponed']} postponed, {plural(today['natural_breaks'], 'natural break')},"
        f" {today['sitting_minutes']:.0f} min sitting"
    )


@remind.command()
@click.option("--date", "day", metavar=DAY_METAVAR, help=f"Day (default today): {DAY_HELP}.")
@json_option
def preview(day: str | None, as_json: bool) -> None:
    """When snacks are planned and nudges would come on a day, under your settings."""
    from soleus.services.snacks import records as snacks

    ctx = _context()
    the_day = (
        day_value(day, today=ctx.today(), option="--date", direction="future")
        if day
        else ctx.today()
    )
    data = snacks.preview(ctx, the_day)
    if as_json:
        print_json(data)
        return
    out = console()
    out.print(f"[bold]{day_words(the_day)} {the_day:%Y}[/bold]")
    if not data["working"]:
        out.print("No working hours on this day: no nudges.")
        return
    hours = ", ".join(f"{a:%H:%M}-{b:%H:%M}" for a, b in data["working"])
    out.print(f"working (without quiet times): {hours}")
    out.print(f"planned snacks ({data['target']}):")
    for item in data["snacks"]:
        out.print(f"  {item['at']:%H:%M}  {item['title']} (soleus session {item['routine']})")
    out.print(f"nudges if you sit throughout (every {data['interval_min']:g} min):")
    times = [f"{item['at']:%H:%M}" for item in data["nudges_if_sitting"]]
    out.print("  " + (" ".join(times) or "none"))


@click.group(cls=SuggestingGroup)
def calendar() -> None:
    """Export planned snack times as iCalendar, for your calendar application."""


@calendar.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--from", "start", metavar=DAY_METAVAR, help=f"First day (default today): {DAY_HELP}."
)
@click.option("--days", type=click.IntRange(1, 366), default=14, show_default=True)
def export(file: Path, start: str | None, days: int) -> None:
    """Write the planned snacks of the coming days to FILE (.ics)."""
    from soleus.services.snacks import records as snacks

    ctx = _context()
    today = ctx.today()
    first = day_value(start, today=today, option="--from", direction="future") if start else today
    count = snacks.export_calendar(ctx, file, first, days)
    click.echo(f"wrote {plural(count, 'snack event')} ({first} + {plural(days, 'day')}) to {file}")
    if count == 0:
        click.echo("no working hours in that range: check [remind] in config.toml", err=True)
        sys.exit(1)
