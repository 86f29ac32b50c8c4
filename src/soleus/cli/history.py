"""`soleus history` and `soleus stats`."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import click

from soleus.cli.common import json_option, open_context, print_json, printer
from soleus.domain.text import day_words, duration_words, plural

SIDE = {"left": "L", "right": "R", "both": "LR"}
SIDE_WORDS = {"left": "left", "right": "right", "both": "both legs"}


@click.command()
@click.option(
    "--days",
    type=click.IntRange(1, 3660),
    default=14,
    show_default=True,
    help="How many days back.",
)
@click.option("--sets", "flat", is_flag=True, help="Every set on its own line, without sessions.")
@json_option
def history(days: int, flat: bool, as_json: bool) -> None:
    """What you did, day by day: each session (routine, status, sets per side done vs
    planned, effort, pain), the quick logs and the pain reports.

    \b
    Examples:
      soleus history
      soleus history --days 30 --json
      soleus history --sets
    """
    from soleus.services.reports import history as reports

    ctx = open_context()
    data = reports.history(ctx, days=days) if flat else reports.by_session(ctx, days=days)
    if as_json:
        print_json(data)
        return
    out = printer()
    if not data:
        out.print(
            f"Nothing logged in the last {plural(days, 'day')}. Start with: soleus session desk"
        )
        return
    for day in data:
        out.print(f"[bold]{day_words(day['date'])} {day['date']:%Y}[/bold]", highlight=False)
        lines = _flat_lines(day) if flat else _day_lines(day)
        for line in lines:
            out.print(line, markup=False, highlight=False)


STATUS = {"active": "unfinished (soleus resume)", "abandoned": "abandoned", "finished": "finished"}


def _day_lines(day: dict[str, Any]) -> list[str]:
    """A day grouped: sessions, quick logs and pain reports in the order they happened."""
    timed: list[tuple[Any, list[str]]] = []
    for s in day["sessions"]:
        status = STATUS.get(s["status"], s["status"])
        head = (
            f"  {s['started_at']:%H:%M}  {s['routine_name']}: {status},"
            f" {s['done']} of {plural(s['planned'], 'set')} done"
        )
        scores = [f"{k} {s[k]}/10" for k in ("effort", "pain") if s[k] is not None]
        lines = [head + (f" · {', '.join(scores)}" if scores else "")]
        per_exercise: dict[str, list[str]] = {}
        for t in s["sets"]:
            side = SIDE_WORDS.get(t["side"], t["side"])
            per_exercise.setdefault(t["exercise_id"], []).append(
                f"{side} {t['done']}/{t['planned']}"
            )
        lines += [f"         {ex}: {', '.join(parts)}" for ex, parts in per_exercise.items()]
        timed.append((s["started_at"], lines))
    for q in day["quick_logs"]:
        sides = sorted({r["side"] for r in q["sets"]}, key=list(SIDE_WORDS).index)
        first = q["sets"][0]
        each = f"{first['reps']}" if q["kind"] == "reps" else f"{first['seconds'] or 0:g} s"
        per_side = len(q["sets"]) // max(1, len(sides))
        what = f"{per_side} × {each} {'+'.join(SIDE_WORDS[x] for x in sides)}"
        note = f" ({q['note']})" if q["note"] else ""
        timed.append((q["at"], [f"  {q['at']:%H:%M}  logged {q['exercise_id']} {what}{note}"]))
    for p in day["pain"]:
        timed.append((p["at"], [f"  {p['at']:%H:%M}  pain {p['score']}/10 ({p['context']})"]))
    timed.sort(key=lambda item: item[0])
    return [line for _, lines in timed for line in lines]


def _flat_lines(day: dict[str, Any]) -> list[str]:
    """The flat view (``--sets``): every set, then the pain reports."""
    lines = []
    for s in day["sets"]:
        if s["kind"] == "reps":
            amount = f"{s['actual_reps']}/{plural(s['target_reps'], 'rep')}"
        else:
            amount = f"{s['actual_seconds'] or 0:.0f}/{s['target_seconds'] or 0:.0f} s"
        skipped = " (skipped)" if s["skipped"] else ""
        lines.append(
            f"  {s['exercise_id']:<26} set {s['set_number']} {SIDE[s['side']]:<2}"
            f"  {amount}{skipped}"
        )
    lines += [f"  pain {p['score']}/10 ({p['context']})" for p in day["pain"]]
    return lines


@click.command()
@json_option
def stats(as_json: bool) -> None:
    """Streak, this week vs last, reps per side and left/right balance, pain trend."""
    from soleus.domain.stats import NOT_ENOUGH, PAIN_TREND_MIN_DAYS
    from soleus.services.reports.history import stats as compute
    from soleus.services.reports.history import stats_dict
    from soleus.services.snacks.records import days_stats

    ctx = open_context()
    result = compute(ctx)
    data = stats_dict(result)
    week = days_stats(ctx, ctx.today() - timedelta(days=6), ctx.today())
    data["snacks"] = [day.as_dict() for day in week]
    if as_json:
        print_json(data)
        return
    out = printer()
    out.print(
        f"[bold]Streak[/bold] {plural(result.current_streak, 'day')} (longest"
        f" {plural(result.longest_streak, 'day')}),"
        f" {plural(result.active_days, 'day')} active in all"
    )
    tw, lw = result.this_week, result.last_week
    out.print(
        f"[bold]This week[/bold] {plural(tw.reps, 'rep')},"
        f" {duration_words(tw.seconds)} of holds, {plural(tw.days, 'day')}"
        f"   [dim]last week {plural(lw.reps, 'rep')}, {duration_words(lw.seconds)},"
        f" {plural(lw.days, 'day')}[/dim]"
    )
    if result.balance:
        out.print("[bold]Left / right[/bold] (last 28 days)")
        for b in result.balance:
            out.print(f"  {b.exercise_id:<26} L {b.left:g}  R {b.right:g} {b.unit}  ({b.words})")
    if result.pain_trend == NOT_ENOUGH:
        out.print(
            f"[bold]Pain[/bold] trend: not enough data yet (pain logged on"
            f" {PAIN_TREND_MIN_DAYS} days or more of the last 14 is needed)"
        )
    else:
        out.print(
            f"[bold]Pain[/bold] trend: {result.pain_trend}"
            + (
                f" (average worst pain of the day {result.pain_recent}, the 14 days"
                f" before {result.pain_before})"
                if result.pain_recent is not None and result.pain_before is not None
                else ""
            )
        )
    today_snacks = week[-1]
    out.print(
        f"[bold]Snacks today[/bold] {today_snacks.snacks_done} of {today_snacks.target}"
        f"   reminders: {today_snacks.prompted} prompted, {today_snacks.taken} taken,"
        f" {today_snacks.skipped} skipped, {today_snacks.postponed} postponed,"
        f" {today_snacks.natural_breaks} natural breaks,"
        f" {today_snacks.sitting_minutes:.0f} min sitting"
    )
    out.print("[bold]Reps per day[/bold] (last 4 weeks)")
    out.print("  " + sparkline([n for _, n in result.daily_reps]))


def sparkline(values: list[int]) -> str:
    bars = " ▁▂▃▄▅▆▇█"
    top = max(values, default=0)
    if top == 0:
        return "·" * len(values)
    return "".join(bars[min(8, round(v / top * 8))] if v else "·" for v in values)
