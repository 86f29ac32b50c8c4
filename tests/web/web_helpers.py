"""Shared helpers of the web tests."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from soleus.domain.clock import FakeClock
from soleus.services.context import Context
from soleus.settings import Settings

NO_FLAGS = {"one_calf_swollen": "no", "breathless": "no", "heel_pop": "no", "no_tiptoe": "no"}


@dataclass
class Web:
    client: httpx.AsyncClient
    ctx: Context
    clock: FakeClock
    settings: Settings
    token: str

    @property
    def h(self) -> dict[str, str]:
        return {"X-CSRF-Token": self.token}

    async def post(self, path: str, body: Any) -> httpx.Response:
        return await self.client.post(path, json=body, headers=self.h)

    async def form(self, path: str, data: dict[str, str]) -> httpx.Response:
        return await self.client.post(path, data={"csrf_token": self.token, **data})

    async def pass_screen(self) -> None:
        r = await self.form("/screen", {"next": "/", **NO_FLAGS})
        assert r.status_code == 303
