"""Security that holds even on localhost: Host check, body limits, headers, CSRF tokens.

All of it is stateless: the CSRF token is a random nonce signed with a per-install
secret, so any instance that shares the secret (``SOLEUS_WEB_SECRET``, the ``secret_file``
setting, or a file in the data dir) accepts it and nothing lives in process memory.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from soleus.errors import SoleusError

MIB = 1024 * 1024
DEFAULT_BODY_LIMIT = 1 * MIB
IMPORT_BODY_LIMIT = 20 * MIB

SECURITY_HEADERS: list[tuple[bytes, bytes]] = [
    (
        b"content-security-policy",
        b"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        b"media-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
        b"frame-ancestors 'none'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]


class BodyTooLarge(Exception):
    """The request body is over the limit for its path."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"request body is larger than {limit // 1024} KiB")
        self.limit = limit


def allowed_hosts_for(bind_host: str, extra: Iterable[str] = ()) -> frozenset[str]:
    """Host names a request may carry: the bound host, localhost and loopback addresses."""
    hosts = {"localhost", "127.0.0.1", "[::1]", "::1", bind_host.lower()}
    if bind_host in ("0.0.0.0", "::"):
        hosts.discard(bind_host)
    hosts.update(h.strip().lower() for h in extra if h.strip())
    return frozenset(hosts)


def host_name(header: str) -> str:
    """The name part of a Host header (no port), lower case."""
    header = header.strip().lower()
    if header.startswith("["):
        end = header.find("]")
        return header[: end + 1] if end > 0 else header
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


def _json_error(status: int, message: str) -> tuple[Message, Message]:
    body = json.dumps({"error": message}).encode()
    start: Message = {
        "type": "http.response.start",
        "status": status,
        "headers": [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            *SECURITY_HEADERS,
        ],
    }
    return start, {"type": "http.response.body", "body": body}


class SecurityMiddleware:
    """Pure ASGI: refuse foreign Host headers, cap bodies, add security headers."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        allowed_hosts: frozenset[str],
        body_limit: Callable[[str], int] = lambda path: DEFAULT_BODY_LIMIT,
    ) -> None:
        self.app = app
        self.allowed_hosts = allowed_hosts
        self.body_limit = body_limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        host = ""
        length: int | None = None
        for name, value in scope["headers"]:
            if name == b"host":
                host = value.decode("latin-1")
            elif name == b"content-length":
                try:
                    length = int(value)
                except ValueError:
                    length = -1
        if "*" not in self.allowed_hosts and host_name(host) not in self.allowed_hosts:
            for message in _json_error(400, f"host {host!r} is not allowed here"):
                await send(message)
            return
        limit = self.body_limit(scope["path"])
        if length is not None and (length < 0 or length > limit):
            if length < 0:
                messages = _json_error(400, "bad Content-Length header")
            else:
                messages = _json_error(413, f"request body is larger than {limit // 1024} KiB")
            for message in messages:
                await send(message)
            return

        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers.extend(h for h in SECURITY_HEADERS if h[0] not in present)
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, limited_receive, send_with_headers)


MIN_SECRET = 32  # characters a configured secret file must hold


def load_secret(
    data_dir: Path, env: Mapping[str, str] | None = None, *, secret_file: str = ""
) -> bytes:
    """The signing secret every instance shares: ``SOLEUS_WEB_SECRET``, else the
    configured ``secret_file`` (it must exist: instances on several machines must not
    each invent their own), else a 0600 file in the data dir, made on first use."""
    env = os.environ if env is None else env
    if env.get("SOLEUS_WEB_SECRET"):
        return env["SOLEUS_WEB_SECRET"].encode()
    if secret_file:
        return _read_secret_file(Path(secret_file).expanduser())
    path = data_dir / "web-secret"
    try:
        return path.read_bytes().strip()
    except FileNotFoundError:
        pass
    data_dir.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_hex(32).encode()
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another instance won the race
        return path.read_bytes().strip()
    with os.fdopen(fd, "wb") as out:
        out.write(secret)
    return secret


def _read_secret_file(path: Path) -> bytes:
    try:
        secret = path.read_bytes().strip()
    except OSError as error:
        raise SoleusError(
            f"secret_file {path}: cannot read it ({error.strerror}); make one with"
            f" `openssl rand -hex 32 > {path}` and give every instance the same file"
        ) from None
    if len(secret) < MIN_SECRET:
        raise SoleusError(
            f"secret_file {path}: holds {len(secret)} characters, at least {MIN_SECRET}"
            f" are needed (`openssl rand -hex 32 > {path}`)"
        )
    return secret


class CsrfTokens:
    """Signed, stateless CSRF tokens: ``<nonce>.<hmac(secret, nonce)>``."""

    def __init__(self, secret: bytes) -> None:
        self._secret = secret

    def _sign(self, nonce: str) -> str:
        return hmac.new(self._secret, nonce.encode(), hashlib.sha256).hexdigest()[:32]

    def issue(self) -> str:
        nonce = secrets.token_urlsafe(12)
        return f"{nonce}.{self._sign(nonce)}"

    def valid(self, token: str | None) -> bool:
        if not token or token.count(".") != 1:
            return False
        nonce, signature = token.split(".")
        return hmac.compare_digest(signature, self._sign(nonce))
