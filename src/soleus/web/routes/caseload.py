"""The caseload (a clinician's patients, sortable, as CSV) and one patient's page with
their weeks and History charts. Whose: ``services.accounts.access`` only (404 else)."""

from __future__ import annotations

from datetime import timedelta

from markupsafe import Markup, escape
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute

from soleus.domain.adherence import COLUMNS, Row
from soleus.errors import Forbidden
from soleus.services.accounts import access, people
from soleus.services.adherence import caseload as service
from soleus.services.prescriptions import plan
from soleus.services.today import dashboard
from soleus.web.charts import history as charts
from soleus.web.errors import ApiError
from soleus.web.routes.account import signed_in
from soleus.web.routing import PageRoute
from soleus.web.state import base_context, render_page

WEEK_COLUMNS = COLUMNS[1:-2]  # a patient's weeks: no name, red flag or inactivity
Cell = tuple[str, str | None, str | None]  # text, link, class


def cells(row: Row, columns: tuple[str, ...], inactive_after: int) -> list[Cell]:
    """A row's cells as the page shows them (worded once here: a macro per cell costs
    too much on a caseload of hundreds). Every text and link is safe HTML: the patient's
    name and id are escaped here, the others are numbers, dates and fixed words."""
    out: list[Cell] = []
    for column in columns:
        v = row.value(column)
        if column == "patient":
            out.append((escape(str(v)), escape(f"/patients/{row.person_id}"), None))
        elif column == "adherence":
            out.append(("–" if v is None else f"{round(float(v) * 100)} %", None, None))  # type: ignore[arg-type]
        elif column == "red_flag_on":
            out.append(("–", None, None) if v is None else (f"red flag {v}", None, "red-flag"))
        elif column == "inactive_days" and row.is_inactive(inactive_after):
            out.append(("never active" if v is None else f"{v} days", None, "inactive"))
        elif column == "pain_trend":
            out.append(("–" if v is None else f"{v:+.1f}", None, None))
        else:
            out.append(("–" if v is None else str(v), None, None))
    return out


def table_rows(rows: list[Row], inactive_after: int) -> Markup:
    """The caseload's table rows as HTML, put together here in one pass: a template
    loop over the cells of hundreds of patients took longer than reading them."""
    out = []
    for row in rows:
        out.append('<tr class="flagged">' if row.red_flag_on else "<tr>")
        for text, link, cls in cells(row, COLUMNS, inactive_after):
            if link:
                out.append(f'<td><a href="{link}">{text}</a></td>')
            elif cls:
                out.append(f'<td><strong class="{cls}">{text}</strong></td>')
            else:
                out.append(f"<td>{text}</td>")
        out.append("</tr>")
    return Markup("".join(out))  # every cell is safe HTML: see cells


def _sort(request: Request) -> tuple[str, bool]:
    column = request.query_params.get("sort", "patient")
    if column not in COLUMNS:
        raise ApiError(400, f"sort must be one of {', '.join(COLUMNS)}, not {column!r}")
    order = request.query_params.get("order", "asc")
    if order not in ("asc", "desc"):
        raise ApiError(400, f"order must be asc or desc, not {order!r}")
    return column, order == "desc"


async def caseload_page(request: Request) -> Response:
    actor = signed_in(request)
    if not actor.has_role("clinician"):
        raise Forbidden("the caseload is for clinicians")
    column, descending = _sort(request)
    view = service.caseload(base_context(request), actor, sort=column, descending=descending)
    context = {
        "nav_active": "Caseload",
        "view": view,
        "table_rows": table_rows(view.rows, view.inactive_after),
        "columns": COLUMNS,
        "sort": column,
        "descending": descending,
    }
    return render_page(request, "caseload.html", context)


async def caseload_csv(request: Request) -> Response:
    actor = signed_in(request)
    if not actor.has_role("clinician"):
        raise Forbidden("the caseload is for clinicians")
    column, descending = _sort(request)
    view = service.caseload(base_context(request), actor, sort=column, descending=descending)
    return Response(
        service.as_csv(view.rows),
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": 'attachment; filename="soleus-caseload.csv"'},
    )


async def patient_page(request: Request) -> Response:
    actor = signed_in(request)
    ctx = base_context(request)
    patient_id = request.path_params["person_id"]
    weeks = service.weeks(ctx, actor, patient_id)  # NotFound unless their clinician
    patient = access.patient_context(ctx, actor, patient_id, write=False)
    view = dashboard.history_view(patient)
    today = view.stats.today
    names = {e.id: e.name for e in ctx.catalog.values()}
    context = {
        "nav_active": "Caseload",
        "patient_id": patient_id,
        "patient_name": people.label(patient),
        "weeks": weeks,
        "this_week": weeks[0][1],
        "week_cells": [
            (start, cells(r, WEEK_COLUMNS, service.INACTIVE_DAYS)) for start, r in weeks
        ],
        "week_columns": WEEK_COLUMNS,
        "current": plan.current(patient),
        "view": view,
        "names": names,
        "weekly_svg": charts.stacked_bars(view.weekly, view.exercises, names, today=today),
        "trend_svg": charts.trend(
            view.pain, view.effort, start=today - timedelta(days=89), end=today
        ),
        "inactive_after": service.INACTIVE_DAYS,
    }
    return render_page(request, "patient.html", context)


def routes() -> list[BaseRoute]:
    """The caseload, its CSV and a patient's page (accounts mode, clinicians)."""
    return [
        PageRoute("/caseload", caseload_page, name="caseload"),
        PageRoute("/caseload.csv", caseload_csv, name="caseload_csv"),
        PageRoute("/patients/{person_id}", patient_page, name="patient"),
    ]
