"""``/openapi.json``: an OpenAPI 3.1 document written from the API's own route table."""

from __future__ import annotations

import re
from typing import Any

from soleus import __version__

ERROR = {"$ref": "#/components/schemas/Error"}

# Request bodies of the state-changing routes (JSON unless noted).
BODIES: dict[str, dict[str, Any]] = {
    "start_session": {
        "type": "object",
        "required": ["routine_id"],
        "properties": {"routine_id": {"type": "string", "example": "desk"}},
    },
    "add_set": {
        "type": "object",
        "required": ["plan_index"],
        "properties": {
            "plan_index": {"type": "integer", "minimum": 0},
            "actual_reps": {"type": ["integer", "null"], "minimum": 0},
            "actual_seconds": {"type": ["number", "null"], "minimum": 0},
            "skipped": {"type": "boolean", "default": False},
        },
    },
    "finish_session": {
        "type": "object",
        "properties": {
            "effort": {"type": ["integer", "null"], "minimum": 0, "maximum": 10},
            "pain": {"type": ["integer", "null"], "minimum": 0, "maximum": 10},
            "status": {"enum": ["finished", "abandoned"], "default": "finished"},
        },
    },
    "add_log": {
        "oneOf": [
            {
                "type": "object",
                "required": ["exercise_id", "amount"],
                "properties": {
                    "exercise_id": {"type": "string"},
                    "amount": {"type": "string", "example": "2x10"},
                    "side": {"enum": ["left", "right", "both", "each"]},
                },
            },
            {
                "type": "object",
                "required": ["pain"],
                "properties": {
                    "pain": {"type": "integer", "minimum": 0, "maximum": 10},
                    "context": {"enum": ["during", "after", "morning", "other"]},
                },
            },
        ]
    },
    "save_routine": {
        "type": "object",
        "required": ["toml"],
        "properties": {"toml": {"type": "string"}, "replaces": {"type": ["string", "null"]}},
    },
    "import": {"description": "A file written by `soleus export` (JSON, or CSV as text/csv)"},
}
BODIES["save_exercise"] = BODIES["save_routine"]
BODIES["snacks_activity"] = {
    "type": "object",
    "properties": {
        "idle_s": {"type": "number", "minimum": 0, "description": "seconds without input"},
        "source": {"enum": ["open-tab", "idle-detector"], "default": "open-tab"},
    },
}
BODIES["snacks_answer"] = {
    "type": "object",
    "required": ["id", "answer"],
    "properties": {
        "id": {"type": "string", "description": "the nudge's id from /api/snacks/next"},
        "answer": {"enum": ["taken", "snoozed", "skipped"]},
        "reason": {"type": "string", "description": "why you skip (required in strict mode)"},
    },
}

SUMMARIES = {
    "list_exercises": "All exercises (built in and your own)",
    "get_exercise": "One exercise",
    "save_exercise": "Create or replace one of your exercises from TOML",
    "get_exercise_toml": "An exercise's TOML file",
    "delete_exercise": "Delete one of your exercises",
    "list_routines": "All routines",
    "get_routine": "One routine",
    "save_routine": "Create or replace one of your routines from TOML",
    "get_routine_toml": "A routine's TOML file",
    "delete_routine": "Delete one of your routines",
    "get_routine_plan": "A routine expanded into its sets, with exercise, dosage and tempo",
    "start_session": "Start a guided session",
    "active_session": "The unfinished session to resume, if any",
    "get_session": "A session with its sets, plan and the plan indices done",
    "add_set": "Save one completed (or skipped) set by plan index",
    "finish_session": "Finish a session with optional effort and pain",
    "add_log": "Quick log: sets of an exercise, or a pain score",
    "stats": "Streaks, weekly volume, balance and pain trend",
    "history": "Day by day: sessions, sets and pain",
    "export": "Everything, as JSON or CSV",
    "import": "Add the records of an export that are not there yet",
    "snacks_today": "Today's snack statistics and timeline (nudges, sitting, breaks, sessions)",
    "snacks_days": "Snack statistics per day for the last N days, with totals",
    "snacks_preview": "When snacks are planned and nudges would come on a day",
    "snacks_next": "When the next nudge is due and the nudge showing now, if any",
    "snacks_activity": "Report activity from an open tab; nudges that fall due are logged",
    "snacks_answer": "Answer the nudge showing now: taken (Start), snoozed or skipped",
}

STATUS_OK = {
    "start_session": "201",
    "add_set": "201",
    "add_log": "201",
    "save_routine": "201",
    "save_exercise": "201",
}


def document(api: list[tuple[str, Any, list[str], str]]) -> dict[str, Any]:
    from soleus.web.recordings import API as RECORDINGS_API
    from soleus.web.recordings import OPENAPI as RECORDINGS_OPS
    from soleus.web.snacks import API as SNACKS_API

    paths: dict[str, dict[str, Any]] = {}
    extra = [r for r in (*SNACKS_API, *RECORDINGS_API) if r not in api]
    for path, _fn, methods, name in [*api, *extra]:
        params = re.findall(r"{(\w+)}", path)
        for method in methods:
            op: dict[str, Any] = {
                "operationId": name,
                "summary": SUMMARIES.get(name, name.replace("_", " ")),
                "responses": {
                    STATUS_OK.get(name, "200"): {
                        "description": "OK",
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    },
                    "4XX": {
                        "description": "A clear one-line error",
                        "content": {"application/json": {"schema": ERROR}},
                    },
                },
            }
            parameters = [
                {"name": p, "in": "path", "required": True, "schema": {"type": "string"}}
                for p in params
            ]
            if name == "history":
                parameters.append(
                    {
                        "name": "days",
                        "in": "query",
                        "schema": {"type": "integer", "minimum": 1, "maximum": 3660},
                    }
                )
            if name == "snacks_days":
                parameters.append(
                    {
                        "name": "days",
                        "in": "query",
                        "schema": {"type": "integer", "minimum": 1, "maximum": 366, "default": 7},
                    }
                )
            if name == "snacks_preview":
                parameters.append(
                    {"name": "date", "in": "query", "schema": {"type": "string", "format": "date"}}
                )
            if name == "export":
                parameters.append(
                    {"name": "format", "in": "query", "schema": {"enum": ["json", "csv"]}}
                )
            if parameters:
                op["parameters"] = parameters
            if method != "GET":
                op["security"] = [{"csrf": []}]
            if name in BODIES:
                content = {"application/json": {"schema": BODIES[name]}}
                if name == "import":
                    content["text/csv"] = {"schema": {"type": "string"}}
                op["requestBody"] = {"required": True, "content": content}
            op.update(RECORDINGS_OPS.get(name, {}))
            paths.setdefault(path, {})[method.lower()] = op
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "soleus",
            "version": __version__,
            "description": "The local soleus web app's JSON API. State-changing calls need"
            " the X-CSRF-Token header (from the page's csrf-token meta tag) and a JSON body.",
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
            },
        },
    }
