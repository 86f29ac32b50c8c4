"""Where soleus keeps a person's files, and the prefix of its environment variables.

Cheap to import on purpose: the CLI's top-level help names these folders.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

ENV_PREFIX = "SOLEUS_"


def config_dir(env: Mapping[str, str] | None = None) -> Path:
    """config.toml and the person's own routines and exercises."""
    return _folder("CONFIG_DIR", "config", env)


def data_dir(env: Mapping[str, str] | None = None) -> Path:
    """The database, the quick-log inbox and the kept recordings."""
    return _folder("DATA_DIR", "data", env)


def _folder(variable: str, kind: str, env: Mapping[str, str] | None) -> Path:
    env = os.environ if env is None else env
    chosen = env.get(f"{ENV_PREFIX}{variable}")
    if chosen:
        return Path(chosen).expanduser()
    import platformdirs  # only when no SOLEUS_*_DIR is set

    if kind == "config":
        return Path(platformdirs.user_config_dir("soleus", appauthor=False))
    return Path(platformdirs.user_data_dir("soleus", appauthor=False))
