"""``soleus analyze``: count soleus pushups in a phone recording and check their form.

FILE may be a phone recording or a video (extra: video); both give a
:class:`soleus.signal.result.Result`, reported, printed as JSON and plotted
(:mod:`soleus.cli.analysis_plot`) the same way. Rendering only: reading and analysis live
in :mod:`soleus.signal` and :mod:`soleus.video`. numpy, scipy and matplotlib are imported
inside the command so ``soleus --help`` stays fast.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from soleus.cli.common import console as make_console
from soleus.errors import SoleusError

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from rich.console import Console

    from soleus.services.context import Context
    from soleus.services.recordings.library import Logged
    from soleus.signal.analysis import Analysis
    from soleus.signal.form import BoutSummary, Flag, Style
    from soleus.signal.recording import Recording
    from soleus.signal.result import Result
    from soleus.video.analysis import VideoAnalysis


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
    type=click.Choice(["auto", "sets", "bout"]),
    default="auto",
    show_default=True,
    help="Sets of reps, or sustained bouts (passive release, about 50/min); auto: decided "
    "from the reps.",
)
@click.option(
    "--log",
    "log_it",
    is_flag=True,
    help="Store the reps as a session (the recording is kept in the data dir); once per file.",
)
@click.option(
    "--calibrate",
    is_flag=True,
    help="FILE is three slow, full reps: store your own rep height and rhythm; later "
    "analyses count and judge your reps by them.",
)
def analyze(
    file: Path,
    as_json: bool,
    plot: Path | None,
    side: str | None,
    style: str,
    log_it: bool,
    calibrate: bool,
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

    --calibrate --json prints {"calibration": {amplitude_deg, rise_s, release_s, reps}}.

    flags[].rep is the 0-based index into reps (null for a finding about no single
    rep); the message counts from 1, so "rep 8" is reps[7]. A video adds source, and
    heel_rise and toe_ratio per rep.
    """
    from soleus.video import is_video

    if calibrate:
        if log_it or plot is not None:
            raise SoleusError("--calibrate stores your own rep only: drop --log and --plot")
        _calibrate(file, as_json)
        return
    if plot is not None and plot.suffix.lower() not in (".png", ".svg"):
        raise SoleusError("--plot must end in .png or .svg", where=str(plot))
    chosen: Style | None = None if style == "auto" else "bout" if style == "bout" else "sets"
    recording: Recording | None = None
    result: Result[Any]
    logging: Callable[[], Logged] | None = None
    if is_video(file):
        result, logging = _video(file, style=chosen, side=side, log_it=log_it)
    else:
        recording, result, logging = _phone(file, style=chosen, side=side, log_it=log_it)
    if plot is not None:
        from soleus.cli.analysis_plot import draw
        from soleus.signal.result import trace_of

        draw(trace_of(result, recording), result, plot)
    if as_json:
        data = result.to_dict()
        if logging is not None:
            data["logged"] = logged_json(logging())
        click.echo(json.dumps(data))
        return
    _report(file, result, plot)
    if logging is not None:
        click.echo(logging().message)


def _phone(
    file: Path, *, style: Style | None, side: str | None, log_it: bool
) -> tuple[Recording, Analysis, Callable[[], Logged] | None]:
    """The recording, its analysis, and (with --log) how to log it."""
    from soleus.services.recordings.calibration import of_installed
    from soleus.signal.analysis import analyze as run_analysis
    from soleus.signal.formats import load

    if log_it:
        from soleus.services.recordings import library as recordings

        raw = recordings.read_file(file)
        own = of_installed()
        checked = recordings.read(raw, str(file), style=style, side=side, calibration=own)
        return (
            checked.recording,
            checked.analysis,
            lambda: with_context(lambda ctx: recordings.log(ctx, raw, file.name, checked=checked)),
        )
    recording = load(file)
    own = of_installed()
    try:
        return recording, run_analysis(recording, style=style, side=side, calibration=own), None
    except SoleusError as error:  # too short to analyse: say which file
        raise SoleusError(error.message, where=error.where or str(file)) from None


def _calibrate(file: Path, as_json: bool) -> None:
    """Measure the person's own rep in FILE and store it (nothing stored on bad input)."""
    from soleus.services.recordings import calibration
    from soleus.services.recordings.library import read_file

    raw = read_file(file)
    ctx = _open()
    try:
        cal = calibration.calibrate(ctx, raw, str(file))
    finally:
        ctx.store.close()
    if as_json:
        click.echo(json.dumps({"calibration": json.loads(cal.to_json())}))
        return
    click.echo(f"calibrated: {cal.words()}")
    click.echo("later analyses use it (a rep under 60% of this height is flagged incomplete)")


def _open() -> Context:
    from soleus.cli.common import open_context

    return open_context()


def _video(
    file: Path, *, style: Style | None, side: str | None, log_it: bool
) -> tuple[VideoAnalysis, Callable[[], Logged] | None]:
    """A video's analysis (extra: video), and (with --log) how to log it."""
    if log_it:
        from soleus.services.recordings import library as recordings

        checked = recordings.read_video(file, style=style, side=side)
        return checked.analysis, lambda: with_context(
            lambda ctx: recordings.log_video(ctx, checked)
        )
    from soleus.video.analysis import analyze_video

    return analyze_video(file, style=style, side=side), None


def with_context(log: Callable[[Context], Logged]) -> Logged:
    """Open the store, log, close it."""
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


def _report(file: Path, result: Result[Any], plot: Path | None) -> None:
    console = make_console()
    video = result.source == "video"
    if video:
        side = f", {result.side} foot" if result.side else ""
        made = f"{result.sample_rate_hz:.0f} frames/s{side}"
    else:
        made = f"{result.sample_rate_hz:.0f} Hz ({result.sensors.replace('+', ' + ')})"
    console.print(f"[bold]{file.name}[/]: {result.format}, {result.duration_s:.0f} s at {made}")
    for note in result.notes:
        console.print(f"[dim]note: {note}[/]")
    if not result.count:
        console.print(f"[yellow]{result.reason}[/]")
    else:
        leg = f" ({result.side} leg)" if result.side and not video else ""
        console.print(f"[bold green]{result.count} soleus pushups[/]{leg}")
        print_bouts(console, result.bouts, result.style)
        console.print(f"typical rep: {_typical(result)}")
    clean = "form: no findings; the forefoot stayed down" if video else "form: no findings"
    print_flags(console, result.flags, count=result.count, clean=clean)
    if plot is not None:
        console.print(f"plot written to {plot}")


def _typical(result: Result[Any]) -> str:
    """The median rep in words: its tilt, rise and release (and the toes, on video)."""

    def mid(key: str) -> float:
        values = sorted(float(getattr(r, key)) for r in result.reps)
        return values[len(values) // 2]

    times = f"heel up in {mid('rise_s'):.2f} s, down in {mid('release_s'):.2f} s"
    if result.source != "video":
        return f"thigh tilt {mid('amplitude_deg'):.1f}°, {times}"
    from soleus.video.analysis import TOE_RATIO_MAX

    return (
        f"foot tilted {mid('amplitude_deg'):.0f}°, {times}; toes rose {mid('toe_ratio'):.0%} "
        f"as much as the heel (forefoot down: under {TOE_RATIO_MAX:.0%})"
    )


def print_bouts(console: Console, bouts: Sequence[BoutSummary], style: str) -> None:
    """The sets or bouts found, as a table."""
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
