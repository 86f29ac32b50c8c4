"""The CLI tests' own surroundings: a data and config folder in tmp_path, Berlin time,
no colour and no database URL from the machine running the tests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Sets the variables for this test; returns the whole environment, as a `soleus`
    child process started by the test should see it."""
    values = {
        "SOLEUS_DATA_DIR": str(tmp_path / "data"),
        "SOLEUS_CONFIG_DIR": str(tmp_path / "cfg"),
        "SOLEUS_TIMEZONE": "Europe/Berlin",
        "NO_COLOR": "1",
    }
    for key, value in values.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("SOLEUS_DATABASE_URL", raising=False)
    return dict(os.environ)
