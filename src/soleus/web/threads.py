"""The hot path's database work off the event loop, in a few worker threads.

Every request of a shared deployment waits for PostgreSQL once or twice (the identity
behind a token or cookie, a saved set). Waiting is done in a worker thread so that the
event loop serves other requests meanwhile; but Starlette's ``run_in_threadpool`` lets
40 threads run at once, and under load 40 threads (for a pool of 15 connections) spent
their time handing the GIL and the pool to each other: bench_deploy measured 1.2
instance CPU-ms per saved set with 40, 0.75-0.85 with 4. Calls made through
:func:`hot` take turns in :data:`HOT_THREADS` threads per process, handed over by
asyncio's ``run_in_executor`` (9 CPU-µs a hop under load; anyio's, under Starlette's
``run_in_threadpool``, 30). Everything slow (argon2id hashing, imports, PDFs) keeps
Starlette's own pool, so it never holds up a saved set.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")

# Statements in flight at once per instance: each one's thread mostly waits for
# PostgreSQL, whose own CPU is the limit long before four threads are.
HOT_THREADS = 4

# Bound to no event loop: any loop (an app, a test) may hand work to it.
_EXECUTOR = ThreadPoolExecutor(HOT_THREADS, thread_name_prefix="soleus-hot")


async def hot(func: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """``func(*args, **kwargs)`` in one of the hot path's worker threads (with the
    caller's context variables, as ``asyncio.to_thread``)."""
    call = functools.partial(contextvars.copy_context().run, func, *args, **kwargs)
    return await asyncio.get_running_loop().run_in_executor(_EXECUTOR, call)
