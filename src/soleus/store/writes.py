"""Write statements built once: saving a set is the player's hot path."""

from __future__ import annotations

from sqlalchemy import and_, bindparam, delete, insert

from soleus.store.schema import set_logs

INSERT_SET = insert(set_logs)
DELETE_REDONE = delete(set_logs).where(
    and_(set_logs.c.session_id == bindparam("sid"), set_logs.c.plan_index == bindparam("idx"))
)
