"""The read commands end the `soleus` process without the interpreter's teardown
(cli/main.READ_ONLY), yet print everything and exit 0; other commands end as usual."""

from __future__ import annotations

import subprocess
import sys

import pytest
from tests.cli.cli_helpers import run

# As the `soleus` program runs: main() without argv. The atexit line shows whether the
# interpreter was torn down (it is printed during the teardown).
PROGRAM = (
    "import atexit, sys; atexit.register(lambda: print('teardown', file=sys.stderr));"
    "sys.argv = ['soleus', *sys.argv[1:]]; from soleus.cli.main import main; sys.exit(main())"
)


def program(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", PROGRAM, *args], env=env, capture_output=True, text=True
    )


def test_a_read_command_prints_all_of_its_output_and_ends_without_teardown(
    env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    for _ in range(40):  # history long enough to fill more than one pipe buffer
        assert program(env, "log", "soleus-pushup", "2x10", "--date", "-3").returncode == 0
    code, expected, _ = run(capsys, "history", "--sets")
    assert code == 0 and len(expected) > 4096
    done = program(env, "history", "--sets")
    assert (done.returncode, done.stdout) == (0, expected)
    assert "teardown" not in done.stderr
    for args in (["today"], ["stats", "--json"], ["exercises"], ["show", "soleus-pushup"]):
        done = program(env, *args)
        assert done.returncode == 0 and done.stdout.strip(), args
        assert "teardown" not in done.stderr, args


def test_other_commands_and_failures_end_as_usual(env: dict[str, str]) -> None:
    logged = program(env, "log", "pain", "2")
    assert logged.returncode == 0 and "teardown" in logged.stderr
    bad = program(env, "show", "no-such-exercise")
    assert bad.returncode == 2 and "teardown" in bad.stderr
    assert "soleus: error:" in bad.stderr
