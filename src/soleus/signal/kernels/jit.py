"""How the kernels are compiled: numba, cached on disk, a float division never raises."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

import numba

_F = TypeVar("_F", bound=Callable[..., Any])


def inline(fn: _F) -> _F:
    # a helper, inlined where it is called
    return cast(_F, numba.njit(cache=True, error_model="numpy", inline="always")(fn))


def kernel(fn: _F) -> _F:
    # error_model="numpy": a float division never raises (every divisor is clamped)
    return cast(_F, numba.njit(cache=True, error_model="numpy")(fn))
