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
from soleus.store.accounts import attempts, ratelimits

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


def counters(ctx: Context, steps: Sequence[Step]) -> list[attempts.Counter]:
    """The steps as the store counts them, in this window."""
    now = ctx.now()
    return [
        attempts.Counter(s.limit.key, s.limit.window(now)[0], s.limit.limit, s.take) for s in steps
    ]


def forget_moment(ctx: Context, steps: Sequence[Step]) -> datetime | None:
    """Before when windows are forgotten as the steps are taken (a day before the
    first one's window), or None when no step counts an attempt."""
    if not any(step.take for step in steps):
        return None
    start, _ = steps[0].limit.window(ctx.now())
    return start - timedelta(days=1)


def refusal(
    ctx: Context,
    steps: Sequence[Step],
    counted: Sequence[attempts.Counter],
    counts: Sequence[int | None],
) -> TooManyAttempts | None:
    """The refusal of the first step over its limit, given the store's ``counts`` of
    the steps' ``counted`` counters (the steps after it are not counted), or None. The
    counts are committed either way (an attempt refused still counts)."""
    now = ctx.now()
    for step, counter, count in zip(steps, counted, counts, strict=True):
        if count is None or counter.over(count):
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
