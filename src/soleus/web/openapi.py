"""``/openapi.json``: an OpenAPI 3.1 document written from the app's own API routes."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute

from soleus import __version__
from soleus.web.routing import ApiRoute
from soleus.web.serialize import Json

ERROR = {"$ref": "#/components/schemas/Error"}


def operation(route: ApiRoute) -> dict[str, Any]:
    op: dict[str, Any] = {
        "operationId": route.name,
        "summary": route.summary,
        "responses": {
            str(route.status): {
                "description": "OK",
                "content": {"application/json": {"schema": {"type": "object"}}},
            },
            "4XX": {
                "description": "A clear one-line error",
                "content": {"application/json": {"schema": ERROR}},
            },
        },
    }
    if route.conflict is not None:
        op["responses"]["409"] = {
            "description": route.conflict.description,
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "required": ["error"],
                        "properties": {"error": {"type": "string"}, **route.conflict.properties},
                    }
                }
            },
        }
    parameters = [
        {"name": p, "in": "path", "required": True, "schema": {"type": "string"}}
        for p in re.findall(r"{(\w+)}", route.path)
    ] + route.query
    if parameters:
        op["parameters"] = parameters
    if route.method != "GET":
        op["security"] = [{"csrf": []}]
    if route.security is not None:
        op["security"] = route.security
    if route.request_body is not None:
        op["requestBody"] = route.request_body
    elif route.body is not None:
        op["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": route.body}},
        }
    return op


def document(routes: Iterable[BaseRoute]) -> dict[str, Any]:
    paths: dict[str, dict[str, Any]] = {}
    for route in routes:
        if isinstance(route, ApiRoute):
            paths.setdefault(route.path, {})[route.method.lower()] = operation(route)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "soleus",
            "version": __version__,
            "description": "The local soleus web app's JSON API. State-changing calls need"
            " the X-CSRF-Token header (from the page's csrf-token meta tag) and a JSON body."
            " In accounts mode every call also needs the sign-in cookie or"
            " `Authorization: Bearer <token>` (POST /api/tokens, or the account page); a"
            " call with a bearer token needs no CSRF header, and a read token may only GET.",
        },
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["error"],
                    "properties": {"error": {"type": "string"}},
                }
            },
            "securitySchemes": {
                "csrf": {"type": "apiKey", "in": "header", "name": "X-CSRF-Token"},
                "ingestToken": {"type": "apiKey", "in": "query", "name": "token"},
                "bearer": {"type": "http", "scheme": "bearer"},
            },
        },
    }


async def openapi(request: Request) -> Response:
    return Json(document(request.app.routes))
