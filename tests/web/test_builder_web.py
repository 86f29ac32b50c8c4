"""The routine builder over HTTP without JavaScript: every button is a plain form post,
problems are shown next to their field, and what is saved is the CLI's TOML file."""

from __future__ import annotations

import re
import tomllib

import httpx
import pytest
from tests.web.web_helpers import Web

from soleus.content import load_routine_file

pytestmark = pytest.mark.anyio


def fields(html: str) -> dict[str, str]:
    """The form's text and hidden fields, checked radios and selected options, as posted."""
    out = dict(re.findall(r'<input[^>]*?name="([^"]+)"[^>]*?value="([^"]*)"', html))
    for name in set(re.findall(r'<input type="radio" name="([^"]+)"', html)):
        checked = re.search(rf'name="{name}"[^>]*value="([^"]+)"[^>]*checked', html)
        if checked:
            out[name] = checked[1]
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        out[name] = re.search(r'value="([^"]+)" selected', body)[1]  # type: ignore[index]
    out.pop("csrf_token", None)
    return out


async def press(web: Web, form: dict[str, str], action: str, **changes: str) -> httpx.Response:
    return await web.form("/routines/build", {**form, **changes, "action": action})


async def test_a_routine_built_with_plain_forms_is_saved_as_toml(web: Web) -> None:
    page = await web.client.get("/routines/new?kind=routines")
    assert page.status_code == 200 and "<h1>New routine</h1>" in page.text
    assert 'src="/illustrations/soleus-pushup.svg"' in page.text  # the list has pictures
    form = fields(page.text)
    r = await press(web, form, "add:soleus-pushup", name="Plain forms")
    assert 'id="b0-title" tabindex="-1" autofocus' in r.text  # the focus goes to it
    r = await press(web, fields(r.text), "add:wall-calf-stretch")
    form = fields(r.text)
    assert form["name"] == "Plain forms" and form["order"] == "0,1"
    r = await press(web, form, "up:1")
    assert re.findall(r"<span data-name>([^<]+)", r.text) == [
        "Wall calf stretch",
        "Seated soleus pushup",
    ]
    assert 'id="b0-move-up" data-move="up" autofocus' in r.text
    assert "This routine takes about 5 min, 8 sets." in r.text  # Plan.estimated_seconds: 288

    form = fields(r.text)
    r = await press(web, form, "save", **{"b1-reps": "0"})
    assert r.status_code == 400
    assert '<p class="field-error" id="b1-reps-error">reps must be between 1 and 500' in r.text
    assert 'name="b1-reps" data-field="reps" type="number"' in r.text
    assert 'aria-invalid="true" aria-describedby="b1-reps-error"' in r.text
    assert 'role="alert" id="save-error">Not saved: reps must be' in r.text
    assert '<a href="#b1-reps">go to the field</a>' in r.text
    assert not (web.settings.config_dir / "routines").exists()  # nothing written

    r = await press(web, form, "save", **{"b1-reps": "12", "b1-sides": "alternate"})
    assert r.status_code == 303 and r.headers["location"] == "/routines?saved=routine+plain-forms"
    path = web.settings.config_dir / "routines" / "plain-forms.toml"
    routine = load_routine_file(path, web.ctx.catalog)  # the loader the CLI uses
    assert [b.exercise for b in routine.blocks] == ["wall-calf-stretch", "soleus-pushup"]
    assert routine.blocks[0].dosage is None  # the stretch as its own file says
    pushup = routine.blocks[1].dosage
    assert pushup is not None and (pushup.reps, pushup.sides) == (12, "alternate")

    # Opened again, it is the form, and saving it unchanged writes the same file.
    edit = await web.client.get("/routines/routines/plain-forms/edit")
    assert "Edit routine <q>Plain forms</q>" in edit.text
    before = path.read_text()
    r = await press(web, fields(edit.text), "save")
    assert r.status_code == 303 and path.read_text() == before


