"""Rate limits, counted in the database so every instance sees the same attempts.

Fixed windows: ``limit`` attempts per key in a window of ``minutes``; the next attempt
is refused until the window ends, and the message says when that is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from soleus.errors import TooManyAttempts
from soleus.services.context import Context
from soleus.store.accounts import ratelimits


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
    now = ctx.now()
    start, _ = limit.window(now)
    with ctx.store.begin() as conn:
        ratelimits.forget_before(conn, moment=start - timedelta(days=1))
        return ratelimits.hit(conn, key=limit.key, window_start=start)


def take(ctx: Context, limit: Limit, *, what: str) -> None:
    """Count an attempt and refuse it when it is over the limit."""
    if hit(ctx, limit) > limit.limit:
        raise _refuse(limit, ctx.now(), what)


def clear(ctx: Context, limit: Limit) -> None:
    with ctx.store.begin() as conn:
        ratelimits.clear(conn, key=limit.key)


def account_limit(ctx: Context, email: str) -> Limit:
    s = ctx.settings
    return Limit(f"signin:account:{email}", s.signin_max_failures, s.signin_lock_min)


def address_limit(ctx: Context, kind: str, ip: str) -> Limit:
    """Per address: ten times an account's allowance (several people behind one NAT)."""
    s = ctx.settings
    return Limit(f"{kind}:ip:{ip}", 10 * s.signin_max_failures, s.signin_lock_min)
