"""The shared deployment, started once for tests/deploy: PostgreSQL, two soleus
instances started together on its empty database, and Debian's nginx in front."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from deploy_harness import Deployment, Missing, deployment

from required import missing


@pytest.fixture(scope="session")
def deployed() -> Iterator[Deployment]:
    try:
        with deployment(instances=2) as running:
            yield running
    except Missing as error:
        missing(str(error))
