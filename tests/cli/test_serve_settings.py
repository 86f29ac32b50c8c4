"""`soleus serve` refuses proxy settings it cannot use: one line, exit 2, nothing served."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.cli.cli_helpers import run


@pytest.fixture(autouse=True)
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOLEUS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("SOLEUS_CONFIG_DIR", str(tmp_path / "cfg"))
    monkeypatch.setenv("SOLEUS_TIMEZONE", "UTC")
    for name in ("SOLEUS_DATABASE_URL", "SOLEUS_WEB_SECRET", "SOLEUS_SECRET_FILE"):
        monkeypatch.delenv(name, raising=False)


def test_a_trusted_proxy_that_is_not_an_address(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOLEUS_TRUSTED_PROXIES", "127.0.0.1, nginx")
    code, out, err = run(capsys, "serve", "--port", "0")
    assert code == 2
    assert "running" not in out
    assert err.strip().splitlines() == [
        "soleus: error: SOLEUS_TRUSTED_PROXIES: 'nginx' is not an IP address or network"
        " (e.g. 127.0.0.1 or 10.0.0.0/8)"
    ]


def test_a_secret_file_that_is_not_there(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    missing = tmp_path / "etc" / "secret"
    monkeypatch.setenv("SOLEUS_SECRET_FILE", str(missing))
    code, out, err = run(capsys, "serve", "--port", "0")
    assert code == 2
    assert "running" not in out
    lines = err.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"soleus: error: secret_file {missing}: cannot read it")
    assert not missing.exists()
