"""History: the charts page, statistics, and export/import of everything."""

from __future__ import annotations

import functools
from datetime import timedelta

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute

from soleus.domain.stats import PAIN_TREND_MIN_DAYS
from soleus.errors import SoleusError
from soleus.services.fhir import restore
from soleus.services.reports import history as history_service
from soleus.services.reports import transfer
from soleus.services.today import dashboard
from soleus.web.charts import history as charts
from soleus.web.errors import ApiError
from soleus.web.requests import CSRF_HEADER, check_csrf
from soleus.web.routing import ApiRoute, PageRoute, query_param
from soleus.web.security import IMPORT_BODY_LIMIT
from soleus.web.serialize import Json
from soleus.web.state import context_of, render_page

HISTORY_DAYS = 14  # the day-by-day list under the charts
VIEWS = ("sessions", "sets")  # grouped as `soleus history`, or flat as `--sets`


def _view_of(request: Request, default: str) -> str:
    value = request.query_params.get("view", default)
    if value not in VIEWS:
        raise SoleusError(f'view must be "sessions" or "sets", not {value!r}')
    return value


async def history_page(request: Request) -> Response:
    ctx = context_of(request)
    listing = _view_of(request, "sessions")
    # The reads wait in a worker thread, so the event loop serves other requests meanwhile.
    view = await run_in_threadpool(
        functools.partial(
            dashboard.history_view,
            ctx,
            listing_days=HISTORY_DAYS,
            grouped=listing == "sessions",
        )
    )
    days = view.listing
    today = view.stats.today
    names = {e.id: e.name for e in ctx.catalog.values()}
    trend_start = today - timedelta(days=89)
    balance_rows = [
        (names.get(b.exercise_id, b.exercise_id), b.left, b.right, b.unit)
        for b in view.stats.balance
    ]
    return render_page(
        request,
        "history.html",
        {
            "nav_active": "History",
            "view": view,
            "stats": view.stats,
            "pain_min_days": PAIN_TREND_MIN_DAYS,
            "names": names,
            "heat_svg": charts.heatmap(view.heatmap, start=view.heat_start, today=today),
            "weekly_svg": charts.stacked_bars(view.weekly, view.exercises, names, today=today),
            "balance_svg": charts.balance(balance_rows),
            "balance_rows": balance_rows,
            "trend_svg": charts.trend(view.pain, view.effort, start=trend_start, end=today),
            "listing": listing,
            "listing_days": HISTORY_DAYS,
            "days": days,
            "heat_month": sorted(
                ((d, v) for d, v in view.heatmap.items() if d > today - timedelta(days=30)),
                reverse=True,
            ),
        },
    )


async def stats(request: Request) -> Response:
    ctx = context_of(request)
    return Json(history_service.stats_dict(history_service.stats(ctx)))


async def history(request: Request) -> Response:
    raw = request.query_params.get("days", "14")
    if not raw.isdigit() or not 1 <= int(raw) <= 3660:
        raise ApiError(400, f"days must be a whole number from 1 to 3660, not {raw!r}")
    grouped = _view_of(request, "sets") == "sessions"  # the API's default stays the flat list
    compute = history_service.by_session if grouped else history_service.history
    return Json({"days": compute(context_of(request), days=int(raw))})


async def export(request: Request) -> Response:
    fmt = request.query_params.get("format", "json")
    if fmt not in ("json", "csv"):
        raise ApiError(400, f'format must be "json" or "csv", not {fmt!r}')
    body, media, name = transfer.encode(
        transfer.collect(context_of(request)), "csv" if fmt == "csv" else "json"
    )
    return Response(
        body,
        media_type=media,
        headers={"content-disposition": f'attachment; filename="{name}"'},
    )


async def export_fhir(request: Request) -> Response:
    from soleus.services.fhir import export as fhir_export

    ctx = context_of(request)
    body = fhir_export.to_json(ctx, person_id=ctx.person_id)
    return Response(
        body,
        media_type="application/fhir+json",
        headers={"content-disposition": 'attachment; filename="soleus-fhir.json"'},
    )


IMPORT_MEDIA = ("application/json", "application/fhir+json", "application/zip", "text/csv")


async def import_(request: Request) -> Response:
    check_csrf(request, request.headers.get(CSRF_HEADER))
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media not in IMPORT_MEDIA:
        wanted = ", ".join(IMPORT_MEDIA)
        raise ApiError(415, f"Content-Type must be one of {wanted}, not {media or 'missing'!r}")
    name = {"application/zip": "upload.zip", "text/csv": "upload.csv"}.get(media, "upload.json")
    ctx = context_of(request)
    body = await request.body()
    if media == "application/fhir+json" or (
        media == "application/json" and restore.looks_like_fhir(body)
    ):
        done = restore.restore(ctx, body, person_id=ctx.person_id, where=name)
        return Json({"restored": list(done.written), "unchanged": list(done.unchanged)})
    return Json({"added": transfer.import_bytes(ctx, body, name=name)})


IMPORT_REQUEST = {
    "required": True,
    "content": {
        "application/json": {"schema": {"description": "A JSON file written by `soleus export`"}},
        "application/fhir+json": {
            "schema": {
                "description": "A FHIR bundle written by `soleus export --format fhir`:"
                " restores its plan (the answer lists the routines restored and unchanged)"
            }
        },
        "application/zip": {
            "schema": {
                "type": "string",
                "format": "binary",
                "description": "The zip written by `soleus export --format csv`",
            }
        },
        "text/csv": {"schema": {"type": "string", "description": "An older single-CSV export"}},
    },
}


def routes() -> list[BaseRoute]:
    """The History page and the statistics, export and import API."""
    return [
        PageRoute("/history", history_page, name="history"),
        ApiRoute(
            "/api/stats", stats, "GET", "stats", "Streaks, weekly volume, balance and pain trend"
        ),
        ApiRoute(
            "/api/history",
            history,
            "GET",
            "history",
            "Day by day: sessions, sets and pain (view=sessions: grouped by session, as"
            " `soleus history`)",
            query=[
                query_param("days", type="integer", minimum=1, maximum=3660),
                query_param("view", enum=["sets", "sessions"], default="sets"),
            ],
        ),
        ApiRoute(
            "/api/export",
            export,
            "GET",
            "export",
            "Everything, as JSON or CSV",
            query=[query_param("format", enum=["json", "csv"])],
        ),
        ApiRoute(
            "/api/export.fhir.json",
            export_fhir,
            "GET",
            "export_fhir",
            "Your plan and record as one FHIR R4B Bundle (CarePlan, ServiceRequests,"
            " Observations; see docs/fhir.md)",
        ),
        ApiRoute(
            "/api/import",
            import_,
            "POST",
            "import",
            "Add the records of an export that are not there yet, or restore the plan of"
            " a soleus FHIR bundle",
            request_body=IMPORT_REQUEST,
            body_limit=IMPORT_BODY_LIMIT,
        ),
    ]
