"""The written-out filter designs equal scipy.signal's (which the analysis no longer imports)."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from scipy import signal as sps

from soleus.signal import iir


@pytest.mark.parametrize(("cutoff", "fs"), [(5.0, 100.0), (5.0, 12.5), (20.0, 50.0), (3.0, 400.0)])
def test_butter_delay_and_steady_state_equal_scipys(cutoff: float, fs: float) -> None:
    b, a = iir.butter2_lowpass(cutoff, fs)
    sb, sa = sps.butter(2, cutoff, fs=fs)
    np.testing.assert_allclose(b, sb, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(a, sa, rtol=1e-12, atol=1e-15)
    _w, gd = sps.group_delay((sb, sa), w=[0.5], fs=fs)
    assert iir.group_delay(b, a, 0.5, fs) == pytest.approx(float(gd[0]), rel=1e-9)
    np.testing.assert_allclose(iir.lfilter_zi(b, a), sps.lfilter_zi(sb, sa), rtol=1e-9)


def test_steady_state_of_an_ema_equals_scipys() -> None:
    lam = 0.97
    b, a = np.array([1.0 - lam]), np.array([1.0, -lam])
    np.testing.assert_allclose(iir.lfilter_zi(b, a), sps.lfilter_zi(b, a), rtol=1e-12)


def test_the_analysis_does_not_import_scipy_signal() -> None:
    code = "import sys, soleus.signal.analysis; print('scipy.signal' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
