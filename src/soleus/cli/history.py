"""`soleus history` and `soleus stats`."""

from __future__ import annotations

from datetime import timedelta

import click

from soleus.cli.common import console, json_option, open_context, print_json
from soleus.domain.text import day_words, duration_words, plural

SIDE = {"left": "L", "right": "R", "both": "LR"}


@click.command()
@click.option(
    "--days",
    type=click.IntRange(1, 3660),
    default=14,
    show_default=True,
    help="How many days back.",
)
@json_option
def history(days: int, as_json: bool) -> None:
    """What you did, day by day: sets (done vs planned), sessions and pain."""
    from soleus.services.reports.history import history as load

    ctx = open_context()
    data = load(ctx, days=days)
    if as_json:
        print_json(data)
        return
    out = console()
    if not data:
        out.print(
            f"Nothing logged in the last {plural(days, 'day')}. Start with: soleus session desk"
        )
        return
    for day in data:
        out.print(f"[bold]{day_words(day['date'])} {day['date']:%Y}[/bold]")
        for s in day["sets"]:
            if s["kind"] == "reps":
                amount = f"{s['actual_reps']}/{plural(s['target_reps'], 'rep')}"
            else:
                amount = f"{s['actual_seconds'] or 0:.0f}/{s['target_seconds'] or 0:.0f} s"
            skipped = " (skipped)" if s["skipped"] else ""
            out.print(
                f"  {s['exercise_id']:<26} set {s['set_number']} {SIDE[s['side']]:<2}"
                f"  {amount}{skipped}"
            )
        for p in day["pain"]:
            out.print(f"  pain {p['score']}/10 ({p['context']})")


@click.command()
@json_option
def stats(as_json: bool) -> None:
    """Streak, this week vs last, reps per side and left/right balance, pain trend."""
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
    out = console()
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
            out.print(
                f"  {b.exercise_id:<26} L {b.left:g}  R {b.right:g} {b.unit}"
                f"  ({b.asymmetry_pct:+.0f}%)"
            )
    out.print(
        f"[bold]Pain[/bold] {result.pain_trend}"
        + (
            f" (avg {result.pain_recent} vs {result.pain_before})"
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