async def test_the_advanced_text_and_the_form_round_trip(web: Web) -> None:
    dup = await web.client.get("/routines/new?kind=routines&from=spu-bout")
    form = fields(dup.text)
    assert (form["id"], form["b0-kind"], form["b0-minutes"], form["b0-per_minute"]) == (
        "spu-bout-copy",
        "bout",
        "5",
        "50",
    )
    text = re.search(r'<textarea id="toml"[^>]*>(.*?)</textarea>', dup.text, re.S)[1]  # type: ignore[index]
    text = text.replace("&#34;", '"')
    assert tomllib.loads(text)["blocks"][0]["dosage"]["seconds"] == 300
    r = await press(web, form, "from-toml", toml=text.replace("seconds = 300", "seconds = 120"))
    assert r.status_code == 200 and fields(r.text)["b0-minutes"] == "2"
    bad = text.replace('kind = "bout"', 'kind = "jog"')
    r = await press(web, form, "from-toml", toml=bad)
    assert r.status_code == 400 and '<details id="advanced" open>' in r.text
    assert re.search(r'id="edit-error">Not used: routines/spu-bout-copy.toml:\d+: blocks.0', r.text)
    r = await press(web, form, "save-toml", toml=text)
    assert r.status_code == 303
    assert (web.settings.config_dir / "routines" / "spu-bout-copy.toml").read_text() == text


async def test_the_draft_api_answers_with_the_servers_estimate_and_problem(web: Web) -> None:
    block = {"exercise": "soleus-pushup", "kind": "reps", "sets": "1", "reps": "10"}
    block |= {"up": "1", "top": "0", "down": "1", "floor": "0", "sides": "both", "rest_s": "0"}
    r = await web.post("/api/routines/draft", {"name": "Api", "blocks": [block]})
    assert r.status_code == 200
    body = r.json()
    assert body["estimate"] == {"seconds": 20.0, "sets": 1, "text": "about 1 min, 1 set"}
    assert body["error"] is None and 'id = "api"' in body["toml"]
    r = await web.post("/api/routines/draft", {"name": "Api", "blocks": [block | {"sets": "0"}]})
    assert r.json()["error"] == {
        "block": 0,
        "field": "sets",
        "message": "sets must be between 1 and 20, not 0",
    }
    assert r.json()["estimate"] is None
    r = await web.post("/api/routines/draft", {"name": "Api", "blocks": "many"})
    assert r.status_code == 400
    spec = (await web.client.get("/openapi.json")).json()
    assert "post" in spec["paths"]["/api/routines/draft"]


async def test_every_problem_is_shown_next_to_its_field(web: Web) -> None:
    page = await web.client.get("/routines/new?kind=routines")
    r = await press(web, fields(page.text), "add:soleus-pushup", name="Many")
    r = await press(web, fields(r.text), "add:wall-calf-stretch")
    bad = {"b0-reps": "0", "b0-rest_s": "soon", "b1-hold_s": "0", "name": ""}
    r = await press(web, fields(r.text), "save", **bad)
    assert r.status_code == 400
    shown = re.findall(r'<p class="field-error" id="([^"]+)-error">', r.text)
    assert sorted(shown) == ["b0-reps", "b0-rest_s", "b1-hold_s", "name"]
    assert "; 3 more problems marked below" in r.text
    for key in shown:
        assert f'aria-invalid="true" aria-describedby="{key}-error"' in r.text
    assert not (web.settings.config_dir / "routines").exists()

    block = {"exercise": "soleus-pushup", "kind": "reps", "sets": "0", "reps": "0"}
    r = await web.post("/api/routines/draft", {"name": "Api", "blocks": [block]})
    errors = r.json()["errors"]
    assert [(e["block"], e["field"]) for e in errors] == [(0, "sets"), (0, "reps")]
    assert r.json()["error"] == errors[0]
