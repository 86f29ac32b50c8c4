"""Reading multipart/form-data bodies (file uploads from a page's form)."""

from __future__ import annotations

import re

from soleus.web.errors import ApiError

_BOUNDARY = re.compile(r'boundary="?([^";]+)"?', re.IGNORECASE)


def parse_multipart(body: bytes, content_type: str) -> dict[str, tuple[str | None, bytes]]:
    """Fields of a multipart/form-data body: name -> (file name or None, bytes)."""
    match = _BOUNDARY.search(content_type)
    if not match:
        raise ApiError(400, "multipart body without a boundary")
    delimiter = b"--" + match[1].encode("latin-1")
    fields: dict[str, tuple[str | None, bytes]] = {}
    for part in body.split(delimiter)[1:]:
        if part.startswith(b"--"):
            break
        head, sep, content = part.partition(b"\r\n\r\n")
        if not sep:
            raise ApiError(400, "malformed multipart body")
        if content.endswith(b"\r\n"):
            content = content[:-2]
        disposition = ""
        for line in head.decode("utf-8", "replace").split("\r\n"):
            if line.lower().startswith("content-disposition:"):
                disposition = line
        name = re.search(r'\bname="([^"]*)"', disposition)
        filename = re.search(r'\bfilename="([^"]*)"', disposition)
        if name:
            fields[name[1]] = (filename[1] if filename else None, content)
    return fields
