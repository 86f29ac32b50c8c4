"""Quick logs: the fsynced inbox journal and its idempotent replay into the store."""

from __future__ import annotations

import json
import shutil
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from soleus.domain.clock import FakeClock
from soleus.errors import SoleusError
from soleus.services import open_context
from soleus.services.context import Context
from soleus.services.logs import inbox, logbook
from soleus.services.reports import history
from soleus.settings import Settings


def sets_entry(
    ctx_settings: Settings, clock: FakeClock, amount: str = "2x10", **kw: str
) -> dict[str, Any]:
    now = clock.now()
    return logbook.sets_entry(
        exercise_id=kw.get("exercise_id", "soleus-pushup"),
        amount=logbook.parse_amount(amount),
        side=kw.get("side", "each"),
        at=now,
        local_date=now.astimezone(ctx_settings.tzinfo).date(),
        person=ctx_settings.person,
    )


def pain_entry(settings: Settings, clock: FakeClock, score: int, context: str) -> dict[str, Any]:
    now = clock.now()
    return logbook.pain_entry(
        score=score,
        context=context,
        at=now,
        local_date=now.astimezone(settings.tzinfo).date(),
        person=settings.person,
    )


def counts(ctx: Context) -> tuple[int, int, int]:
    """(sessions, sets, pain reports) in the store."""
    data = history.history(ctx, days=3660)
    return (
        sum(len(d["sessions"]) for d in data),
        sum(len(d["sets"]) for d in data),
        sum(len(d["pain"]) for d in data),
    )


def test_entries_land_in_the_inbox_and_reach_history_on_next_open(
    settings: Settings, clock: FakeClock
) -> None:
    inbox.append(settings.inbox_path, sets_entry(settings, clock, "2x10", side="each"))
    inbox.append(settings.inbox_path, pain_entry(settings, clock, 3, "morning"))
    assert len(inbox.read(settings.inbox_path)) == 2
    assert not (settings.data_dir / "soleus.db").exists()  # nothing but the journal yet

    ctx = open_context(settings, clock)
    try:
        assert settings.inbox_path.stat().st_size == 0
        [day] = history.history(ctx, days=1)
        assert str(day["date"]) == "2026-03-04"
        assert sorted((s["side"], s["set_number"], s["actual_reps"]) for s in day["sets"]) == [
            ("left", 1, 10),
            ("left", 2, 10),
            ("right", 1, 10),
            ("right", 2, 10),
        ]
        assert [(p["score"], p["context"]) for p in day["pain"]] == [(3, "morning")]
        assert day["sessions"][0]["source"] == "quick"
        stats = history.stats(ctx)
        assert stats.current_streak == 1
        assert stats.this_week.reps == 40
    finally:
        ctx.store.close()


def test_replay_is_idempotent_even_when_the_inbox_survives_a_commit(
    settings: Settings, clock: FakeClock
) -> None:
    inbox.append(settings.inbox_path, sets_entry(settings, clock, "3x30s", side="left"))
    inbox.append(settings.inbox_path, pain_entry(settings, clock, 2, "after"))
    copy = settings.data_dir / "inbox.copy"
    shutil.copy(settings.inbox_path, copy)

    ctx = open_context(settings, clock)
    try:
        before = counts(ctx)
        assert before == (1, 3, 1)
        # A crash between the commit and the truncate leaves the old inbox behind.
        shutil.copy(copy, settings.inbox_path)
        assert inbox.drain(ctx) == 2
        assert inbox.drain(ctx) == 0  # and drained twice
        assert counts(ctx) == before
    finally:
        ctx.store.close()
    again = open_context(settings, clock)
    try:
        assert counts(again) == before
    finally:
        again.store.close()


