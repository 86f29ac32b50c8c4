"""The one way a feature declares its routes: pages, and API routes that carry their own
OpenAPI description and request-body limit. ``/openapi.json`` and the body-size check
are read from these routes, so a route and its documentation cannot drift apart."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from starlette.requests import Request
from starlette.routing import BaseRoute, Match, Route
from starlette.types import Scope

Handler = Callable[[Request], Any]
Schema = dict[str, Any]


class Conflict:
    """A 409 answer of an API route: why it comes, and what it carries beside ``error``."""

    def __init__(self, description: str, properties: Schema | None = None) -> None:
        self.description = description
        self.properties = properties or {}


# Every route that starts exercise is refused on a rest or stopped day (exit 3 in the CLI).
STOP_DAY = (
    "Refused for today: pain or the safety questions say rest or stop (domain/day.py);"
    " `error` is the day's advice, the same words as the Today page and `soleus today`"
)


class PageRoute(Route):
    """An HTML page (or form target); ``body_limit`` raises the request-size cap."""

    def __init__(
        self,
        path: str,
        endpoint: Handler,
        *,
        name: str,
        methods: Sequence[str] = ("GET",),
        body_limit: int | None = None,
    ) -> None:
        super().__init__(path, endpoint, methods=list(methods), name=name)
        self.body_limit = body_limit


class ApiRoute(Route):
    """A JSON API route with its OpenAPI operation.

    ``body`` is the JSON schema of the request body; ``request_body`` a whole OpenAPI
    request-body object instead (uploads, several media types); ``query`` the query
    parameters as OpenAPI parameter objects; ``status`` the success status.
    """

    def __init__(
        self,
        path: str,
        endpoint: Handler,
        method: str,
        name: str,
        summary: str,
        *,
        body: Schema | None = None,
        request_body: Schema | None = None,
        query: Sequence[Schema] = (),
        status: int = 200,
        security: list[Schema] | None = None,
        body_limit: int | None = None,
        conflict: Conflict | None = None,
        checks_token: bool = False,
    ) -> None:
        super().__init__(path, endpoint, methods=[method], name=name)
        # The endpoint checks a bearer token itself, through web.auth.acting (one hop
        # and one transaction with its work); the middleware leaves it the token.
        self.checks_token = checks_token
        self.method = method
        self.summary = summary
        self.body = body
        self.request_body = request_body
        self.query = list(query)
        self.status = status
        self.security = security
        self.body_limit = body_limit
        self.conflict = conflict


def query_param(name: str, **schema: Any) -> Schema:
    """An optional query parameter with the given JSON schema."""
    return {"name": name, "in": "query", "schema": schema}


def token_checked_in_route(routes: Iterable[BaseRoute]) -> Callable[[Scope], bool] | None:
    """Whether a request goes to a route that checks its bearer token itself (None when
    no route does)."""
    marked = [r for r in routes if isinstance(r, ApiRoute) and r.checks_token]
    if not marked:
        return None

    def in_route(scope: Scope) -> bool:
        return any(r.matches(scope)[0] is Match.FULL for r in marked)

    return in_route


def body_limits(routes: Iterable[BaseRoute]) -> dict[str, int]:
    """Paths whose routes accept more than the default request size, and their caps."""
    return {
        r.path: r.body_limit
        for r in routes
        if isinstance(r, PageRoute | ApiRoute) and r.body_limit is not None
    }
