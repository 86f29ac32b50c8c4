"""What one signed-in request repeats: the config dir is looked at once, whoever asks."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from soleus.web import state

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize("path", ["/history", "/history?view=sets", "/account", "/api/stats"])
async def test_a_signed_in_request_lists_the_config_dir_once(
    as_a: tuple[httpx.AsyncClient, str], monkeypatch: pytest.MonkeyPatch, path: str
) -> None:
    client, _ = as_a
    listings: list[Path] = []
    real = state._content_signature

    def counted(config_dir: Path) -> tuple[tuple[str, int, int], ...]:
        listings.append(config_dir)
        return real(config_dir)

    monkeypatch.setattr(state, "_content_signature", counted)
    for n in (1, 2):
        r = await client.get(path)
        assert r.status_code == 200, r.text[:300]
        assert len(listings) == n  # the sign-in check and the route share one lookup
