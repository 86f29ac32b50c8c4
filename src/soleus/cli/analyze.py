"""``soleus analyze``: count soleus pushups in a phone recording and check their form.

Rendering only: reading and analysis live in :mod:`soleus.signal`. numpy, scipy and
matplotlib are imported inside the command so ``soleus --help`` stays fast.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from soleus.cli.common import console as make_console
from soleus.errors import SoleusError

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from rich.console import Console

    from soleus.services.context import Context
    from soleus.services.recordings.library import Checked, Logged
    from soleus.signal.analysis import Analysis
    from soleus.signal.form import BoutSummary, Flag
    from soleus.signal.recording import Recording


@click.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print exactly one JSON object.")
@click.option(
    "--plot",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Draw the thigh tilt with the reps marked (.png or .svg).",
)
@click.option("--side", type=click.Choice(["left", "right"]), help="Which leg had the phone.")
@click.option(
    "--style",
    type=click.Choice(["sets", "bout"]),
    default="sets",
    show_default=True,
    help="Sets of reps, or one sustained bout (passive release, about 50/min).",
)
@click.option(
    "--log",
    "log_it",
    is_flag=True,
    help="Store the reps as a session (the recording is kept in the data dir); once per file.",
)
def analyze(
    file: Path, as_json: bool, plot: Path | None, side: str | None, style: str, log_it: bool
) -> None:
    """Count soleus pushups in a phone recording and check their form.

    FILE is an export of phyphox (CSV, zip or Excel), Sensor Logger (zip, JSON,
    unpacked folder or sensor CSV), Physics Toolbox, or a CSV with columns
    t,ax,ay,az[,gx,gy,gz] (s, m/s², rad/s). Keep the phone in the trouser pocket of the
    working leg; its orientation does not matter.

    FILE may also be a side-view video of the feet (.mp4 .mov .webm .avi .mkv; needs
    the video extra: pip install "soleus[video]"): the heel and toe are followed with
    MediaPipe pose, and --log stores its reps like a phone recording's (the clip is kept).

    \b
    --json prints one object (README.md has the table):
      count, duration_s, sample_rate_hz, format, sensors, style, side,
      reason (why nothing was counted, else null), notes, logged (with --log),
      reps[]   start_s top_s end_s rise_s release_s hold_s amplitude_deg
      bouts[]  start_s end_s count cadence_per_min
      flags[]  rule message rep

    flags[].rep is the 0-based index into reps (null for a finding about no single
    rep); the message counts from 1, so "rep 8" is reps[7]. A video adds source, and
    heel_rise and toe_ratio per rep.
    """
    from soleus.video import is_video

    if is_video(file):
        from soleus.cli.analyze_video import run as run_video

        run_video(file, as_json=as_json, plot=plot, side=side, style=style, log_it=log_it)
        return
    from soleus.signal.analysis import analyze as run_analysis
    from soleus.signal.formats import load

    if plot is not None and plot.suffix.lower() not in (".png", ".svg"):
        raise SoleusError("--plot must end in .png or .svg", where=str(plot))
    checked: Checked | None = None
    raw = b""
    if log_it:
        from soleus.services.recordings import library as recordings

        raw = recordings.read_file(file)
        checked = recordings.read(raw, str(file), style=style, side=side)
        recording, result = checked.recording, checked.analysis
    else:
        recording = load(file)
        try:
            result = run_analysis(recording, style="bout" if style == "bout" else "sets", side=side)
        except SoleusError as error:  # too short to analyse: say which file
            raise SoleusError(error.message, where=error.where or str(file)) from None
    if plot is not None:
        _plot(recording, result, plot)
    if as_json:
        data = result.to_dict()
        if checked is not None:
            data["logged"] = logged_json(_log(raw, file, checked))
        click.echo(json.dumps(data))
        return
    _report(file, result, plot)
    if checked is not None:
        click.echo(_log(raw, file, checked).message)


def _log(raw: bytes, file: Path, checked: Checked) -> Logged:
    from soleus.services.recordings import library as recordings

    return with_context(lambda ctx: recordings.log(ctx, raw, file.name, checked=checked))


def with_context(log: Callable[[Context], Logged]) -> Logged:
    """Open the store, log, close it (shared with the video command)."""
    from soleus.cli.common import open_context

    ctx = open_context()
    try:
        return log(ctx)
    finally:
        ctx.store.close()


def logged_json(logged: Logged) -> dict[str, object]:
    """The ``logged`` member of ``--json --log`` output."""
    return {
        "session_id": logged.session_id,
        "duplicate": logged.duplicate,
        "recording": logged.recording,
    }


def _report(file: Path, result: Analysis, plot: Path | None) -> None:
    console = make_console()
    sensors = result.sensors.replace("+", " + ")
    console.print(
        f"[bold]{file.name}[/]: {result.format}, {result.duration_s:.0f} s at "
        f"{result.sample_rate_hz:.0f} Hz ({sensors})"
    )
    for note in result.notes:
        console.print(f"[dim]note: {note}[/]")
    if not result.count:
        console.print(f"[yellow]{result.reason}[/]")
    else:
        side = f" ({result.side} leg)" if result.side else ""
        console.print(f"[bold green]{result.count} soleus pushups[/]{side}")
        print_bouts(console, result.bouts, result.style)
        amps = sorted(r.amplitude_deg for r in result.reps)
        rises = sorted(r.rise_s for r in result.reps)
        falls = sorted(r.release_s for r in result.reps)
        mid = len(amps) // 2
        console.print(
            f"typical rep: thigh tilt {amps[mid]:.1f}°, heel up in {rises[mid]:.2f} s, "
            f"down in {falls[mid]:.2f} s"
        )
    print_flags(console, result.flags, count=result.count, clean="form: no findings")
    if plot is not None:
        console.print(f"plot written to {plot}")


def print_bouts(console: Console, bouts: Sequence[BoutSummary], style: str) -> None:
    """The sets or bouts found, as a table (shared by the phone and video reports)."""
    from rich.table import Table

    table = Table("#", "from", "to", "reps", "per min", title=style)
    for i, b in enumerate(bouts, 1):
        cadence = f"{b.cadence_per_min:.0f}" if b.cadence_per_min else "–"
        table.add_row(str(i), f"{b.start_s:.1f} s", f"{b.end_s:.1f} s", str(b.count), cadence)
    console.print(table)


def print_flags(console: Console, flags: Sequence[Flag], *, count: int, clean: str) -> None:
    """Form findings, one line per rule with how many more like it."""
    if not flags:
        if count:
            console.print(clean)
        return
    by_rule: dict[str, list[str]] = {}
    for f in flags:
        by_rule.setdefault(f.rule, []).append(f.message)
    console.print("[bold]form[/]")
    for rule, messages in by_rule.items():
        more = f" (and {len(messages) - 1} more like it)" if len(messages) > 1 else ""
        console.print(f"  [yellow]{rule}[/]: {messages[0]}{more}")


def _plot(recording: Recording, result: Analysis, out: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    from soleus.signal.orientation import TiltTracker

    tracker = TiltTracker(
        accelerometer=recording.acc is not None, gyroscope=recording.gyro is not None
    )
    t, tilt, _, _ = tracker.feed(
        recording.t_acc, recording.acc, recording.t_gyro, recording.gyro, final=True
    )
    # show heel-up as up: the detector's sign is the one where reps rise
    if result.reps:
        i = np.searchsorted(t, [r.top_s for r in result.reps]).clip(0, t.size - 1)
        j = np.searchsorted(t, [r.start_s for r in result.reps]).clip(0, t.size - 1)
        if float(np.median(tilt[i] - tilt[j])) < 0:
            tilt = -tilt
    fig, ax = plt.subplots(figsize=(12, 3.5))
    ax.plot(t, tilt, lw=0.8, color="0.3", label="thigh tilt")
    for k, r in enumerate(result.reps):
        ax.axvspan(r.start_s, r.end_s, color="tab:green", alpha=0.15, lw=0)
        ax.axvline(r.top_s, color="tab:green", lw=0.6)
        if len(result.reps) <= 60:
            ax.annotate(
                str(k + 1),
                (r.top_s, 1.0),
                xycoords=("data", "axes fraction"),
                ha="center",
                va="bottom",
                fontsize=7,
            )
    for lift in result.lifts:
        ax.axvspan(lift.start_s, lift.end_s, color="tab:red", alpha=0.15, lw=0)
    ax.set_xlabel("time (s)")
    ax.set_ylabel("thigh tilt (°)")
    ax.set_title(f"{result.count} soleus pushups", loc="left", fontsize=10)
    fig.tight_layout()
    try:
        fig.savefig(out)
    except OSError as e:
        raise SoleusError(f"cannot write the plot: {e.strerror}", where=str(out)) from None
    finally:
        plt.close(fig)
