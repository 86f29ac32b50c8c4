"""The JSON API under /api."""

from __future__ import annotations

from starlette.routing import Route


def routes() -> list[Route]:
    return []
