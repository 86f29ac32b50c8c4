"""Every exercise has an accessible, animated, self-contained SVG illustration."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from soleus.content import builtin_catalog, builtin_dir

SVG = "{http://www.w3.org/2000/svg}"
IDS = list(builtin_catalog())


def _svg_text(exercise_id: str) -> str:
    path = builtin_dir("illustrations") / f"{exercise_id}.svg"
    assert path.is_file(), f"missing illustration {path.name}"
    return path.read_text(encoding="utf-8")


def test_no_illustration_without_an_exercise() -> None:
    names = {p.stem for p in builtin_dir("illustrations").glob("*.svg")}
    assert names == set(IDS)


@pytest.mark.parametrize("exercise_id", IDS)
def test_illustration_is_well_formed_and_accessible(exercise_id: str) -> None:
    root = ET.fromstring(_svg_text(exercise_id))
    assert root.tag == f"{SVG}svg"
    assert root.get("viewBox") == "0 0 320 240"
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert title is not None and (title.text or "").strip()
    assert desc is not None and len((desc.text or "").split()) >= 10


@pytest.mark.parametrize("exercise_id", IDS)
def test_illustration_animates_and_respects_reduced_motion(exercise_id: str) -> None:
    root = ET.fromstring(_svg_text(exercise_id))
    style = root.find(f"{SVG}style")
    assert style is not None and style.text
    css = style.text
    assert "@keyframes" in css and "infinite" in css
    reduced = re.search(r"@media\s*\(prefers-reduced-motion:\s*reduce\)\s*\{(.*)", css, re.S)
    assert reduced and "animation: none" in reduced.group(1)


@pytest.mark.parametrize("exercise_id", IDS)
def test_illustration_is_self_contained(exercise_id: str) -> None:
    text = _svg_text(exercise_id)
    root = ET.fromstring(text)
    assert root.find(f".//{SVG}script") is None
    assert not [el for el in root.iter() if el.tag.endswith("foreignObject")]
    for pattern in ("http://", "https://", "url(", "@import", "@font-face", "href"):
        # The xmlns declaration is the one allowed URL.
        rest = text.replace('xmlns="http://www.w3.org/2000/svg"', "")
        assert pattern not in rest, f"{exercise_id}.svg contains {pattern!r}"


def test_soleus_pushup_loop_is_about_two_and_a_half_seconds() -> None:
    css = _svg_text("soleus-pushup")
    periods = {float(s) for s in re.findall(r"animation: [\w-]+ ([\d.]+)s", css)}
    assert periods == {2.4}