def test_a_torn_last_line_is_ignored(settings: Settings, clock: FakeClock) -> None:
    inbox.append(settings.inbox_path, pain_entry(settings, clock, 4, "during"))
    whole = json.dumps(pain_entry(settings, clock, 9, "during"))
    with settings.inbox_path.open("ab") as handle:
        handle.write(whole[: len(whole) // 2].encode())
    assert [e["score"] for e in inbox.read(settings.inbox_path)] == [4]
    ctx = open_context(settings, clock)
    try:
        assert counts(ctx) == (0, 0, 1)
    finally:
        ctx.store.close()


def test_an_entry_appended_after_a_torn_line_is_not_lost(
    settings: Settings, clock: FakeClock
) -> None:
    settings.data_dir.mkdir(parents=True)
    settings.inbox_path.write_bytes(b'{"v":1,"type":"pain","sco')  # killed mid-write
    inbox.append(settings.inbox_path, pain_entry(settings, clock, 2, "other"))
    assert [e["score"] for e in inbox.read(settings.inbox_path)] == [2]


def test_append_is_on_disk_when_it_returns(settings: Settings, clock: FakeClock) -> None:
    entry = sets_entry(settings, clock, "10", side="both")
    inbox.append(settings.inbox_path, entry)
    raw = settings.inbox_path.read_bytes()
    assert raw.endswith(b"\n") and raw.count(b"\n") == 1
    assert json.loads(raw) == entry


def test_pain_entries_replay_the_same_way(settings: Settings, clock: FakeClock) -> None:
    for score, context in ((6, "after"), (7, "morning")):
        inbox.append(settings.inbox_path, pain_entry(settings, clock, score, context))
        clock.advance(3600)
    ctx = open_context(settings, clock)
    try:
        [day] = history.history(ctx, days=1)
        assert [(p["score"], p["context"]) for p in day["pain"]] == [(6, "after"), (7, "morning")]
        assert day["sessions"] == [] and day["sets"] == []
    finally:
        ctx.store.close()


def test_an_entry_dated_yesterday_lands_on_yesterday(settings: Settings, clock: FakeClock) -> None:
    entry = sets_entry(settings, clock, "1x45s", exercise_id="wall-calf-stretch", side="right")
    entry["local_date"] = "2026-03-03"
    entry["at"] = (clock.now() - timedelta(days=1)).isoformat()
    inbox.append(settings.inbox_path, entry)
    ctx = open_context(settings, clock)
    try:
        [day] = history.history(ctx, days=7)
        assert str(day["date"]) == "2026-03-03"
        assert day["sets"][0]["actual_seconds"] == 45.0
        assert history.stats(ctx).current_streak == 1  # today not done yet: still counts
    finally:
        ctx.store.close()


@pytest.mark.parametrize("text", ["2x10", "10", "3x30s", "45s", "1x5min", "2 × 12"])
def test_parse_amount_accepts_the_documented_forms(text: str) -> None:
    amount = logbook.parse_amount(text)
    assert amount.sets >= 1
    assert (amount.reps is None) != (amount.seconds is None)


@pytest.mark.parametrize(
    "text", ["banana", "", "0", "-5", "10000", "2x0", "21x10", "0x10", "10.5", "2x99999s", "1e3"]
)
def test_parse_amount_refuses_nonsense(text: str) -> None:
    with pytest.raises(SoleusError):
        logbook.parse_amount(text)


@pytest.mark.parametrize(("text", "score"), [("0", 0), ("10", 10), (" 7 ", 7)])
def test_parse_pain_takes_the_whole_scale(text: str, score: int) -> None:
    assert logbook.parse_pain(text) == score


@pytest.mark.parametrize("text", ["-1", "11", "3.5", "", "high"])
def test_parse_pain_refuses_nonsense(text: str) -> None:
    with pytest.raises(SoleusError):
        logbook.parse_pain(text)


def test_unknown_side_and_pain_context_are_refused(settings: Settings, clock: FakeClock) -> None:
    with pytest.raises(SoleusError):
        sets_entry(settings, clock, side="middle")
    with pytest.raises(SoleusError):
        pain_entry(settings, clock, 3, "yesterday")


def test_a_foreign_line_is_kept_aside_not_dropped(settings: Settings, clock: FakeClock) -> None:
    settings.data_dir.mkdir(parents=True)
    settings.inbox_path.write_text('{"hello": "world"}\n')
    inbox.append(settings.inbox_path, pain_entry(settings, clock, 1, "other"))
    ctx = open_context(settings, clock)
    try:
        assert counts(ctx) == (0, 0, 1)
    finally:
        ctx.store.close()
    kept = inbox.read(inbox.rejected_path(settings.inbox_path))
    assert kept == [{"hello": "world"}]
    assert inbox.read(settings.inbox_path) == []  # drained: a second open replays nothing
    again = open_context(settings, clock)
    try:
        assert counts(again) == (0, 0, 1)
    finally:
        again.store.close()
    assert inbox.read(inbox.rejected_path(settings.inbox_path)) == [{"hello": "world"}]


def test_each_entry_is_one_compact_line_with_sorted_keys(tmp_path: Path) -> None:
    path = tmp_path / "data" / "inbox.jsonl"
    inbox.append(path, {"b": 2, "a": [1, "x"]})
    inbox.append(path, {"c": None})
    assert path.read_bytes() == b'{"a":[1,"x"],"b":2}\n{"c":null}\n'  # no blank line between


def test_a_new_inbox_has_its_name_made_durable_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from soleus.files import fsync_dir

    synced: list[Path] = []

    def spy(folder: Path) -> None:
        synced.append(folder)
        fsync_dir(folder)  # the real one

    monkeypatch.setattr(inbox, "fsync_dir", spy)
    path = tmp_path / "data" / "inbox.jsonl"
    inbox.append(path, {"n": 1})
    assert synced == [path.parent]  # the first entry creates the file
    inbox.append(path, {"n": 2})
    assert synced == [path.parent]  # later ones only fsync the file


def test_the_rejected_entries_sit_beside_the_inbox() -> None:
    assert inbox.rejected_path(Path("/d/inbox.jsonl")) == Path("/d/inbox.rejected.jsonl")


def test_drain_without_an_inbox_or_with_only_a_torn_byte(
    settings: Settings, clock: FakeClock
) -> None:
    ctx = open_context(settings, clock)
    try:
        settings.inbox_path.unlink(missing_ok=True)
        assert inbox.drain(ctx) == 0 and not settings.inbox_path.exists()
        settings.inbox_path.write_bytes(b"{")  # one byte of a killed write
        assert inbox.drain(ctx) == 0
        assert settings.inbox_path.read_bytes() == b""
    finally:
        ctx.store.close()


def test_drain_counts_what_it_replayed_and_updates_the_day_cache_for_pain(
    settings: Settings, clock: FakeClock
) -> None:
    from soleus.services.safety import daycache

    ctx = open_context(settings, clock)
    try:
        inbox.append(settings.inbox_path, {"v": 99, "type": "pain"})  # from a newer soleus
        inbox.append(settings.inbox_path, pain_entry(settings, clock, 5, "morning"))
        assert inbox.drain(ctx) == 1
        facts = daycache.read(daycache.path_in(settings.data_dir), person=settings.person)
        assert facts is not None
        assert [(p.score, p.context) for p in facts.pain] == [(5, "morning")]
    finally:
        ctx.store.close()
