"""The person's calibration (issue 12, item 3): three reps recorded once, their own rep
height and rhythm stored with the person, and every analysis of theirs (a file, an
upload, a live stream) using it (:mod:`soleus.signal.calibration`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from soleus.errors import SoleusError
from soleus.services.context import Context
from soleus.store import people

if TYPE_CHECKING:
    from soleus.signal.calibration import Calibration
    from soleus.signal.recording import Recording
    from soleus.store.lite import Reading


def current(ctx: Context) -> Calibration | None:
    """The person's calibration, or None (never made, or forgotten)."""
    with ctx.store.read() as conn:
        return stored(conn, ctx.person_id)


def of_installed() -> Calibration | None:
    """The configured person's calibration, for an analysis outside a context (the CLI);
    None without opening anything when no database exists yet (a new install)."""
    from soleus.settings import Settings

    settings = Settings.load()
    if not settings.database_url and not (settings.data_dir / "soleus.db").exists():
        return None
    ctx = Context.open(settings)
    try:
        return current(ctx)
    finally:
        ctx.store.close()


def stored(conn: Reading, person_id: str) -> Calibration | None:
    """The same inside a transaction the caller holds (live counting reads it there)."""
    from soleus.signal.calibration import Calibration

    return Calibration.from_json(people.calibration(conn, person_id=person_id))


def calibrate(ctx: Context, raw: bytes, name: str) -> Calibration:
    """Measure the person's own rep in a recording of three and store it (replacing the
    one before). A recording without about three clear reps: a one-line SoleusError
    saying what was found, and nothing stored."""
    from soleus.signal.formats import parse

    return from_recording(ctx, parse(raw, name), where=name)


def from_recording(ctx: Context, recording: Recording, *, where: str | None = None) -> Calibration:
    """The same from a recording in memory (a live stream's)."""
    from soleus.signal.analysis import calibrate as measure

    try:
        cal = measure(recording)
    except SoleusError as error:
        raise SoleusError(error.message, where=error.where or where) from None
    with ctx.store.begin() as conn:
        people.set_calibration(conn, person_id=ctx.person_id, value=cal.to_json(), at=ctx.now())
    return cal


def forget(ctx: Context) -> None:
    """Back to the default thresholds."""
    with ctx.store.begin() as conn:
        people.set_calibration(conn, person_id=ctx.person_id, value=None, at=ctx.now())
