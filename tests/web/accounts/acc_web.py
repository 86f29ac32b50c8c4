"""What the accounts-mode web tests share: the site, its CSRF token, signing in."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

import httpx

from soleus.domain.clock import FakeClock
from soleus.services.context import Context

sys.path.insert(0, str(Path(__file__).parents[2] / "services" / "accounts"))
from tests.services.accounts.acc_helpers import PASSWORD, Clinic, clinic

__all__ = ["PASSWORD", "Clinic", "Site", "clinic", "csrf_of", "form_of", "sign_in"]


@dataclass
class Site:
    ctx: Context
    clock: FakeClock
    app: object

    def client(self, base: str = "http://127.0.0.1:8000") -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=self.app, raise_app_exceptions=False)  # type: ignore[arg-type]
        return httpx.AsyncClient(transport=transport, base_url=base)


def csrf_of(html: str) -> str:
    match = re.search(r'<meta name="csrf-token" content="([^"]+)"', html)
    assert match, html[:300]
    return match[1]


def form_of(html: str) -> dict[str, str]:
    """The hidden fields of the sign-in form: its CSRF token and its sign-in check."""
    match = re.search(r'name="signin_check" value="([^"]+)"', html)
    assert match, html[:300]
    return {"csrf_token": csrf_of(html), "signin_check": match[1]}


async def sign_in(client: httpx.AsyncClient, email: str, password: str = PASSWORD) -> str:
    """Sign in through the form; the CSRF token of the page it lands on."""
    page = await client.get("/signin")
    r = await client.post(
        "/signin",
        data={**form_of(page.text), "email": email, "password": password, "next": "/"},
    )
    assert r.status_code == 303, r.text[:300]
    home = await client.get("/", follow_redirects=True)  # a newcomer: the welcome first
    assert home.status_code == 200
    return csrf_of(home.text)
