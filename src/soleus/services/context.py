"""The objects every use case needs, built once per process from the settings."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from functools import cached_property
from typing import TYPE_CHECKING

from soleus.clock import SystemClock
from soleus.domain.clock import Clock
from soleus.settings import Settings

if TYPE_CHECKING:
    from soleus.content import Skipped
    from soleus.domain.catalog import Catalog, Exercise
    from soleus.domain.routine import Routine, RoutineBook
    from soleus.store.db import Store


@dataclass
class Context:
    """Settings, store and clock, plus the catalog and routines loaded on first use.

    A broken file among the user's own exercises or routines is left out rather than
    breaking every command: its ``file:line: problem`` goes to :attr:`skipped` and to
    ``on_skip`` (the CLI prints it to stderr; the web shows it on its pages).
    """

    settings: Settings
    store: Store
    clock: Clock = field(default_factory=SystemClock)
    on_skip: Callable[[str], None] | None = field(default=None, repr=False, compare=False)

    @classmethod
    def open(
        cls,
        settings: Settings | None = None,
        clock: Clock | None = None,
        *,
        on_skip: Callable[[str], None] | None = None,
    ) -> Context:
        """Open (and migrate) the configured database; see :func:`soleus.services.open_context`."""
        from soleus.store.db import Store

        settings = settings or Settings.load()
        store = Store.open(settings.resolved_database_url)
        return cls(settings, store, clock or SystemClock(), on_skip)

    @cached_property
    def catalog(self) -> Catalog:
        if (base := self._base()) is not None:
            return base.catalog  # loaded once, shared by every person's copy
        from soleus.content import load_catalog
        from soleus.content.cache import ContentCache

        cache = ContentCache.at(self.settings.data_dir)
        return load_catalog(self.settings.config_dir, on_error=self.skipped, cache=cache)

    @cached_property
    def routines(self) -> RoutineBook:
        if (base := self._base()) is not None:
            return base.routines
        from soleus.content import load_routines
        from soleus.content.cache import ContentCache

        cache = ContentCache.at(self.settings.data_dir)
        config_dir = self.settings.config_dir
        return load_routines(config_dir, self.catalog, on_error=self.skipped, cache=cache)

    @cached_property
    def skipped(self) -> Skipped:
        """The user's files left out of the catalog or routines, with their errors."""
        if (base := self._base()) is not None:
            return base.skipped
        from soleus.content import Skipped

        return Skipped(self.on_skip)

    def get_exercise(self, exercise_id: str) -> Exercise:
        """The exercise; if the user's file of that id does not load, its error."""
        from soleus.content import check_user_file

        if "catalog" not in self.__dict__:
            check_user_file(self.settings.config_dir, "exercises", exercise_id)
        return self.catalog.get_exercise(exercise_id)

    def get_routine(self, routine_id: str) -> Routine:
        """The routine; if the user's file of that id does not load, its error."""
        from soleus.content import check_user_file

        if "routines" not in self.__dict__:
            check_user_file(self.settings.config_dir, "routines", routine_id, self.catalog)
        return self.routines.get_routine(routine_id)

    @cached_property
    def tz(self) -> tzinfo:
        return self.settings.tzinfo

    person_id: str = field(init=False)

    def __post_init__(self) -> None:
        # Resolved now, in a transaction of its own: resolving it lazily inside another
        # transaction would wait on that transaction's own write lock.
        from soleus.store import people

        name = self.settings.person
        with self.store.read() as reading:
            found = people.find(reading, name=name)
        if found is None:
            with self.store.begin() as conn:
                found = people.ensure(conn, name=name, now=self.clock.now())
        self.person_id = found

    # False on a copy made by as_person for someone else than the settings' person.
    is_settings_person: bool = field(default=True, init=False)

    def as_person(self, person_id: str, name: str) -> Context:
        """This context acting on the records of ``person_id`` (called ``name``), with
        catalog and routines shared.

        Only :mod:`soleus.services.accounts.access` calls it, after deciding that the
        actor may; the web and the CLI never pick a person themselves.
        """
        if person_id == self.person_id:
            return self
        other = copy.copy(self)
        other.__dict__.update(
            person_id=person_id,
            is_settings_person=False,
            _person_name=name,
            _root=self._base() or self,
        )
        return other

    def _base(self) -> Context | None:
        """The context a copy from :meth:`as_person` was made from (None: not a copy)."""
        base = self.__dict__.get("_root")
        return base if isinstance(base, Context) else None

    @property
    def person_name(self) -> str:
        """The name records are filed under (quick-log entries name their person)."""
        if self.is_settings_person:
            return self.settings.person
        return str(self.__dict__["_person_name"])

    def now(self) -> datetime:
        return self.clock.now()

    def local_date(self, moment: datetime | None = None) -> date:
        return (moment or self.clock.now()).astimezone(self.tz).date()

    def today(self) -> date:
        return self.local_date()
