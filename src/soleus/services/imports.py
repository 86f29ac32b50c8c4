"""Import an export sent as text (the web upload), through the same reader as the CLI."""

from __future__ import annotations

import tempfile
from pathlib import Path

from soleus.services import transfer
from soleus.services.context import Context


def import_text(ctx: Context, text: str, *, name: str = "upload") -> dict[str, int]:
    """Validate the whole export first, then add it in one transaction; counts what was added."""
    with tempfile.TemporaryDirectory(prefix="soleus-import-") as tmp:
        path = Path(tmp) / name
        path.write_text(text, encoding="utf-8")
        export = transfer.read_file(path)
    return transfer.import_export(ctx, export)
