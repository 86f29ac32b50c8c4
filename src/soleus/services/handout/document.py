"""A routine's handout as one self-contained HTML document: per exercise its drawing,
its steps in plain words, the dosage per side, the tempo, the rest, its safety notes and
the routine's notes; the schedule; and the "not medical advice" line.

Plain string building with every text escaped (templates belong to the web package);
the drawings are the catalog's SVG files, inlined as data URLs, so nothing is fetched.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import date
from html import escape

from soleus.domain.catalog import Catalog, Dosage, Exercise
from soleus.domain.day import NOT_ADVICE
from soleus.domain.routine import Plan, Routine
from soleus.domain.safety import RED_FLAGS
from soleus.domain.text import dosage_words, duration_words, plural, tempo_words

# Floats, not flex: WeasyPrint lays flex boxes out several times (5x slower here).
CSS = """
@page { size: A4; margin: 16mm 16mm 18mm 16mm;
  @bottom-center { content: "soleus handout · page " counter(page) " of " counter(pages);
    font-family: "DejaVu Sans", sans-serif; font-size: 8pt; color: #555; } }
body { font-family: "DejaVu Sans", sans-serif; font-size: 10pt; line-height: 1.35;
  color: #1b2733; }
h1 { font-size: 18pt; margin: 0 0 2mm; }
h2 { font-size: 13pt; margin: 0 0 2mm; }
.summary { margin: 0 0 3mm; }
.box { border: 0.6pt solid #8a97a6; padding: 2.5mm 3.5mm; margin: 0 0 4mm; }
.advice { background: #fff4e5; border-color: #c77700; }
.exercise { page-break-inside: avoid; border-top: 0.8pt solid #8a97a6; padding-top: 3mm;
  margin-top: 4mm; }
.drawing { float: left; width: 58mm; }
.drawing img { width: 58mm; }
.text { margin-left: 63mm; }
.row::after { content: ""; display: block; clear: both; }
.dose { font-weight: bold; font-size: 11pt; margin: 0 0 1.5mm; }
ol, ul { margin: 1mm 0 2mm; padding-left: 5mm; }
li { margin: 0 0 0.8mm; }
.label { font-weight: bold; }
.note { font-style: italic; }
.muted { color: #555; }
"""


@dataclass(frozen=True)
class Schedule:
    """When the routine is meant to be done, in words the handout prints."""

    times_a_day: int
    days: str
    hours: str


def _drawing(exercise: Exercise, drawings: dict[str, bytes]) -> str:
    svg = drawings.get(exercise.id)
    if svg is None:
        return ""
    data = base64.b64encode(svg).decode("ascii")
    alt = escape(f"Drawing: {exercise.name}")
    return f'<div class="drawing"><img src="data:image/svg+xml;base64,{data}" alt="{alt}"></div>'


def _list(tag: str, items: tuple[str, ...] | list[str]) -> str:
    return f"<{tag}>" + "".join(f"<li>{escape(i)}</li>" for i in items) + f"</{tag}>"


def _exercise(number: int, exercise: Exercise, dosage: Dosage, note: str, drawing: str) -> str:
    parts = [
        f"<h2>{number}. {escape(exercise.name)}</h2>",
        f'<p class="dose">{escape(dosage_words(dosage))}</p>',
        f'<p><span class="label">Tempo:</span> {escape(tempo_words(dosage))}</p>',
        f'<p><span class="label">Rest:</span> {dosage.rest_s:g} s between sets.</p>',
        f'<p class="label">Steps</p>{_list("ol", exercise.steps)}',
    ]
    if exercise.cues:
        parts.append(f'<p class="label">Remember</p>{_list("ul", exercise.cues)}')
    safety = list(exercise.safety) + list(exercise.contraindications)
    if safety:
        parts.append(f'<p class="label">Safety</p>{_list("ul", safety)}')
    if note:
        parts.append(f'<p class="note"><span class="label">Note:</span> {escape(note)}</p>')
    return (
        f'<section class="exercise"><div class="row">{drawing}'
        f'<div class="text">{"".join(parts)}</div></div></section>'
    )


def html(
    routine: Routine,
    catalog: Catalog,
    *,
    schedule: Schedule,
    drawings: dict[str, bytes],
    made_on: date,
    person: str,
    warn: int,
    stop: int,
) -> str:
    """The whole handout as HTML text."""
    plan = Plan.build(routine, catalog)
    minutes = duration_words(plan.estimated_seconds())
    sections = [
        _exercise(
            i + 1,
            catalog.get_exercise(b.exercise),
            b.dosage_in(catalog),
            b.note,
            _drawing(catalog.get_exercise(b.exercise), drawings),
        )
        for i, b in enumerate(routine.blocks)
    ]
    times = plural(schedule.times_a_day, "time")
    when = (
        f"{times} a day on {escape(schedule.days)}, spread over {escape(schedule.hours)}."
        if schedule.times_a_day
        else "Whenever suits you; no daily target is set."
    )
    body = [
        f"<h1>{escape(routine.name)}</h1>",
        f'<p class="summary">{escape(routine.summary)}</p>' if routine.summary else "",
        f'<p class="muted">For {escape(person)} · made {made_on.isoformat()} by soleus</p>',
        '<div class="box">',
        f'<p><span class="label">Schedule:</span> {when}</p>',
        f'<p><span class="label">One session:</span> {len(routine.blocks)} '
        f"{'exercise' if len(routine.blocks) == 1 else 'exercises'}, "
        f"{plural(len(plan.sets), 'set')}, about {escape(minutes)}.</p>",
        "</div>",
        '<div class="box advice">',
        f'<p><span class="label">Pain:</span> rate it from 0 to 10. From {warn} to {stop}:'
        f" a lighter plan (fewer sets, fewer reps, shorter holds). Above {stop}: stop and"
        " rest the calf until tomorrow. Worse the next morning than after the exercise:"
        " a lighter day.</p>",
        '<p><span class="label">Stop, and get help, if the answer to any of these is'
        " yes</span> (the questions of the daily safety check):</p>",
        "<ul>"
        + "".join(f"<li>{escape(q.text)} {escape(q.advice)}</li>" for q in RED_FLAGS)
        + "</ul>",
        f"<p><strong>{escape(NOT_ADVICE)}</strong> This sheet explains an exercise plan; "
        "it does not diagnose or treat anything.</p>",
        "</div>",
        *sections,
    ]
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(routine.name)} · soleus handout</title>"
        f"<style>{CSS}</style></head><body>{''.join(body)}</body></html>"
    )
