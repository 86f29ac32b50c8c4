"""`soleus export --format fhir` (and a patient's, `--person EMAIL --as EMAIL`, in
accounts mode), `soleus import` of a FHIR bundle and `soleus handout`, end to end."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.cli.cli_helpers import run
from tests.services.accounts.acc_helpers import Clinic, clinic


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


@pytest.fixture
def clinic_env(env: Path, monkeypatch: pytest.MonkeyPatch) -> Clinic:
    """Accounts mode on SQLite: an admin, doc (a's clinician), patients a and b (b has no
    clinician); a did one session."""
    from soleus.services import open_context
    from soleus.services.accounts import access
    from soleus.services.sessions import guided

    monkeypatch.setenv("SOLEUS_PUBLIC_URL", "https://soleus.example.org/")
    monkeypatch.setenv("SOLEUS_ACCOUNTS", "on")
    monkeypatch.setenv("SOLEUS_ALLOW_SQLITE", "true")
    ctx = open_context()
    try:
        people = clinic(ctx)
        mine = access.context_for(ctx, people.patient_a, write=True)
        guided.finish(mine, guided.start(mine, mine.routines["desk"]), pain=1)
    finally:
        ctx.store.close()
    return people


def _one_line_exit_2(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    code, out, err = run(capsys, "export", "--format", "fhir", *args)
    assert code == 2, (args, code, err)
    assert out == "" and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    return err.strip()


def test_export_person_is_their_clinicians_and_audited(
    env: Path, clinic_env: Clinic, capsys: pytest.CaptureFixture[str]
) -> None:
    from soleus.services import open_context
    from soleus.store.accounts import audit

    out = env / "a.json"
    args = ("--person", "A@example.org", "--as", "doc@example.org", "-o", str(out))
    code, _, err = run(capsys, "export", "--format", "fhir", *args)
    assert code == 0, err
    bundle = json.loads(out.read_text())
    kinds = [e["resource"]["resourceType"] for e in bundle["entry"]]
    (patient,) = [
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient"
    ]
    assert patient["id"] == clinic_env.patient_a.person_id  # a's, not the settings' person
    assert "Observation" in kinds  # a's session
    ctx = open_context()
    try:
        with ctx.store.begin() as conn:
            logged = audit.entries(conn, org_ids=None, people=None, limit=10)
    finally:
        ctx.store.close()
    code, out_json, err = run(capsys, "export", *args[:4])  # as JSON, to standard output
    assert code == 0, err
    assert len(json.loads(out_json)["sessions"]) == 1  # a's one session
    reads = [e for e in logged if e.action == "records.read"]
    assert [(e.actor_id, e.target_id) for e in reads] == [
        (clinic_env.clinician.person_id, clinic_env.patient_a.person_id)
    ]


def test_export_person_refuses_one_line_and_writes_nothing(
    env: Path, clinic_env: Clinic, capsys: pytest.CaptureFixture[str]
) -> None:
    out = str(env / "x.json")
    doc, admin = ("--as", "doc@example.org"), ("--as", "admin@example.org")
    err = _one_line_exit_2(capsys, "--person", "b@example.org", *doc, "-o", out)
    assert "--person b@example.org: not your patient (doc@example.org may not read" in err
    err = _one_line_exit_2(capsys, "--person", "a@example.org", *admin, "-o", out)
    assert "not your patient" in err  # an admin does not read health data
    err = _one_line_exit_2(capsys, "--person", "nobody@example.org", *doc, "-o", out)
    assert err.endswith("--person: no account 'nobody@example.org'")
    err = _one_line_exit_2(capsys, "--person", "a@example.org", "--as", "x@example.org")
    assert err.endswith("--as: no account 'x@example.org'")
    assert "not an email address" in _one_line_exit_2(capsys, "--person", "a", *doc)
    err = _one_line_exit_2(capsys, "--person", "a@example.org", "-o", out)
    assert "give --person EMAIL (whose records) with --as EMAIL" in err
    assert not (env / "x.json").exists()


def test_export_person_is_for_accounts_mode(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    err = _one_line_exit_2(capsys, "--person", "a@example.org", "--as", "doc@example.org")
    assert "--person and --as are for accounts mode; local mode exports its one person" in err
