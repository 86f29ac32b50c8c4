"""What the routes share: the services' context (refreshed when content files change),
templates and CSRF tokens. Nothing here is state a second instance would need."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.templating import Jinja2Templates

from soleus.domain.clock import Clock
from soleus.services.context import Context
from soleus.settings import Settings
from soleus.store.db import Store
from soleus.web.security import CsrfTokens

TEMPLATES_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"


def _content_signature(config_dir: Path) -> tuple[tuple[str, int, int], ...]:
    """Names, sizes and mtimes of the user's exercise and routine files."""
    entries: list[tuple[str, int, int]] = []
    for kind in ("exercises", "routines"):
        try:
            with os.scandir(config_dir / kind) as it:
                for entry in it:
                    if entry.name.endswith(".toml"):
                        st = entry.stat()
                        entries.append((f"{kind}/{entry.name}", st.st_size, st.st_mtime_ns))
        except (FileNotFoundError, NotADirectoryError):
            continue
    entries.sort()
    return tuple(entries)


@dataclass
class WebState:
    settings: Settings
    store: Store
    clock: Clock
    csrf: CsrfTokens
    templates: Jinja2Templates
    secret: bytes = b""  # the install's signing secret (CSRF tokens, passkey states)
    accounts: bool = False
    _ctx: Context | None = field(default=None, repr=False)
    _signature: tuple[tuple[str, int, int], ...] | None = field(default=None, repr=False)

    def ctx(self) -> Context:
        """The services' context; catalog and routines reload when their files change."""
        signature = _content_signature(self.settings.config_dir)
        if self._ctx is None or signature != self._signature:
            fresh = Context(self.settings, self.store, self.clock)
            if self._ctx is not None and "person_id" in self._ctx.__dict__:
                fresh.__dict__["person_id"] = self._ctx.__dict__["person_id"]
            self._ctx, self._signature = fresh, signature
        return self._ctx

    def render(
        self, request: Request, name: str, context: dict[str, Any], *, status: int = 200
    ) -> Any:
        context.setdefault("csrf_token", self.csrf.issue())
        context.setdefault("actor", request.scope.get("state", {}).get("actor"))
        return self.templates.TemplateResponse(request, name, context, status_code=status)


def get_state(request: Request) -> WebState:
    state = request.app.state.web
    assert isinstance(state, WebState)
    return state


def base_context(request: Request) -> Context:
    """The services' context, looked up once per request: the config dir is listed (to
    see if an exercise or routine file changed) by the first caller, and the request's
    later callers (the sign-in check, then the route) get the same context."""
    state = request.scope.setdefault("state", {})
    ctx = state.get("base_ctx")
    if not isinstance(ctx, Context):
        ctx = state["base_ctx"] = get_state(request).ctx()
    return ctx


def context_of(request: Request) -> Context:
    """The services' context of the app serving ``request``, acting for the signed-in
    person in accounts mode (decided by :mod:`soleus.services.accounts.access`)."""
    ctx = base_context(request)
    state = request.scope.get("state", {})
    if state.get("pending_token") is not None:
        # A route marked checks_token that did not check it (web.auth.acting) must
        # fail loudly, never act as the install's default person.
        raise RuntimeError("the bearer token of this route was not checked")
    actor = state.get("actor")
    if actor is None:
        return ctx
    from soleus.services.accounts import access

    return access.context_for(ctx, actor, write=request.method not in ("GET", "HEAD"))


def render_page(
    request: Request, name: str, context: dict[str, Any], status: int = 200
) -> Response:
    """A template rendered with the page basics (CSRF token, sound and speech settings)."""
    response: Response = get_state(request).render(request, name, context, status=status)
    return response
