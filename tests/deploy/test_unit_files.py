"""The shipped systemd template unit is valid and starts the command soleus has."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner
from tests.required import require

from soleus.cli.main import cli

UNIT = Path(__file__).resolve().parents[2] / "deploy" / "systemd" / "soleus@.service"


def exec_start() -> list[str]:
    line = next(x for x in UNIT.read_text().splitlines() if x.startswith("ExecStart="))
    return shlex.split(line.removeprefix("ExecStart="))


def test_the_unit_passes_systemd_analyze_verify(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    require(analyze is not None, "systemd-analyze (apt-get install systemd)")
    assert analyze is not None
    soleus = Path(sys.executable).with_name("soleus")
    text = UNIT.read_text().replace(exec_start()[0], str(soleus))  # this venv's soleus
    unit = tmp_path / "soleus@8001.service"
    unit.write_text(text)
    result = subprocess.run([analyze, "verify", str(unit)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def test_the_unit_runs_soleus_serve_with_options_it_knows() -> None:
    argv = exec_start()
    assert argv[0].endswith("/soleus")
    assert argv[1:] == ["serve", "--host", "127.0.0.1", "--port", "%i"]
    # The options exist (a port systemd fills in is an integer soleus accepts).
    result = CliRunner().invoke(cli, ["serve", "--help"])
    assert result.exit_code == 0
    assert "--host" in result.output and "--port" in result.output
