"""A patient's iCalendar feed of their prescribed plan: a URL with a secret (stored
hashed, shown once, revocable) that a calendar app polls without signing in. The
events: each prescribed day of the next weeks, all day, with that day's exercises at
their step (the day's pain rule is not known ahead: the feed says so)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, date, timedelta

from soleus.errors import NotFound
from soleus.services.context import Context
from soleus.services.prescriptions.plan import current
from soleus.store import feeds
from soleus.store import people as people_repo

DAYS_AHEAD = 28
PATH = "/calendar/"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create(ctx: Context) -> str:
    """A new feed URL path for the context's person (an older one stops working)."""
    token = secrets.token_urlsafe(32)
    with ctx.store.begin() as conn:
        feeds.replace(conn, person_id=ctx.person_id, token_hash=_digest(token), now=ctx.now())
    return f"{PATH}{token}.ics"


def revoke(ctx: Context) -> bool:
    with ctx.store.begin() as conn:
        return feeds.revoke(conn, person_id=ctx.person_id)


def has_feed(ctx: Context) -> bool:
    with ctx.store.begin() as conn:
        return feeds.exists(conn, person_id=ctx.person_id)


def ics_for(ctx: Context, token: str) -> bytes:
    """The feed of the person whose secret ``token`` is; NotFound for any other."""
    with ctx.store.begin() as conn:
        person_id = feeds.person_of(conn, token_hash=_digest(token))
        name = None if person_id is None else people_repo.name_of(conn, person_id=person_id)
    if person_id is None or name is None:
        raise NotFound("no such calendar")
    return ics(ctx.as_person(person_id, name))


def ics(ctx: Context) -> bytes:
    """The prescribed days from today on, as an iCalendar file (empty without a plan)."""
    from icalendar import Calendar, Event

    from soleus.domain.prescription import routine_on

    cal = Calendar()
    cal.add("prodid", "-//soleus//prescribed plan//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "soleus prescribed plan")
    rx = current(ctx)
    stamp = ctx.now().astimezone(UTC).replace(microsecond=0)
    today = ctx.today()
    for offset in range(DAYS_AHEAD if rx is not None else 0):
        day: date = today + timedelta(days=offset)
        assert rx is not None
        routine = routine_on(rx, day)
        if routine is None:
            continue
        lines = [
            f"{ctx.catalog[b.exercise].name if b.exercise in ctx.catalog else b.exercise}:"
            f" {b.dosage.describe() if b.dosage else ''}"
            for b in routine.blocks
        ]
        event = Event()
        event.add("uid", f"{ctx.person_id}-{day.isoformat()}@soleus")
        event.add("dtstamp", stamp)
        event.add("dtstart", day)
        event.add("dtend", day + timedelta(days=1))
        times = f"{rx.per_day} × today" if rx.per_day > 1 else "once today"
        event.add("summary", f"Prescribed exercise ({times})")
        description = "\n".join(lines)
        if rx.notes:
            description += f"\n\n{rx.notes}"
        description += "\n\nPain on the day can make it lighter or a rest day: see Today."
        event.add("description", description)
        event.add("categories", ["soleus"])
        cal.add_component(event)
    data: bytes = cal.to_ical()
    return data
