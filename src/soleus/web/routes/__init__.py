"""One module per feature, each with its pages, API routes and their OpenAPI descriptions
(see :mod:`soleus.web.routing`). A new page goes in its feature's module; a new feature
gets a module here and one line below."""

from __future__ import annotations

from starlette.routing import BaseRoute, Route

from soleus.web.openapi import openapi
from soleus.web.routes import (
    account,
    builder,
    calibration,
    caseload,
    editor,
    exercise_builder,
    exercises,
    health,
    history,
    live,
    logs,
    passkeys,
    people,
    prescribe,
    recordings,
    routines,
    safety,
    sessions,
    signin,
    snacks,
    today,
    welcome,
)


def all_routes() -> list[BaseRoute]:
    """Every feature's routes; the editor's come before the read routes they overlap."""
    features = (
        today,
        welcome,
        safety,
        sessions,
        logs,
        builder,
        editor,
        exercise_builder,
        exercises,
        routines,
        history,
    )
    rest = (snacks, recordings, calibration, live, health)
    accounts = (signin, account, people, passkeys, prescribe, caseload)
    return [
        *(route for feature in (*features, *rest, *accounts) for route in feature.routes()),
        Route("/openapi.json", openapi, name="openapi"),
    ]
