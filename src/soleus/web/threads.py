"""The hot path's database work off the event loop, in a few worker threads.

Every request of a shared deployment waits for PostgreSQL once or twice (the identity
behind a token or cookie, a saved set). Waiting is done in a worker thread so that the
event loop serves other requests meanwhile; but Starlette's ``run_in_threadpool`` lets
40 threads run at once, and under load 40 threads (for a pool of 15 connections) spent
their time handing the GIL and the pool to each other: bench_deploy measured 1.2
instance CPU-ms per saved set with 40, 0.75-0.85 with 4. Calls made through
:func:`hot` take turns in :data:`HOT_THREADS` threads per instance; everything slow
(argon2id hashing, imports, PDFs) keeps Starlette's own pool, so it never holds up a
saved set.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import anyio.to_thread
from anyio import CapacityLimiter
from anyio.lowlevel import RunVar

P = ParamSpec("P")
T = TypeVar("T")

# Statements in flight at once per instance: each one's thread mostly waits for
# PostgreSQL, whose own CPU is the limit long before four threads are.
HOT_THREADS = 4

# One limiter per event loop (a limiter is bound to the loop it was first used on).
_LIMITER: RunVar[CapacityLimiter] = RunVar("soleus_hot_threads")


def _limiter() -> CapacityLimiter:
    try:
        return _LIMITER.get()
    except LookupError:
        limiter = CapacityLimiter(HOT_THREADS)
        _LIMITER.set(limiter)
        return limiter


async def hot(func: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """``func(*args, **kwargs)`` in one of the hot path's worker threads."""
    return await anyio.to_thread.run_sync(
        functools.partial(func, *args, **kwargs), limiter=_limiter()
    )
