"""The server-side SVG charts with little or no data: distinct ticks, no overlaps."""

from __future__ import annotations

import itertools
import re
from datetime import date, timedelta

from soleus.web.charts import history as charts


def _ticks(svg: str) -> list[str]:
    return re.findall(r'<text x="0" y="[\d.]+">(\d+)</text>', svg)


def test_weekly_bars_with_one_set_have_distinct_whole_ticks() -> None:
    week = date(2026, 3, 2)
    svg = charts.stacked_bars([(week, {"soleus-pushup": 1})], ["soleus-pushup"], {})
    assert _ticks(svg) == ["0", "1"]
    svg = charts.stacked_bars([(week, {"a": 2}), (week, {"a": 7})], ["a"], {})
    ticks = [int(t) for t in _ticks(svg)]
    assert ticks == sorted(set(ticks)) and ticks[0] == 0 and ticks[-1] >= 7


def test_nice_ticks_are_distinct_and_cover_the_top() -> None:
    for top in (0, 1, 2, 3, 5, 9, 13, 48, 101, 999):
        ticks = charts.nice_ticks(top)
        assert ticks[0] == 0 and ticks[-1] >= max(top, 1)
        assert len(ticks) == len(set(ticks)) <= 5
        assert len({b - a for a, b in itertools.pairwise(ticks)}) == 1


def test_heatmap_month_labels_never_overlap() -> None:
    today = date(2026, 12, 2)
    for shift in range(0, 35):  # every position of the first month change
        start = date(2025, 11, 3) + timedelta(days=shift)
        start -= timedelta(days=start.weekday())
        svg = charts.heatmap({}, start=start, today=today)
        xs = [float(x) for x in re.findall(r'<text x="([\d.]+)" y="10">', svg)]
        assert len(xs) >= 11
        assert all(b - a >= charts.MONTH_LABEL_W for a, b in itertools.pairwise(xs))


def test_chart_descriptions_agree_with_their_nouns() -> None:
    day = date(2026, 3, 2)
    heat = charts.heatmap({day: 1}, start=day - timedelta(days=day.weekday()), today=day)
    assert "1 active day since" in heat and "2026-03-02: 1 rep<" in heat
    bars = charts.stacked_bars([(day, {"a": 1})], ["a"], {})
    assert "week of 2026-03-02: 1 set" in bars and "1 sets" not in bars
    trend = charts.trend([(day, 3)], [], start=day - timedelta(days=89), end=day)
    assert "1 day with pain reports, 0 days with effort ratings" in trend


def test_rep_numbers_never_touch() -> None:
    from soleus.web.charts import recording as rp

    xs = [44 + 846 * i / 59 for i in range(60)]  # 60 reps: 14 units apart
    kept = rp.rep_labels(xs)
    assert kept[0] == (1, xs[0]) and len(kept) > 10
    for (k, a), (j, b) in itertools.pairwise(kept):
        room = (len(str(k)) + len(str(j))) * rp.DIGIT_W / 2 + rp.LABEL_GAP
        assert b - a >= room
    assert rp.rep_labels([10.0, 200.0, 400.0]) == [(1, 10.0), (2, 200.0), (3, 400.0)]
