"""Run ``soleus remind`` at login: a systemd user unit (Linux), a launchd agent
(macOS) or a Startup-folder entry (Windows)."""

from __future__ import annotations

import os
import plistlib
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from soleus.errors import SoleusError

UNIT = "soleus-remind.service"
LABEL = "org.soleus.remind"
STARTUP = "soleus-remind.cmd"


@dataclass(frozen=True)
class Service:
    kind: str  # systemd | launchd | startup
    path: Path
    text: str
    enable: tuple[tuple[str, ...], ...] = ()
    disable: tuple[tuple[str, ...], ...] = ()


def command(python: str | None = None) -> list[str]:
    return [python or sys.executable, "-m", "soleus", "remind"]


def platform_kind() -> str:
    if sys.platform == "darwin":
        return "launchd"
    if sys.platform == "win32":
        return "startup"
    return "systemd"


def describe(
    kind: str,
    *,
    home: Path,
    env: dict[str, str],
    data_dir: Path,
    python: str | None = None,
) -> Service:
    """The service file for ``kind`` (not written yet)."""
    argv = command(python)
    if kind == "systemd":
        base = Path(os.environ.get("XDG_CONFIG_HOME") or home / ".config")
        if home != Path.home():
            base = home / ".config"
        lines = [
            "[Unit]",
            "Description=soleus exercise-snack reminders",
            "Documentation=man:soleus(1)",
            "After=graphical-session.target",
            "PartOf=graphical-session.target",
            # a broken setup must not restart forever: 3 tries in 10 minutes, then stop
            "StartLimitIntervalSec=600",
            "StartLimitBurst=3",
            "",
            "[Service]",
            "Type=simple",
            f"ExecStart={' '.join(_systemd_quote(a) for a in argv)}",
            *(f"Environment={_systemd_quote(f'{k}={v}')}" for k, v in sorted(env.items())),
            "Restart=on-failure",
            "RestartSec=60",
            "",
            "[Install]",
            "WantedBy=graphical-session.target",
            "",
        ]
        return Service(
            kind,
            base / "systemd" / "user" / UNIT,
            "\n".join(lines),
            enable=(
                ("systemctl", "--user", "daemon-reload"),
                ("systemctl", "--user", "enable", "--now", UNIT),
            ),
            disable=(("systemctl", "--user", "disable", "--now", UNIT),),
        )
    if kind == "launchd":
        plist = {
            "Label": LABEL,
            "ProgramArguments": argv,
            "RunAtLoad": True,
            "KeepAlive": {"SuccessfulExit": False},
            "ThrottleInterval": 60,
            "EnvironmentVariables": env,
            "StandardOutPath": str(data_dir / "remind.log"),
            "StandardErrorPath": str(data_dir / "remind.log"),
            "ProcessType": "Background",
        }
        path = home / "Library" / "LaunchAgents" / f"{LABEL}.plist"
        return Service(
            kind,
            path,
            plistlib.dumps(plist).decode(),
            enable=(("launchctl", "load", "-w", str(path)),),
            disable=(("launchctl", "unload", "-w", str(path)),),
        )
    if kind == "startup":
        appdata = Path(os.environ.get("APPDATA") or home / "AppData" / "Roaming")
        if home != Path.home():
            appdata = home / "AppData" / "Roaming"
        folder = appdata / "Microsoft" / "Windows" / "Start Menu" / "Programs" / "Startup"
        pythonw = Path(argv[0]).with_name("pythonw.exe")
        exe = str(pythonw) if pythonw.exists() else argv[0]
        sets = [f'set "{k}={v}"' for k, v in sorted(env.items())]
        text = "\r\n".join(
            ["@echo off", *sets, f'start "soleus remind" /min "{exe}" -m soleus remind', ""]
        )
        return Service(kind, folder / STARTUP, text)
    raise SoleusError(f"unknown service kind {kind!r}")


def _systemd_quote(arg: str) -> str:
    if arg and all(c.isalnum() or c in "/._-=:+,@" for c in arg):
        return arg
    return '"' + arg.replace("\\", "\\\\").replace('"', '\\"') + '"'


def install(service: Service, *, run: bool = True) -> list[str]:
    """Write the file and (with ``run``) enable it; returns notes for the user."""
    notes = []
    try:
        service.path.parent.mkdir(parents=True, exist_ok=True)
        service.path.write_text(service.text, encoding="utf-8")
    except OSError as error:
        raise SoleusError(f"cannot write {service.path} ({error.strerror})") from None
    notes.append(f"wrote {service.path}")
    if run:
        notes += _run_all(service.enable)
    return notes


def uninstall(service: Service, *, run: bool = True) -> list[str]:
    notes = []
    if run and service.path.exists():
        notes += _run_all(service.disable)
    try:
        service.path.unlink()
        notes.append(f"removed {service.path}")
    except FileNotFoundError:
        notes.append(f"nothing to remove at {service.path}")
    except OSError as error:
        raise SoleusError(f"cannot remove {service.path} ({error.strerror})") from None
    return notes


def _run_all(commands: tuple[tuple[str, ...], ...]) -> list[str]:
    notes = []
    for argv in commands:
        if shutil.which(argv[0]) is None:
            notes.append(f"{argv[0]} not found; run yourself: {shlex.join(argv)}")
            break
        try:
            done = subprocess.run(list(argv), capture_output=True, text=True, timeout=30)
        except (OSError, subprocess.SubprocessError) as error:
            notes.append(f"{shlex.join(argv)} failed ({error})")
            break
        if done.returncode != 0:
            first = (done.stderr or done.stdout).strip().splitlines()
            notes.append(f"{shlex.join(argv)} failed: {first[0] if first else done.returncode}")
            break
        notes.append(f"ran {shlex.join(argv)}")
    return notes
