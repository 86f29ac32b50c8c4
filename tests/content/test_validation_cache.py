"""Validators are built once per type: a stored plan is validated on every saved set
that misses the plan cache, and building a pydantic validator costs ~10 ms."""

from __future__ import annotations

import pytest

from soleus.content import _adapter, validate
from soleus.domain.routine import StoredPlan
from soleus.errors import SoleusError


def test_a_types_validator_is_built_once() -> None:
    assert _adapter(StoredPlan) is _adapter(StoredPlan)


def test_errors_still_name_the_place() -> None:
    with pytest.raises(SoleusError, match=r"^session s1: "):
        validate(StoredPlan, {"format": "nonsense"}, text="", where="session s1")
