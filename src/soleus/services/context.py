"""The objects every use case needs, built once per process from the settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from functools import cached_property
from typing import TYPE_CHECKING

from soleus.domain.clock import Clock, SystemClock
from soleus.settings import Settings

if TYPE_CHECKING:
    from soleus.domain.catalog import Catalog
    from soleus.domain.routine import RoutineBook
    from soleus.store.db import Store


@dataclass
class Context:
    """Settings, store and clock, plus the catalog and routines loaded on first use."""

    settings: Settings
    store: Store
    clock: Clock = field(default_factory=SystemClock)

    @classmethod
    def open(cls, settings: Settings | None = None, clock: Clock | None = None) -> Context:
        """Open (and migrate) the configured database and take in pending quick logs."""
        from soleus.services.inbox import drain
        from soleus.store.db import Store

        settings = settings or Settings.load()
        ctx = cls(settings, Store.open(settings.resolved_database_url), clock or SystemClock())
        drain(ctx)
        return ctx

    @cached_property
    def catalog(self) -> Catalog:
        from soleus.content import load_catalog

        return load_catalog(self.settings.config_dir)

    @cached_property
    def routines(self) -> RoutineBook:
        from soleus.content import load_routines

        return load_routines(self.settings.config_dir, self.catalog)

    @cached_property
    def tz(self) -> tzinfo:
        return self.settings.tzinfo

    person_id: str = field(init=False)

    def __post_init__(self) -> None:
        # Resolved now, in a transaction of its own: resolving it lazily inside another
        # transaction would wait on that transaction's own write lock.
        from soleus.store import people

        with self.store.begin() as conn:
            self.person_id = people.ensure(conn, name=self.settings.person, now=self.clock.now())

    def now(self) -> datetime:
        return self.clock.now()

    def local_date(self, moment: datetime | None = None) -> date:
        return (moment or self.clock.now()).astimezone(self.tz).date()

    def today(self) -> date:
        return self.local_date()
