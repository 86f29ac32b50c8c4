"""Real parts the suite needs: skipped where they are missing, a failure in CI.

``make test`` (scripts/test.sh, which CI runs) installs Chromium, D-Bus, the video extra
(mediapipe, opencv), a PostgreSQL, tmux and nginx, and exports
``CI=true``: there, a missing part is a broken set-up, and a test that silently skips
would pass without testing anything. On a developer's machine the same tests skip,
saying what to install.

The one helper every such skip goes through; it lives here, not in ``conftest.py``,
because each folder's ``conftest.py`` is imported under the same name ``conftest`` and
cannot be imported by name from a test module.
"""

from __future__ import annotations

import importlib
import os
from types import ModuleType
from typing import NoReturn

import pytest

CI_ENV = "CI"


def in_ci() -> bool:
    """True where every real part must be there (``CI=true``, set by scripts/test.sh)."""
    return os.environ.get(CI_ENV, "").strip().lower() in {"true", "1", "yes"}


def missing(what: str) -> NoReturn:
    """``what`` (a real part, and how to get it) is not here: skip, or fail in CI."""
    if in_ci():
        pytest.fail(f"{what} is required when {CI_ENV}=true, and is missing", pytrace=False)
    pytest.skip(what, allow_module_level=True)


def require(present: bool, what: str) -> None:
    """Go on if ``present``; else :func:`missing`."""
    if not present:
        missing(what)


def require_module(name: str, what: str) -> ModuleType:
    """The module ``name``, imported; else :func:`missing`."""
    try:
        return importlib.import_module(name)
    except ImportError:
        missing(f"{what} (module {name!r} does not import)")
