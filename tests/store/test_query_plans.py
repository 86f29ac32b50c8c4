"""SQLite picks the index a per-request query needs (it keeps no statistics to guide it)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import event

from soleus.store import sessions as repo
from soleus.store.db import Store


def plan_of_list_sets(store: Store, **where: Any) -> str:
    seen: list[tuple[str, Any]] = []

    def capture(_conn: Any, _cursor: Any, statement: str, params: Any, *_: Any) -> None:
        seen.append((statement, params))

    event.listen(store.engine, "before_cursor_execute", capture)
    try:
        with store.begin() as conn:
            repo.list_sets(conn, person_id="p", **where)
    finally:
        event.remove(store.engine, "before_cursor_execute", capture)
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
