"""The desktop reminder's heartbeat file: what the daemon writes each tick, and how
the CLI and the web read whether it runs (so that the web leaves the nudges to it).

The file is ``remind.json`` in the data dir; the daemon (``soleus.remind.daemon``)
writes it, everyone else only reads it.
"""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path
from typing import Any

from soleus.files import write_atomic
from soleus.services.context import Context

HEARTBEAT = "remind.json"


def heartbeat_path(ctx: Context) -> Path:
    return ctx.settings.data_dir / HEARTBEAT


def write(ctx: Context, data: dict[str, Any]) -> None:
    """Replace the heartbeat (OSError if the data dir cannot be written)."""
    write_atomic(heartbeat_path(ctx), json.dumps(data, indent=1))


def remove(ctx: Context, pid: int) -> None:
    """Remove the heartbeat if it is process ``pid``'s (a newer daemon keeps its own)."""
    path = heartbeat_path(ctx)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("pid") == pid:
            path.unlink()
    except (OSError, ValueError):
        pass


def status(ctx: Context) -> dict[str, Any]:
    """Whether a daemon runs (pid alive and a fresh heartbeat) and what it last said."""
    path = heartbeat_path(ctx)
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {"running": False, "why": "never started (no heartbeat file)"}
    except (OSError, ValueError) as error:
        return {"running": False, "why": f"unreadable heartbeat file ({error})"}
    alive = _pid_alive(int(data.get("pid", 0)))
    beat = datetime.fromisoformat(data["heartbeat_at"])
    age = (ctx.clock.now() - beat).total_seconds()
    fresh = age <= 3 * float(data.get("poll_s", 30)) + 5
    data["heartbeat_age_s"] = round(age, 1)
    data["running"] = alive and fresh
    if not alive:
        data["why"] = f"process {data.get('pid')} is gone"
    elif not fresh:
        data["why"] = f"no heartbeat for {age:.0f} s"
    return data


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if os.name == "nt":  # pragma: no cover
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
