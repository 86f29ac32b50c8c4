"""Import an export sent as text (the web upload), through the same reader as the CLI."""

from __future__ import annotations

from soleus.services import transfer
from soleus.services.context import Context


def import_text(ctx: Context, text: str, *, name: str = "upload") -> dict[str, int]:
    """Validate the whole export first, then add it in one transaction; counts what was added."""
    return transfer.import_export(ctx, transfer.parse_text(text, where=name))
