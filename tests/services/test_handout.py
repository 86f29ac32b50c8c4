"""The printable handout: a real PDF whose text holds every exercise, dosage and note."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from tests.required import require

from soleus.domain.safety import RED_FLAGS
from soleus.domain.text import dosage_words, tempo_words
from soleus.errors import NotFound
from soleus.services.context import Context
from soleus.services.handout import render

MY_ROUTINE = """id = "rehab"
name = "Rehab <week 1>"
summary = "Written by my physio & me."

[[blocks]]
exercise = "soleus-pushup"
note = "Keep the toes down; stop at pain 4."

[blocks.dosage]
kind = "reps"
sets = 2
reps = 15
sides = "each"
rest_s = 40

[blocks.dosage.tempo]
up = 2
top = 1
down = 1.5
floor = 0.5

[[blocks]]
exercise = "bent-knee-soleus-stretch"
"""


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    require(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils)")
    path = tmp_path / "handout.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    # Lines wrap anywhere (also after the hyphen of "hip-width"): compare the words.
    # (pdftotext's plain mode drops that hyphen; -layout keeps it).
    return " ".join(re.sub(r"-[ \t]*\n\s*", "-", out).split())


def words(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("routine_id", ["desk", "full", "spu-bout", "rehab"])
def test_every_exercise_dosage_tempo_and_note_is_in_the_pdf(
    ctx: Context, tmp_path: Path, routine_id: str
) -> None:
    (ctx.settings.config_dir / "routines").mkdir(parents=True)
    (ctx.settings.config_dir / "routines" / "rehab.toml").write_text(MY_ROUTINE)
    pdf = render.handout_pdf(ctx, routine_id, person_id=ctx.person_id)
    assert pdf.startswith(b"%PDF-")
    text = pdf_text(pdf, tmp_path)
    routine = ctx.routines[routine_id]
    assert words(routine.name) in text
    for i, block in enumerate(routine.blocks):
        exercise = ctx.catalog[block.exercise]
        dosage = block.dosage_in(ctx.catalog)
        assert f"{i + 1}. {words(exercise.name)}" in text
        assert words(dosage_words(dosage)) in text
        assert words(tempo_words(dosage)) in text
        assert f"Rest: {dosage.rest_s:g} s between sets." in text
        assert words(exercise.steps[0]) in text
        if block.note:
            assert words(block.note) in text
    assert "Not medical advice." in text
    assert "Schedule: 3 times a day on Monday to Friday" in text
    assert "From 4 to 5: a lighter plan" in text
    for question in RED_FLAGS:  # the daily safety check's questions and their advice
        assert words(f"{question.text} {question.advice}") in text
    # One drawing per exercise that has one (all the built-in ones do).
    assert len(re.findall(rb"/Subtype\s*/Form", pdf)) >= len(routine.blocks)


def test_the_users_words_are_printed_as_text_not_markup(ctx: Context, tmp_path: Path) -> None:
    (ctx.settings.config_dir / "routines").mkdir(parents=True)
    (ctx.settings.config_dir / "routines" / "rehab.toml").write_text(MY_ROUTINE)
    page = render.handout_html(ctx, "rehab", person_id=ctx.person_id)
    assert "Rehab &lt;week 1&gt;" in page
    assert "physio &amp; me" in page
    assert "Rehab <week 1>" in pdf_text(
        render.handout_pdf(ctx, "rehab", person_id=ctx.person_id), tmp_path
    )


def test_the_schedule_follows_the_reminder_settings(ctx: Context, tmp_path: Path) -> None:
    ctx.settings.config_dir.mkdir(parents=True, exist_ok=True)
    (ctx.settings.config_dir / "config.toml").write_text(
        '[remind]\ntarget = 5\nworkdays = ["mon", "wed"]\nhours = "08:00-12:00, 13:00-16:00"\n'
    )
    page = render.handout_html(ctx, "desk", person_id=ctx.person_id)
    assert "5 times a day on Monday, Wednesday, spread over 08:00–12:00, 13:00–16:00." in page


def test_an_unknown_routine_is_one_line(ctx: Context) -> None:
    with pytest.raises(NotFound, match="unknown routine 'dsk': did you mean 'desk'"):
        render.handout_pdf(ctx, "dsk", person_id=ctx.person_id)


def test_an_exercise_prints_its_own_or_its_chosen_drawing_or_none(ctx: Context) -> None:
    from soleus.services.routines import userfiles

    spu = userfiles.source(ctx, "exercises", "soleus-pushup")
    mine = spu.replace('id = "soleus-pushup"', 'id = "my-pushup"', 1)
    userfiles.save(ctx, "exercises", mine)
    routine = 'id = "mine"\nname = "Mine"\n\n[[blocks]]\nexercise = "my-pushup"\n'
    (ctx.settings.config_dir / "routines").mkdir(parents=True)
    (ctx.settings.config_dir / "routines" / "mine.toml").write_text(routine)
    page = render.handout_html(ctx, "mine", person_id=ctx.person_id)
    assert "1. Seated soleus pushup" in page
    assert "<img" not in page
    desk = render.handout_html(ctx, "desk", person_id=ctx.person_id)
    assert desk.count('<img src="data:image/svg+xml;base64,') == 1
    # With a built-in drawing chosen (`picture`), that one is printed.
    userfiles.save(
        ctx,
        "exercises",
        mine.replace('id = "my-pushup"', 'id = "my-pushup"\npicture = "soleus-pushup"'),
        replaces="my-pushup",
    )
    again = render.handout_html(
        Context(ctx.settings, ctx.store, ctx.clock), "mine", person_id=ctx.person_id
    )
    assert again.count('<img src="data:image/svg+xml;base64,') == 1
