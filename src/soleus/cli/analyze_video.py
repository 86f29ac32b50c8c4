"""``soleus analyze clip.mp4``: the CLI's rendering of a video analysis (extra: video)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from soleus.errors import SoleusError
from soleus.video.analysis import TOE_RATIO_MAX, VideoAnalysis, analyze_video

if TYPE_CHECKING:
    from soleus.services.recordings.library import CheckedVideo, Logged


def run(
    file: Path,
    *,
    as_json: bool,
    plot: Path | None,
    side: str | None,
    style: str,
    log_it: bool = False,
) -> None:
    if plot is not None and plot.suffix.lower() not in (".png", ".svg"):
        raise SoleusError("--plot must end in .png or .svg", where=str(plot))
    checked = None
    if log_it:
        from soleus.services.recordings import library as recordings

        checked = recordings.read_video(file, style=style, side=side)
        result = checked.analysis
    else:
        result = analyze_video(file, style="bout" if style == "bout" else "sets", side=side)
    if plot is not None:
        draw(result, plot)
    if as_json:
        data = result.to_dict()
        if checked is not None:
            from soleus.cli.analyze import logged_json

            data["logged"] = logged_json(_log(checked))
        click.echo(json.dumps(data))
        return
    report(file, result, plot)
    if checked is not None:
        click.echo(_log(checked).message)


def _log(checked: CheckedVideo) -> Logged:
    from soleus.cli.analyze import with_context
    from soleus.services.recordings import library as recordings

    return with_context(lambda ctx: recordings.log_video(ctx, checked))


def report(file: Path, result: VideoAnalysis, plot: Path | None) -> None:
    from soleus.cli.analyze import print_bouts, print_flags
    from soleus.cli.common import console as make_console

    console = make_console()
    side = f", {result.side} foot" if result.side else ""
    console.print(
        f"[bold]{file.name}[/]: {result.format}, {result.duration_s:.0f} s at "
        f"{result.sample_rate_hz:.0f} frames/s{side}"
    )
    for note in result.notes:
        console.print(f"[dim]note: {note}[/]")
    if not result.count:
        console.print(f"[yellow]{result.reason}[/]")
    else:
        console.print(f"[bold green]{result.count} soleus pushups[/]")
        print_bouts(console, result.bouts, result.style)
        mid = len(result.reps) // 2
        angle = sorted(r.amplitude_deg for r in result.reps)[mid]
        rise = sorted(r.rise_s for r in result.reps)[mid]
        fall = sorted(r.release_s for r in result.reps)[mid]
        toes = sorted(r.toe_ratio for r in result.reps)[mid]
        console.print(
            f"typical rep: foot tilted {angle:.0f}°, heel up in {rise:.2f} s, down in "
            f"{fall:.2f} s; toes rose {toes:.0%} as much as the heel "
            f"(forefoot down: under {TOE_RATIO_MAX:.0%})"
        )
    print_flags(
        console,
        result.flags,
        count=result.count,
        clean="form: no findings; the forefoot stayed down",
    )
    if plot is not None:
        console.print(f"plot written to {plot}")


def draw(result: VideoAnalysis, out: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(12, 3.5))
    s = result.series
    if s is not None:
        ax.plot(s.t, s.heel, lw=0.9, color="0.2", label="heel")
        ax.plot(s.t, s.toe, lw=0.9, color="tab:orange", label="toe")
        ax.legend(loc="upper right", fontsize=8)
    for k, r in enumerate(result.reps):
        bad = r.toe_ratio >= TOE_RATIO_MAX
        ax.axvspan(r.start_s, r.end_s, color="tab:red" if bad else "tab:green", alpha=0.15, lw=0)
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
        ax.axvspan(lift.start_s, lift.end_s, color="tab:red", alpha=0.3, lw=0)
    ax.set_xlabel("time (s)")
    ax.set_ylabel("height above the floor (shin lengths)")
    title = f"{result.count} soleus pushups" if result.count else (result.reason or "")
    ax.set_title(title, loc="left", fontsize=10)
    fig.tight_layout()
    try:
        fig.savefig(out)
    except OSError as e:
        raise SoleusError(f"cannot write the plot: {e.strerror}", where=str(out)) from None
    finally:
        plt.close(fig)
