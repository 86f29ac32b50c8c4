"""`soleus export --format fhir`, `soleus import` of a FHIR bundle and `soleus handout`,
end to end."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.cli.cli_helpers import run


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for key, value in {
        "SOLEUS_DATA_DIR": str(tmp_path / "data"),
        "SOLEUS_CONFIG_DIR": str(tmp_path / "cfg"),
        "SOLEUS_TIMEZONE": "Europe/Berlin",
    }.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("SOLEUS_DATABASE_URL", raising=False)
    return tmp_path


def test_export_then_import_restores_an_own_routine(
    env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    own = env / "cfg" / "routines"
    own.mkdir(parents=True)
    (own / "short.toml").write_text(
        'id = "short"\nname = "Short"\n\n[[blocks]]\nexercise = "soleus-pushup"\n\n'
        '[blocks.dosage]\nkind = "reps"\nsets = 1\nreps = 5\n'
    )
    bundle = env / "bundle.json"
    code, _, err = run(capsys, "export", "--format", "fhir", "-o", str(bundle))
    assert code == 0, err
    assert json.loads(bundle.read_text())["resourceType"] == "Bundle"
    monkeypatch.setenv("SOLEUS_DATA_DIR", str(env / "data2"))
    monkeypatch.setenv("SOLEUS_CONFIG_DIR", str(env / "cfg2"))
    code, out, err = run(capsys, "import", str(bundle))
    assert code == 0, err
    assert "Restored routine short" in out
    code, out, err = run(capsys, "routine", "show", "short")
    assert code == 0, err
    assert "1 × 5 per leg" in out


def test_a_foreign_bundle_is_one_line_and_exit_2(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bundle = env / "other.json"
    bundle.write_text('{"resourceType": "Bundle", "type": "collection"}')
    code, _, err = run(capsys, "import", str(bundle))
    assert code == 2
    assert err.count("\n") == 1
    assert "identifier.system: not a bundle written by soleus" in err
    assert not (env / "cfg" / "routines").exists()


def test_handout_writes_a_pdf_and_refuses_an_unknown_routine(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pdf = env / "desk.pdf"
    code, _, err = run(capsys, "handout", "desk", "-o", str(pdf))
    assert code == 0, err
    assert pdf.read_bytes().startswith(b"%PDF-")
    assert f"Wrote {pdf}" in err
    code, _, err = run(capsys, "handout", "dsk", "-o", str(env / "no.pdf"))
    assert code == 2
    assert err.strip() == (
        "soleus: error: unknown routine 'dsk': did you mean 'desk'? (known: desk, spu-bout, full)"
    )
    assert not (env / "no.pdf").exists()
