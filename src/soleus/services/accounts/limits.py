"""Rate limits, counted in the database so every instance sees the same attempts.

Fixed windows: ``limit`` attempts per key in a window of ``minutes``; the next attempt
is refused until the window ends, and the message says when that is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from soleus.errors import TooManyAttempts
from soleus.services.context import Context
from soleus.store.accounts import ratelimits

if TYPE_CHECKING:
    from soleus.store.db import Connection


@dataclass(frozen=True)
class Limit:
    key: str
    limit: int
    minutes: int

    def window(self, now: datetime) -> tuple[datetime, datetime]:
        span = self.minutes * 60
        start_s = int(now.timestamp()) // span * span
        start = datetime.fromtimestamp(start_s, tz=now.tzinfo)
        return start, start + timedelta(seconds=span)


def _refuse(limit: Limit, now: datetime, what: str) -> TooManyAttempts:
    _, end = limit.window(now)
    wait = max(1, int((end - now).total_seconds()))
    return TooManyAttempts(
        f"{what}; try again at {end:%H:%M:%S} UTC (in {wait} s)", retry_after=wait
    )


def check(ctx: Context, limit: Limit, *, what: str) -> None:
    """Refuse (429) when the window's attempts have reached the limit."""
    now = ctx.now()
    start, _ = limit.window(now)
    with ctx.store.begin() as conn:
        used = ratelimits.count(conn, key=limit.key, since=start)
    if used >= limit.limit:
        raise _refuse(limit, now, what)


def hit(ctx: Context, limit: Limit) -> int:
    """Count one attempt (its own transaction: a refused request still counts)."""
    with ctx.store.begin() as conn:
        return hit_in(conn, ctx, limit)


def hit_in(conn: Connection, ctx: Context, limit: Limit) -> int:
    """Count one attempt in the caller's transaction; the window's count."""
    start, _ = limit.window(ctx.now())
    ratelimits.forget_before(conn, moment=start - timedelta(days=1))
    return ratelimits.hit(conn, key=limit.key, window_start=start)


@dataclass(frozen=True)
class Step:
    """One limit a request passes: ``take`` counts the attempt before checking it,
    otherwise the window's count is only checked; ``what`` words the refusal."""

    limit: Limit
    what: str
    take: bool = True


def passed(conn: Connection, ctx: Context, steps: Sequence[Step]) -> TooManyAttempts | None:
    """Take the steps in order in the caller's transaction; the refusal of the first
    one over its limit (the steps after it are not counted), or None. The caller
    commits either way (an attempt refused still counts), then raises the refusal.
    Windows a day old are forgotten first: a counter's row lock is held from its
    upsert to the commit, so as little as possible runs after the first one."""
    now = ctx.now()
    if any(step.take for step in steps):
        start, _ = steps[0].limit.window(now)
        ratelimits.forget_before(conn, moment=start - timedelta(days=1))
    for step in steps:
        start, _ = step.limit.window(now)
        if step.take:
            over = ratelimits.hit(conn, key=step.limit.key, window_start=start) > step.limit.limit
        else:
            over = ratelimits.count(conn, key=step.limit.key, since=start) >= step.limit.limit
        if over:
            return _refuse(step.limit, now, step.what)
    return None


def take(ctx: Context, limit: Limit, *, what: str) -> None:
    """Count an attempt and refuse it when it is over the limit."""
    if hit(ctx, limit) > limit.limit:
        raise _refuse(limit, ctx.now(), what)


def clear(ctx: Context, limit: Limit) -> None:
    with ctx.store.begin() as conn:
        ratelimits.clear(conn, key=limit.key)


def clear_in(conn: Connection, limit: Limit) -> None:
    """Forget a key's attempts in the caller's transaction."""
    ratelimits.clear(conn, key=limit.key)


def account_limit(ctx: Context, email: str) -> Limit:
    s = ctx.settings
    return Limit(f"signin:account:{email}", s.signin_max_failures, s.signin_lock_min)


def address_limit(ctx: Context, kind: str, ip: str) -> Limit:
    """Per address: ten times an account's allowance (several people behind one NAT)."""
    s = ctx.settings
    return Limit(f"{kind}:ip:{ip}", 10 * s.signin_max_failures, s.signin_lock_min)
