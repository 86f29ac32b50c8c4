"""The login service files: systemd unit verified by systemd-analyze, launchd plist,
Windows Startup entry; install and uninstall round trip."""

from __future__ import annotations

import plistlib
import shutil
import subprocess
from pathlib import Path

from tests.required import require

from soleus.remind import service


def test_systemd_unit_verifies(tmp_path: Path) -> None:
    env = {"SOLEUS_DATA_DIR": str(tmp_path / "my data")}
    svc = service.describe("systemd", home=tmp_path, env=env, data_dir=tmp_path)
    assert svc.path == tmp_path / ".config" / "systemd" / "user" / service.UNIT
    assert "Restart=on-failure" in svc.text and "StartLimitBurst=3" in svc.text
    notes = service.install(svc, run=False)
    assert svc.path.read_text() == svc.text and notes == [f"wrote {svc.path}"]
    require(shutil.which("systemd-analyze") is not None, "systemd-analyze (Debian package systemd)")
    done = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", str(svc.path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    problems = [
        line
        for line in (done.stderr + done.stdout).splitlines()
        if service.UNIT in line or "soleus" in line
    ]
    assert done.returncode == 0, done.stderr
    assert not problems, problems
    assert service.uninstall(svc, run=False) == [f"removed {svc.path}"]
    assert not svc.path.exists()


def test_launchd_plist(tmp_path: Path) -> None:
    svc = service.describe("launchd", home=tmp_path, env={}, data_dir=tmp_path)
    plist = plistlib.loads(svc.text.encode())
    assert plist["Label"] == service.LABEL and plist["ProgramArguments"][-2:] == [
        "soleus",
        "remind",
    ]
    assert plist["KeepAlive"] == {"SuccessfulExit": False} and plist["ThrottleInterval"] == 60


def test_windows_startup_entry(tmp_path: Path) -> None:
    svc = service.describe("startup", home=tmp_path, env={"SOLEUS_X": "1"}, data_dir=tmp_path)
    assert svc.path.name == service.STARTUP and "Startup" in svc.path.parts
    assert "-m soleus remind" in svc.text and '"SOLEUS_X=1"' in svc.text


def test_uninstall_when_absent(tmp_path: Path) -> None:
    svc = service.describe("systemd", home=tmp_path, env={}, data_dir=tmp_path)
    assert service.uninstall(svc, run=False)[0].startswith("nothing to remove")
