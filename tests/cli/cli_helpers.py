"""Running the CLI in-process from the tests: exit code, stdout and stderr."""

from __future__ import annotations

import pytest

from soleus.cli.main import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """``soleus ARGS``: its exit code (0 when it returns), stdout and stderr."""
    try:
        result = main(list(args))
        code = result if isinstance(result, int) else 0
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    out, err = capsys.readouterr()
    return code, out, err
