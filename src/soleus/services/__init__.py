"""Use cases that combine the domain and the store; what the CLI and the web call.

One package per feature (``logs``, ``sessions``, ``snacks``, ``recordings``, ``reports``,
``routines``, ``today``); :mod:`soleus.services.context` holds what they all share.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

    from soleus.domain.clock import Clock
    from soleus.services.context import Context
    from soleus.settings import Settings


def open_context(
    settings: Settings | None = None,
    clock: Clock | None = None,
    *,
    on_skip: Callable[[str], None] | None = None,
) -> Context:
    """Open (and migrate) the configured database and take in pending quick logs; the
    day-state cache of ``soleus log`` is written if it is missing."""
    from soleus.services.context import Context
    from soleus.services.logs.inbox import drain
    from soleus.services.safety import daycache

    ctx = Context.open(settings, clock, on_skip=on_skip)
    drain(ctx)
    if not daycache.path_in(ctx.settings.data_dir).exists():
        from soleus.services.safety.advice import refresh

        refresh(ctx)
    return ctx
