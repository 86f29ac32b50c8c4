"""The build hook: the rep detector's kernels compiled into the wheel.

numba compiles the detector on its first call (15-45 s). When the package is built
(``pip install .``, ``pip wheel .``), build_py runs ``soleus.signal.warmup`` against the
build tree, which fills ``soleus/signal/kernels/_cache`` there (kernels/jit.py keys it on
the sources' content, not their mtimes), and the wheel ships it: the first analysis on
the installed package only loads machine code. The cache holds code for the build
machine's CPU and numba version; anywhere else numba compiles as before (and caches).
Editable installs skip it (``make setup`` warms the source tree up).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithKernels(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode or os.environ.get("SOLEUS_BUILD_KERNELS") == "0":
            return
        build_lib = Path(self.build_lib).resolve()
        shutil.rmtree(build_lib / "soleus" / "signal" / "kernels" / "_cache", ignore_errors=True)
        path = os.pathsep.join(p for p in (str(build_lib), os.environ.get("PYTHONPATH")) if p)
        subprocess.run(
            [sys.executable, "-m", "soleus.signal.warmup"],
            env={**os.environ, "PYTHONPATH": path},
            check=True,
        )


setup(cmdclass={"build_py": BuildWithKernels})
