"""What everyone of an install shares stays the admins' to change (accounts mode)."""

from __future__ import annotations

from tests.services.accounts.acc_helpers import clinic

from soleus.domain.safety import RED_FLAGS
from soleus.services.accounts import access
from soleus.services.context import Context
from soleus.services.welcome import tour


def test_a_patients_welcome_keeps_the_shared_working_hours(db_ctx: Context) -> None:
    c = clinic(db_ctx)
    mine = access.context_for(db_ctx, c.patient_a, write=True)
    config = db_ctx.settings.config_dir / "config.toml"
    before = config.read_text() if config.exists() else None
    form = {q.id: "no" for q in RED_FLAGS}
    form.update(goal=tour.goals(mine)[0].routine_id, hours="07:00-11:00")
    tour.finish(mine, form)
    assert tour.outcome(mine) == "done"  # their own welcome is done...
    assert (config.read_text() if config.exists() else None) == before  # ...the file is not
    assert tour.outcome(db_ctx) != "done"
