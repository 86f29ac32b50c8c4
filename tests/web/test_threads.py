"""The hot path's worker threads: few at once, whatever else is waiting in a thread."""

from __future__ import annotations

import threading
import time

import anyio
import anyio.to_thread

from soleus.web import threads


def test_hot_calls_take_turns_in_a_few_threads() -> None:
    running = 0
    most = 0
    lock = threading.Lock()

    def wait_for_database(n: int) -> int:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        time.sleep(0.02)
        with lock:
            running -= 1
        return n * 2

    async def main() -> list[int]:
        results: list[int] = []

        async def one(n: int) -> None:
            results.append(await threads.hot(wait_for_database, n))

        async with anyio.create_task_group() as group:
            for n in range(20):
                group.start_soon(one, n)
        return sorted(results)

    assert anyio.run(main) == [n * 2 for n in range(20)]
    assert most == threads.HOT_THREADS


def test_slow_work_in_the_default_pool_does_not_hold_up_the_hot_path() -> None:
    release = threading.Event()

    async def slow() -> None:
        await anyio.to_thread.run_sync(release.wait)

    async def main() -> float:
        async with anyio.create_task_group() as group:
            # More slow calls (argon2id, a PDF) than the hot path has threads.
            for _ in range(threads.HOT_THREADS + 2):
                group.start_soon(slow)
            await anyio.sleep(0.05)
            t = time.perf_counter()
            assert await threads.hot(lambda: "saved") == "saved"
            took = time.perf_counter() - t
            release.set()
        return took

    assert anyio.run(main) < 1.0


def test_any_event_loop_may_hand_work_to_the_hot_threads() -> None:
    # One app per test, one loop each: the threads are bound to none of them.
    async def add() -> int:
        return await threads.hot(sum, [1, 2, 3])

    for _ in range(2):
        assert anyio.run(add) == 6
