"""The names of the read queries (shared by their definitions and their callers)."""

from __future__ import annotations


def variant(name: str, **flags: bool) -> str:
    """The name of query ``name`` with the given filters on (``sets+since``); flags in the
    order :mod:`soleus.store.queries` registers them."""
    return "".join([name, *(f"+{f}" for f, on in flags.items() if on)])
