"""The app factory: ``create_app(settings, store, clock)``; no import-time globals."""

from __future__ import annotations

from collections.abc import Iterable

import jinja2
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from soleus.clock import SystemClock
from soleus.domain.clock import Clock
from soleus.domain.text import plural
from soleus.settings import Settings
from soleus.store.db import Store
from soleus.web.routing import body_limits, token_checked_in_route
from soleus.web.security import (
    DEFAULT_BODY_LIMIT,
    CsrfTokens,
    SecurityMiddleware,
    allowed_hosts_for,
    load_secret,
)
from soleus.web.state import STATIC_DIR, TEMPLATES_DIR, WebState


def create_app(
    settings: Settings,
    store: Store,
    clock: Clock | None = None,
    *,
    bind_host: str = "127.0.0.1",
    allowed_hosts: Iterable[str] = (),
    secret: bytes | None = None,
    allow_sqlite: bool = False,
) -> Starlette:
    """Build the web app over one store; the ``allowed_hosts`` setting and argument add
    names to the Host check.

    In accounts mode (setting ``accounts``) every route but the public ones needs a
    signed-in person; on SQLite that is refused unless ``allow_sqlite``."""
    from soleus.web import errors
    from soleus.web.routes import all_routes

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=True,
        auto_reload=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["plural"] = plural
    templates = Jinja2Templates(env=env)
    secret = secret or load_secret(settings.data_dir, secret_file=settings.secret_file)
    state = WebState(
        settings=settings,
        store=store,
        clock=clock or SystemClock(),
        csrf=CsrfTokens(secret),
        secret=secret,
        templates=templates,
    )
    routes = [
        *all_routes(),
        Mount("/static", app=StaticFiles(directory=str(STATIC_DIR)), name="static"),
    ]
    limits = body_limits(routes)
    from soleus.services.accounts import mode
    from soleus.web.auth import AccountsMiddleware

    accounts = mode.enabled(settings, allow_sqlite=allow_sqlite)
    app = Starlette(
        routes=routes,
        middleware=[
            Middleware(
                SecurityMiddleware,
                allowed_hosts=allowed_hosts_for(bind_host, [*settings.host_names, *allowed_hosts]),
                body_limit=lambda path: limits.get(path, DEFAULT_BODY_LIMIT),
            ),
            Middleware(
                AccountsMiddleware, enabled=accounts, in_route=token_checked_in_route(routes)
            ),
        ],
        exception_handlers=errors.handlers(),
    )
    app.state.web = state
    state.accounts = accounts
    return app
