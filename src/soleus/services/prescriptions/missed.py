"""Missed-session emails (issue 15), for patients who ask for them.

:func:`check` (periodic, any number of instances) queues one job per missed prescribed
session: on a day before today that the plan prescribed and the pain rule allowed
exercise on, each of the day's prescribed sessions beyond those done (a plan of 2 a
day: two mails when both were missed, one when one was done). The job's key names the
person, the day and the session's number that day, so the queue holds it once however
many checks ran. :func:`work` sends them through the
accounts mail module, each by exactly one worker (see :mod:`soleus.store.jobs`). A
crash between the SMTP server's "250 OK" and the commit sends that one mail again on
the next run: at least once on a crash, exactly once otherwise. Not medical advice.
"""

from __future__ import annotations

from datetime import date, timedelta

from soleus.domain.day import NO_EXERCISE, PainReport, decide_day
from soleus.domain.safety import last_screened, screened_today
from soleus.errors import SoleusError
from soleus.services.accounts import mail
from soleus.services.context import Context
from soleus.services.prescriptions.plan import from_json
from soleus.store import checks, jobs, prescriptions
from soleus.store import sessions as sessions_repo
from soleus.store.accounts import accounts

KIND = "missed-session"
LOOKBACK_DAYS = 7  # a missed day older than this is not mailed about any more
MAX_ATTEMPTS = 5


def set_opt_in(ctx: Context, on: bool) -> None:
    """The context's person asks for (or stops) missed-session emails."""
    with ctx.store.begin() as conn:
        jobs.set_missed_mails(conn, person_id=ctx.person_id, on=on, now=ctx.now())


def opted_in(ctx: Context) -> bool:
    with ctx.store.begin() as conn:
        return jobs.wants_missed_mails(conn, person_id=ctx.person_id)


def missed_days(ctx: Context, person_id: str, today: date) -> list[tuple[date, int, int]]:
    """(day, sessions done, sessions prescribed) of each missed day in the lookback."""
    with ctx.store.begin() as conn:
        stored = prescriptions.current(conn, person_id=person_id)
        if stored is None:
            return []
        rx = from_json(stored.plan, where=f"prescription {stored.id}")
        first = max(rx.start, today - timedelta(days=LOOKBACK_DAYS))
        done = sessions_repo.list_sessions(conn, person_id=person_id, since=first)
        pain_rows = checks.list_pain(conn, person_id=person_id, since=first - timedelta(days=1))
        screens = checks.last_screens_before(conn, person_id=person_id, day=first)
        screens += checks.list_screens(conn, person_id=person_id, since=first)
    pain = [PainReport(r["local_date"], r["score"], r["context"]) for r in pain_rows]
    answers = [(s["local_date"], s["answers"]) for s in screens]
    out = []
    day = first
    while day < today:
        if rx.is_due(day):
            count = sum(1 for s in done if s["local_date"] == day and s["status"] != "abandoned")
            # As that day's Today said it: a red-flag yes (that day, or an earlier one no
            # screen had cleared yet) or rest is no missed session.
            state = decide_day(
                today=day,
                pain=pain,
                screen=screened_today(a for d, a in answers if d == day),
                earlier=last_screened(answers, before=day),
                warn=ctx.settings.pain_warn,
                stop=ctx.settings.pain_stop,
            )
            if count < rx.per_day and state.level not in NO_EXERCISE:
                out.append((day, count, rx.per_day))
        day += timedelta(days=1)
    return out


def missed_sessions(ctx: Context, person_id: str, today: date) -> list[tuple[date, int, int, int]]:
    """(day, number, sessions done, sessions prescribed) of each missed session in the
    lookback: the sessions of a missed day after those done, numbered from 1 within the
    day."""
    return [
        (day, number, done, planned)
        for day, done, planned in missed_days(ctx, person_id, today)
        for number in range(done + 1, planned + 1)
    ]


def check(ctx: Context) -> int:
    """Queue a mail for every missed session of everyone who opted in; how many are new."""
    today = ctx.today()
    with ctx.store.begin() as conn:
        people = jobs.opted_in(conn)
    queued = 0
    for person_id in people:
        for day, number, done, planned in missed_sessions(ctx, person_id, today):
            with ctx.store.begin() as conn:
                queued += jobs.enqueue(
                    conn,
                    key=f"missed:{person_id}:{day.isoformat()}:{number}",
                    kind=KIND,
                    person_id=person_id,
                    payload={
                        "day": day.isoformat(),
                        "number": number,
                        "done": done,
                        "planned": planned,
                    },
                    run_at=ctx.now(),
                    now=ctx.now(),
                )
    return queued


def _subject(day: str, number: int, planned: int) -> str:
    which = "a prescribed session" if planned == 1 else f"session {number} of {planned}"
    return f"soleus: {which} missed on {day}"


def _body(day: str, number: int, done: int, planned: int) -> str:
    if planned == 1:
        said = f"Your plan had a session on {day}; none was logged."
    else:
        said = (
            f"Your plan had {planned} sessions on {day}; {done} {'was' if done == 1 else 'were'}"
            f" logged. This mail is for session {number} of {planned}; each missed session"
            " gets one."
        )
    return (
        f"{said}\n\n"
        "No need to make them up: today's plan is on the Today page. If pain kept you"
        " from it, log the pain there and the plan becomes lighter.\n\n"
        "You asked for these emails; switch them off on Today.\n"
        "soleus is a coach, not medical advice."
    )


def work(ctx: Context, worker: str, *, limit: int = 1000) -> int:
    """Send queued missed-session mails until none is due (at most ``limit``); how many
    this worker sent. Each job is held (row-locked) by one worker from take to done."""
    sent = 0
    for _ in range(limit):
        with ctx.store.begin() as conn:
            job = jobs.take(conn, kind=KIND, now=ctx.now())
            if job is None:
                break
            if not jobs.wants_missed_mails(conn, person_id=job.person_id):
                jobs.finish(conn, job_id=job.id, worker=f"{worker} (opted out)", now=ctx.now())
                continue
            account = accounts.by_person(conn, person_id=job.person_id)
            if account is None or account.disabled:
                jobs.retry(conn, job_id=job.id, error="no account", run_at=None, now=ctx.now())
                continue
            p = job.payload
            day, done, planned = str(p["day"]), int(p["done"]), int(p["planned"])
            number = int(p.get("number", done + 1))  # (a job queued when mails were per day)
            try:
                mailed = mail.send(
                    ctx.settings,
                    to=account.email,
                    subject=_subject(day, number, planned),
                    body=_body(day, number, done, planned),
                )
            except SoleusError as error:
                again = (
                    ctx.now() + timedelta(minutes=5 * 2**job.attempts)
                    if job.attempts + 1 < MAX_ATTEMPTS
                    else None
                )
                jobs.retry(conn, job_id=job.id, error=error.message, run_at=again, now=ctx.now())
                continue
            if not mailed:  # no SMTP server configured: leave it queued for later
                break
            jobs.finish(conn, job_id=job.id, worker=worker, now=ctx.now())
            sent += 1
    return sent
