"""``soleus analyze --plot``: a recording's trace with the reps marked, as PNG or SVG.

The same :class:`soleus.signal.result.Trace` the web page draws (phone: thigh tilt;
video: heel and toe), drawn with matplotlib (imported here only).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from soleus.errors import SoleusError

if TYPE_CHECKING:
    from soleus.signal.result import Result, Trace

MAX_NUMBERED = 60  # reps numbered over the plot; more would overlap


def draw(trace: Trace, result: Result[Any], out: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(12, 3.5))
    ax.plot(trace.t, trace.y, lw=0.8, color="0.3", label=trace.name)
    for name, values in trace.others:
        ax.plot(trace.t, values, lw=0.9, color="tab:orange", label=name)
    if trace.others:
        ax.legend(loc="upper right", fontsize=8)
    for k, r in enumerate(result.reps):
        shade = "tab:red" if k in trace.warned else "tab:green"
        ax.axvspan(r.start_s, r.end_s, color=shade, alpha=0.15, lw=0)
        ax.axvline(r.top_s, color="tab:green", lw=0.6)
        if len(result.reps) <= MAX_NUMBERED:
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
    ax.set_ylabel(trace.axis)
    title = f"{result.count} soleus pushups" if result.count else (result.reason or "")
    ax.set_title(title, loc="left", fontsize=10)
    fig.tight_layout()
    try:
        fig.savefig(out)
    except OSError as e:
        raise SoleusError(f"cannot write the plot: {e.strerror}", where=str(out)) from None
    finally:
        plt.close(fig)
