"""Whether accounts mode is on, and whether this database may carry it."""

from __future__ import annotations

from soleus.errors import SoleusError
from soleus.settings import Settings


def enabled(settings: Settings, *, allow_sqlite: bool = False) -> bool:
    """True in accounts mode; refuses it on SQLite unless allowed (flag or setting)."""
    if not settings.accounts:
        return False
    url = settings.resolved_database_url
    if url.startswith("sqlite") and not (allow_sqlite or settings.allow_sqlite):
        raise SoleusError(
            "accounts mode needs PostgreSQL (set database_url); for a small single-machine "
            "install give --allow-sqlite or set allow_sqlite = true"
        )
    return True
