"""A routine's handout as PDF bytes, rendered by WeasyPrint (pango does the text)."""

from __future__ import annotations

import logging

from soleus.content import builtin_dir
from soleus.domain.catalog import Exercise
from soleus.errors import NotFound, SoleusError
from soleus.services.context import Context
from soleus.services.handout.document import Schedule, html

DAY_NAMES = {
    "mon": "Monday",
    "tue": "Tuesday",
    "wed": "Wednesday",
    "thu": "Thursday",
    "fri": "Friday",
    "sat": "Saturday",
    "sun": "Sunday",
}


def schedule(ctx: Context) -> Schedule:
    """The person's snack target, workdays and hours (the reminder settings)."""
    from soleus.services.snacks.records import remind_config

    config = remind_config(ctx)
    days = config.workdays if isinstance(config.workdays, str) else ", ".join(config.workdays)
    for short, name in DAY_NAMES.items():
        days = days.replace(short, name)
    hours = ", ".join(part.strip() for part in config.hours.split(","))
    return Schedule(config.target, days.replace("-", " to "), hours.replace("-", "–"))


def drawings(exercises: list[Exercise]) -> dict[str, bytes]:
    """The SVG drawing of each exercise that has one: its own built-in drawing, else the
    built-in one it chose (``picture``), as the web's illustration route does."""
    folder = builtin_dir("illustrations")
    out = {}
    for exercise in exercises:
        for name in (exercise.id, exercise.picture):
            path = folder / f"{name}.svg"
            if name and path.is_file():
                out[exercise.id] = path.read_bytes()
                break
    return out


def handout_html(ctx: Context, routine_id: str, *, person_id: str) -> str:
    if person_id != ctx.person_id:
        raise NotFound(f"no person {person_id!r} here (local mode has one person)")
    routine = ctx.get_routine(routine_id)
    return html(
        routine,
        ctx.catalog,
        schedule=schedule(ctx),
        drawings=drawings([ctx.catalog.get_exercise(b.exercise) for b in routine.blocks]),
        made_on=ctx.today(),
        person=ctx.settings.person,
        warn=ctx.settings.pain_warn,
        stop=ctx.settings.pain_stop,
    )


def handout_pdf(ctx: Context, routine_id: str, *, person_id: str) -> bytes:
    """The routine's handout as a PDF (an unknown routine is a one-line NotFound)."""
    text = handout_html(ctx, routine_id, person_id=person_id)
    try:
        import weasyprint
    except OSError as error:  # pango or its friends are missing
        raise SoleusError(
            f"the PDF renderer cannot start ({error}); run scripts/system-deps.sh"
        ) from None
    # WeasyPrint warns on CSS it ignores; the handout's CSS is ours and known to work.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    pdf = weasyprint.HTML(string=text).write_pdf()
    assert pdf is not None
    return bytes(pdf)
