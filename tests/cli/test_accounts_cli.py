"""`soleus org` and `soleus user`: JSON shapes, one-line errors, the link works."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.cli.cli_helpers import run


@pytest.fixture(autouse=True)
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOLEUS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("SOLEUS_CONFIG_DIR", str(tmp_path / "cfg"))
    monkeypatch.setenv("SOLEUS_PUBLIC_URL", "https://soleus.example.org/")
    monkeypatch.delenv("SOLEUS_DATABASE_URL", raising=False)


def ok_json(capsys: pytest.CaptureFixture[str], *args: str) -> object:
    code, out, err = run(capsys, *args)
    assert code == 0, (args, out, err)
    return json.loads(out)


def fails(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    code, out, err = run(capsys, *args)
    assert code == 2, (args, code, out, err)
    assert out == "" and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    return err


def test_org_user_invite_list_disable(capsys: pytest.CaptureFixture[str]) -> None:
    from soleus.services import open_context
    from soleus.services.accounts import links

    made = ok_json(capsys, "org", "create", "Praxis Süd", "--json")
    assert made["name"] == "Praxis Süd"  # type: ignore[index]
    assert ok_json(capsys, "org", "list", "--json") == ["Praxis Süd"]
    issued = ok_json(
        capsys,
        "user",
        "invite",
        "Doc@Example.org",
        "--role",
        "clinician",
        "--org",
        "Praxis Süd",
        "--json",
    )
    assert isinstance(issued, dict)
    assert issued["email"] == "doc@example.org" and issued["mailed"] is False
    assert issued["url"].startswith("https://soleus.example.org/invite/")
    assert ok_json(capsys, "user", "list", "--json") == []  # not taken up yet
    ctx = open_context()
    try:
        links.accept(ctx, issued["url"].rsplit("/", 1)[1], password="correct horse battery")
    finally:
        ctx.store.close()
    listed = ok_json(capsys, "user", "list", "--json")
    assert isinstance(listed, list)
    [person] = listed
    assert person["email"] == "doc@example.org" and person["disabled"] is False
    assert person["roles"] == [{"org": "Praxis Süd", "role": "clinician"}]
    disabled = ok_json(capsys, "user", "disable", "DOC@example.org", "--json")
    assert disabled["disabled"] is True  # type: ignore[index]
    code, out, _ = run(capsys, "user", "list")
    assert code == 0 and "disabled" in out
    enabled = ok_json(capsys, "user", "disable", "doc@example.org", "--enable", "--json")
    assert enabled["disabled"] is False  # type: ignore[index]
    reset = ok_json(capsys, "user", "reset", "doc@example.org", "--json")
    assert reset["url"].startswith("https://soleus.example.org/reset/")  # type: ignore[index]


def test_bad_input_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    ok_json(capsys, "org", "create", "Clinic", "--json")
    assert "exists already" in fails(capsys, "org", "create", "Clinic")
    assert "1 to 120" in fails(capsys, "org", "create", "  ")
    assert "not an email" in fails(
        capsys, "user", "invite", "nobody", "--role", "patient", "--org", "Clinic"
    )
    assert "no organisation" in fails(
        capsys, "user", "invite", "a@example.org", "--role", "patient", "--org", "Elsewhere"
    )
    assert "--role" in fails(
        capsys, "user", "invite", "a@example.org", "--role", "boss", "--org", "Clinic"
    )
    assert "no account" in fails(capsys, "user", "disable", "ghost@example.org")
    assert "no account" in fails(capsys, "user", "reset", "ghost@example.org")
