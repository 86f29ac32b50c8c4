"""Quick-log entries: amounts, pain scores, sides, and replaying an entry into the store."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from soleus.domain.clock import FakeClock
from soleus.domain.limits import MAX_REPS, MAX_SECONDS, MAX_SETS
from soleus.errors import SoleusError
from soleus.services.context import Context
from soleus.services.logs import logbook
from soleus.services.logs.logbook import Amount
from soleus.services.reports import history
from soleus.store import checks

DAY = date(2026, 3, 4)


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("2x10", Amount(2, reps=10)),
        ("10", Amount(1, reps=10)),
        (" 2 × 12 ", Amount(2, reps=12)),
        ("3*5", Amount(3, reps=5)),
        ("3x30s", Amount(3, seconds=30.0)),
        ("3X30S", Amount(3, seconds=30.0)),
        ("45 sec", Amount(1, seconds=45.0)),
        ("1x5min", Amount(1, seconds=300.0)),
        ("2m", Amount(1, seconds=120.0)),
        ("1.5s", Amount(1, seconds=1.5)),
        ("1", Amount(1, reps=1)),
        (f"{MAX_SETS}x{MAX_REPS}", Amount(MAX_SETS, reps=MAX_REPS)),
        ("1s", Amount(1, seconds=1.0)),
        (f"{MAX_SECONDS:g}s", Amount(1, seconds=MAX_SECONDS)),
        ("60min", Amount(1, seconds=MAX_SECONDS)),
    ],
)
def test_amounts_read_as_sets_of_reps_or_seconds(text: str, amount: Amount) -> None:
    assert logbook.parse_amount(text) == amount
    assert logbook.parse_amount(text).kind == ("reps" if amount.reps is not None else "hold")


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("0x10", "sets must be between 1 and 20, not 0"),
        (f"{MAX_SETS + 1}x10", "sets must be between 1 and 20, not 21"),
        ("0.5s", "seconds must be between 1 and 3600, not 0.5"),
        ("61min", "seconds must be between 1 and 3600, not 3660"),
        ("0", f"reps must be a whole number between 1 and {MAX_REPS}, not 0"),
        (f"{MAX_REPS + 1}", f"reps must be a whole number between 1 and {MAX_REPS}, not 501"),
        ("2.5", f"reps must be a whole number between 1 and {MAX_REPS}, not 2.5"),
        ("10 reps", "cannot read '10 reps' as an amount"),
        ("x10", "cannot read 'x10' as an amount"),
    ],
)
def test_amounts_out_of_range_say_which_limit(text: str, says: str) -> None:
    with pytest.raises(SoleusError, match=f"^{says.replace('.', '[.]')}"):
        logbook.parse_amount(text)


def test_an_amount_must_be_of_the_exercise_kind() -> None:
    assert logbook.parse_amount("2x10", kind="reps") == Amount(2, reps=10)
    assert logbook.parse_amount("30s", kind="hold") == Amount(1, seconds=30.0)
    assert logbook.parse_amount("30s", kind="bout") == Amount(1, seconds=30.0)
    with pytest.raises(SoleusError, match=r"^soleus-pushup is counted in reps, not seconds"):
        logbook.parse_amount("30s", kind="reps", exercise_id="soleus-pushup")
    with pytest.raises(SoleusError, match=r"^this exercise is counted in reps"):
        logbook.parse_amount("30s", kind="reps")
    for kind in ("hold", "bout"):
        with pytest.raises(SoleusError, match=f"^x is a {kind} timed in seconds: did you mean 30s"):
            logbook.parse_amount("30", kind=kind, exercise_id="x")


def test_an_amount_describes_itself() -> None:
    assert Amount(2, reps=10).describe() == "2 × 10"
    assert Amount(3, seconds=30.0).describe() == "3 × 30 s"


@pytest.mark.parametrize(
    ("sides", "given", "logged"),
    [
        ("each", None, "each"),
        ("each", "left", "left"),
        ("each", "right", "right"),
        ("each", "each", "each"),
        ("both", None, "both"),
        ("both", "both", "both"),
        ("alternate", None, "both"),
        ("alternate", "both", "both"),
    ],
)
def test_the_side_logged_follows_the_exercise(sides: str, given: str | None, logged: str) -> None:
    assert logbook.resolve_side("x", sides, given) == logged


@pytest.mark.parametrize(
    ("sides", "given", "says"),
    [
        ("each", "both", "x is done one leg at a time: its side is left, right or each"),
        ("both", "left", "x works both legs at once: its side is both (the default), not left"),
        ("alternate", "each", "x works both legs at once"),
        ("each", "middle", "side must be one of left, right, both, each, not 'middle'"),
    ],
)
def test_a_side_the_exercise_is_not_done_on_is_refused(sides: str, given: str, says: str) -> None:
    with pytest.raises(SoleusError, match=f"^{says.replace('(', '[(]').replace(')', '[)]')}"):
        logbook.resolve_side("x", sides, given)


def sets(amount: str, side: str, note: str = "") -> dict[str, Any]:
    return logbook.sets_entry(
        exercise_id="soleus-pushup",
        amount=logbook.parse_amount(amount),
        side=side,
        at=FakeClock().now(),
        local_date=DAY,
        person="me",
        note=note,
    )


def test_a_sets_entry_has_a_row_per_set_and_leg() -> None:
    entry = sets("2x10", "each")
    assert [(r["set_number"], r["side"]) for r in entry["rows"]] == [
        (1, "left"),
        (1, "right"),
        (2, "left"),
        (2, "right"),
    ]
    assert len({r["id"] for r in entry["rows"]}) == 4
    assert {k: entry[k] for k in ("v", "type", "person", "kind", "reps", "seconds")} == {
        "v": 1,
        "type": "sets",
        "person": "me",
        "kind": "reps",
        "reps": 10,
        "seconds": None,
    }
    assert (entry["local_date"], entry["at"]) == ("2026-03-04", "2026-01-05T09:00:00+00:00")
    plain = logbook.sets_entry(
        exercise_id="x",
        amount=Amount(1, reps=5),
        side="both",
        at=FakeClock().now(),
        local_date=DAY,
        person="me",
    )
    assert "note" not in plain and plain["session_id"] != entry["session_id"]
    hold = sets("3x30s", "left", note="Logged on a rest day: pain")
    assert [r["side"] for r in hold["rows"]] == ["left"] * 3
    assert (hold["kind"], hold["reps"], hold["seconds"]) == ("hold", None, 30.0)
    assert hold["note"] == "Logged on a rest day: pain"
    assert logbook.day_note("rest", "pain") == "Logged on a rest day: pain"


def test_a_pain_entry_carries_its_score_and_context() -> None:
    entry = logbook.pain_entry(
        score=0, context="morning", at=FakeClock().now(), local_date=DAY, person="me"
    )
    assert {k: v for k, v in entry.items() if k != "id"} == {
        "v": 1,
        "type": "pain",
        "person": "me",
        "score": 0,
        "context": "morning",
        "at": "2026-01-05T09:00:00+00:00",
        "local_date": "2026-03-04",
    }
    with pytest.raises(SoleusError, match=r"^pain context must be one of during, after"):
        logbook.pain_entry(score=1, context="noon", at=FakeClock().now(), local_date=DAY, person="")


def test_replaying_a_sets_entry_twice_stores_it_once_with_its_note(ctx: Context) -> None:
    entry = sets("2x10", "each", note="Logged on a rest day: pain")
    logbook.record(ctx, entry)
    logbook.record(ctx, entry)
    [day] = [d for d in history.history(ctx, days=3660) if d["sets"]]
    assert str(day["date"]) == "2026-03-04"
    assert sorted((s["side"], s["set_number"], s["actual_reps"]) for s in day["sets"]) == [
        ("left", 1, 10),
        ("left", 2, 10),
        ("right", 1, 10),
        ("right", 2, 10),
    ]
    assert [(s["source"], s["status"], s["note"]) for s in day["sessions"]] == [
        ("quick", "finished", "Logged on a rest day: pain")
    ]
    assert {(s["target_reps"], s["target_seconds"]) for s in day["sets"]} == {(10, None)}


def test_a_replay_adds_the_rows_a_first_replay_missed(ctx: Context) -> None:
    entry = sets("3x30s", "left")
    logbook.record(ctx, entry | {"rows": entry["rows"][:1]})  # cut short
    logbook.record(ctx, entry)
    [day] = [d for d in history.history(ctx, days=3660) if d["sets"]]
    assert sorted(s["set_number"] for s in day["sets"]) == [1, 2, 3]
    assert {(s["target_reps"], s["target_seconds"], s["actual_seconds"]) for s in day["sets"]} == {
        (None, 30.0, 30.0)
    }
    [session] = day["sessions"]
    assert (session["note"], session["ended_at"]) == ("", session["started_at"])
    assert session["ended_at"] is not None


def test_replaying_a_pain_entry_twice_stores_one_report(ctx: Context) -> None:
    def pain(person: str) -> dict[str, Any]:
        return logbook.pain_entry(
            score=10, context="during", at=ctx.now(), local_date=ctx.today(), person=person
        )

    mine, theirs = pain(""), pain("someone else")  # no person: the configured one
    for entry in (mine, mine, theirs):
        logbook.record(ctx, entry)
    with ctx.store.begin() as conn:
        reports = checks.list_pain(conn, person_id=ctx.person_id)
    assert [(r["score"], r["context"], r["id"]) for r in reports] == [(10, "during", mine["id"])]


@pytest.mark.parametrize(
    "change",
    [{"v": 2}, {"type": "nap"}, {"at": "noon"}, {"local_date": "yesterday"}, {"rows": None}],
)
def test_an_entry_this_version_cannot_read_is_refused_whole(
    ctx: Context, change: dict[str, Any]
) -> None:
    with ctx.store.begin() as conn, pytest.raises(logbook.BadEntry, match=r"^unreadable inbox"):
        logbook.apply_entry(ctx, conn, sets("1x10", "left") | change)
    assert all(not day["sets"] for day in history.history(ctx, days=3660))
