"""The exercise builder over HTTP without JavaScript: the form writes the CLI's TOML,
every problem is shown next to its field, the Advanced text round-trips, and the chosen
built-in drawing is the exercise's picture."""

from __future__ import annotations

import re
import tomllib

import httpx
import pytest
from tests.web.test_builder_web import fields
from tests.web.web_helpers import Web

pytestmark = pytest.mark.anyio


def textareas(html: str) -> dict[str, str]:
    import html as markup

    found = re.findall(r'<textarea id="([^"]+)" name="[^"]+"[^>]*>(.*?)</textarea>', html, re.S)
    return {name: markup.unescape(text) for name, text in found}


async def press(web: Web, form: dict[str, str], action: str, **changes: str) -> httpx.Response:
    return await web.form("/exercises/build", {**form, **changes, "action": action})


def form_of(html: str) -> dict[str, str]:
    import html as markup

    out = {k: markup.unescape(v) for k, v in fields(html).items()}
    out.update(textareas(html))
    return out


async def test_an_exercise_built_with_plain_forms_is_saved_as_toml(web: Web) -> None:
    page = await web.client.get("/routines/new?kind=exercises")
    assert page.status_code == 200 and "<h1>New exercise</h1>" in page.text
    assert page.text.count('<input type="radio" name="picture"') == 7  # none + 6 drawings
    form = form_of(page.text)
    changes = {
        "name": "Towel calf stretch",
        "summary": "A seated stretch with a towel round the forefoot.",
        "position": "floor",
        "steps": "Sit with the legs straight.\nLoop a towel round one forefoot.\nPull gently.",
        "cues": "Knee straight.\nBreathe.",
        "picture": "bent-knee-soleus-stretch",
        "d-kind": "hold",
        "d-hold_s": "0",
        "d-rest_s": "",
    }
    r = await press(web, form, "save", **changes)
    assert r.status_code == 400
    shown = re.findall(r'<p class="field-error" id="([^"]+)-error">', r.text)
    assert sorted(shown) == ["d-hold_s", "d-rest_s"]
    assert 'id="d-hold_s" name="d-hold_s" data-field="hold_s" type="number"' in r.text
    assert 'aria-invalid="true" aria-describedby="d-hold_s-error"' in r.text
    assert "Not saved: " in r.text and "1 more problem marked below" in r.text
    assert not (web.settings.config_dir / "exercises").exists()

    r = await press(web, form_of(r.text), "save", **{"d-hold_s": "40", "d-rest_s": "10"})
    assert r.status_code == 303, r.text[:3000]
    assert r.headers["location"] == "/routines?saved=exercise+towel-calf-stretch"
    path = web.settings.config_dir / "exercises" / "towel-calf-stretch.toml"
    data = tomllib.loads(path.read_text())
    assert data["picture"] == "bent-knee-soleus-stretch" and data["position"] == "floor"
    assert data["cues"] == ["Knee straight.", "Breathe."]
    assert data["dosage"] == {
        "kind": "hold",
        "sets": 2,
        "seconds": 40,
        "sides": "each",
        "rest_s": 10,
    }
    # Its picture is the chosen drawing; its page and the routine builder show it.
    own = await web.client.get("/illustrations/towel-calf-stretch.svg")
    chosen = await web.client.get("/illustrations/bent-knee-soleus-stretch.svg")
    assert own.status_code == 200 and own.content == chosen.content

    # Opened again it is the form, and saving it unchanged writes the same file.
    edit = await web.client.get("/routines/exercises/towel-calf-stretch/edit")
    assert "Edit exercise <q>Towel calf stretch</q>" in edit.text
    before = path.read_text()
    r = await press(web, form_of(edit.text), "save")
    assert r.status_code == 303 and path.read_text() == before


async def test_the_advanced_text_round_trips_with_the_keys_the_form_does_not_show(
    web: Web,
) -> None:
    page = await web.client.get("/routines/new?kind=exercises&from=wall-calf-stretch")
    form = form_of(page.text)
    assert form["name"] == "Wall calf stretch (copy)" and form["id"] == "wall-calf-stretch-copy"
    assert form["picture"] == "wall-calf-stretch"  # the copy shows the original's drawing
    text = form["toml"]
    assert "Bandy WD" in text  # the sources ride along
    r = await press(web, form, "from-toml", toml=text.replace("seconds = 30", "seconds = 50"))
    assert r.status_code == 200
    assert form_of(r.text)["d-hold_s"] == "50"
    r = await press(web, form_of(r.text), "save")
    assert r.status_code == 303
    saved = (web.settings.config_dir / "exercises" / "wall-calf-stretch-copy.toml").read_text()
    data = tomllib.loads(saved)
    assert data["sources"][2].startswith("Bandy WD") and data["dosage"]["seconds"] == 50
    r = await press(web, form, "from-toml", toml="id = ")
    assert r.status_code == 400 and 'id="edit-error">Not used: ' in r.text


async def test_the_draft_api_answers_with_every_problem(web: Web) -> None:
    body = {"name": "Api", "summary": "s", "steps": "One", "d-kind": "reps", "d-reps": "0"}
    r = await web.post("/api/exercises/draft", body | {"d-sets": "0"})
    assert r.status_code == 200
    assert [e["field"] for e in r.json()["errors"]] == ["d-sets", "d-reps"]
    r = await web.post("/api/exercises/draft", body | {"d-reps": "5"})
    assert r.json()["errors"] == [] and 'id = "api"' in r.json()["toml"]
    r = await web.post("/api/exercises/draft", {"name": ["x"]})
    assert r.status_code == 400
