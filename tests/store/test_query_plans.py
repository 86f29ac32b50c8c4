"""SQLite picks the index a per-request query needs (it keeps no statistics to guide it)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, event

from soleus.store import sessions as repo
from soleus.store.db import Store


def statements(store: Store, action: Callable[[Connection], object]) -> list[tuple[str, Any]]:
    """The statements (and their parameters) ``action`` runs in one transaction."""
    seen: list[tuple[str, Any]] = []

    def capture(_conn: Any, _cursor: Any, statement: str, params: Any, *_: Any) -> None:
        seen.append((statement, params))

    event.listen(store.engine, "before_cursor_execute", capture)
    try:
        with store.begin() as conn:
            action(conn)
    finally:
        event.remove(store.engine, "before_cursor_execute", capture)
    return seen


def plan_of_list_sets(store: Store, **where: Any) -> str:
    seen = statements(store, lambda conn: repo.list_sets(conn, person_id="p", **where))
    statement, params = next(s for s in seen if "FROM set_logs" in s[0])
    with store.engine.connect() as conn:
        rows = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", params).all()
    return " ".join(str(row[-1]) for row in rows)


def test_one_sessions_sets_are_found_by_session_not_by_person(tmp_path: Path) -> None:
    # Each saved set lists its session's sets; by person it walked years of logs.
    store = Store.open(f"sqlite:///{tmp_path / 'soleus.db'}")
    try:
        plan = plan_of_list_sets(store, session_id="s")
    finally:
        store.close()
    assert "(session_id=?)" in plan, plan
    assert "person_id=?" not in plan, plan


def test_a_sign_in_forgets_old_counters_by_window_not_by_a_scan(db_url: str) -> None:
    # Every sign-in deletes the windows a day old; by the primary key (key first) that
    # read every counter of the day. Seq scans off on PostgreSQL: an index or nothing.
    from datetime import UTC, datetime

    from soleus.store.accounts import ratelimits

    store = Store.open(db_url)
    moment = datetime(2026, 3, 1, tzinfo=UTC)
    try:
        seen = statements(store, lambda conn: ratelimits.forget_before(conn, moment=moment))
        statement, params = next(s for s in seen if s[0].startswith("DELETE FROM rate_limits"))
        with store.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
                rows = conn.exec_driver_sql(f"EXPLAIN {statement}", params).all()
            else:
                rows = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", params).all()
    finally:
        store.close()
    plan = " ".join(str(row[-1]) for row in rows)
    assert "ix_rate_limits_window_start" in plan, plan
