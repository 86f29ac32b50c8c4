"""The Today page: the day's plan, progress and the quick log."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute

from soleus.services.logs.logbook import LOG_SIDES, PAIN_CONTEXTS
from soleus.services.prescriptions import feed, missed
from soleus.services.prescriptions import plan as prescribed
from soleus.services.today import dashboard
from soleus.services.welcome import tour
from soleus.web.requests import routine_param
from soleus.web.routing import PageRoute
from soleus.web.state import context_of, render_page


async def today(request: Request) -> Response:
    ctx = context_of(request)
    welcome = tour.outcome(ctx)
    if welcome is None:  # a newcomer: the welcome first, once
        return RedirectResponse("/welcome", status_code=303)
    view = dashboard.today_view(ctx, routine_param(request))
    return render_page(
        request,
        "today.html",
        {
            "nav_active": "Today",
            "view": view,
            "prescribed": prescribed.today(ctx),
            "missed_emails": missed.opted_in(ctx),
            "has_feed": feed.has_feed(ctx),
            "routines": list(ctx.routines.values()),
            "exercises": list(ctx.catalog.values()),
            "catalog": ctx.catalog,
            "sides": LOG_SIDES,
            "contexts": PAIN_CONTEXTS,
            "skipped": ctx.skipped.messages(),
            "tour": welcome == "skipped",
        },
    )


def routes() -> list[BaseRoute]:
    """The Today page."""
    return [
        PageRoute("/", today, name="today"),
    ]
