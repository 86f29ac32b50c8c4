"""Passkeys (WebAuthn through py_webauthn): register one on the account page, sign in
with it instead of a password.

The challenge travels with the browser as a signed, short-lived ``state`` (HMAC with the
install's secret), so any instance can finish what another began and nothing is kept in
process memory. The relying party is the host the person opened (checked against the
allowed hosts before any route runs).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import Any

from soleus.errors import NotFound, NotSignedIn, SoleusError
from soleus.services.accounts import audit, identity, limits
from soleus.services.accounts.actor import Actor
from soleus.services.context import Context
from soleus.store.accounts import passkeys as repo

Passkey = repo.Passkey
STATE_SECONDS = 120


@dataclass(frozen=True)
class Party:
    """The relying party: its id (a host name) and the page origin the browser reports."""

    rp_id: str
    origin: str


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _seal(secret: bytes, payload: dict[str, Any]) -> str:
    body = _b64(json.dumps(payload, sort_keys=True).encode())
    mac = hmac.new(secret, body.encode(), hashlib.sha256).hexdigest()
    return f"{body}.{mac}"


def _open(ctx: Context, secret: bytes, state: str, purpose: str) -> dict[str, Any]:
    body, _, mac = state.partition(".")
    good = hmac.new(secret, body.encode(), hashlib.sha256).hexdigest()
    if not mac or not hmac.compare_digest(mac, good):
        raise NotSignedIn("this passkey request is not valid; start again")
    try:
        payload: dict[str, Any] = json.loads(_unb64(body))
    except ValueError:
        raise NotSignedIn("this passkey request is not valid; start again") from None
    if payload.get("purpose") != purpose or payload.get("until", 0) < ctx.now().timestamp():
        raise NotSignedIn("this passkey request has expired; start again")
    return payload


def of(ctx: Context, actor: Actor) -> list[Passkey]:
    with ctx.store.begin() as conn:
        return repo.of_person(conn, person_id=actor.person_id)


def remove(ctx: Context, actor: Actor, credential_id: str, *, ip: str = "") -> None:
    with ctx.store.begin() as conn:
        if not repo.remove(conn, person_id=actor.person_id, credential_id=credential_id):
            raise NotFound("no such passkey")
        audit.record(
            conn,
            ctx,
            actor_id=actor.person_id,
            action="passkey.removed",
            target_id=actor.person_id,
            ip=ip,
        )


def registration_options(ctx: Context, actor: Actor, party: Party, secret: bytes) -> dict[str, Any]:
    """The options for ``navigator.credentials.create`` and the signed state."""
    from webauthn import generate_registration_options, options_to_json
    from webauthn.helpers.structs import (
        AuthenticatorSelectionCriteria,
        PublicKeyCredentialDescriptor,
        ResidentKeyRequirement,
    )

    existing = [PublicKeyCredentialDescriptor(id=_unb64(p.credential_id)) for p in of(ctx, actor)]
    options = generate_registration_options(
        rp_id=party.rp_id,
        rp_name="soleus",
        user_id=actor.person_id.encode(),
        user_name=actor.email,
        exclude_credentials=existing,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.REQUIRED
        ),
    )
    state = _seal(
        secret,
        {
            "purpose": "register",
            "person": actor.person_id,
            "challenge": _b64(options.challenge),
            "until": ctx.now().timestamp() + STATE_SECONDS,
        },
    )
    return {"options": json.loads(options_to_json(options)), "state": state}


def register(
    ctx: Context,
    actor: Actor,
    party: Party,
    secret: bytes,
    *,
    state: str,
    credential: dict[str, Any],
    name: str,
    ip: str = "",
) -> Passkey:
    from webauthn import verify_registration_response
    from webauthn.helpers.exceptions import WebAuthnException

    payload = _open(ctx, secret, state, "register")
    if payload["person"] != actor.person_id:
        raise NotSignedIn("this passkey request is someone else's; start again")
    try:
        verified = verify_registration_response(
            credential=credential,
            expected_challenge=_unb64(payload["challenge"]),
            expected_rp_id=party.rp_id,
            expected_origin=party.origin,
        )
    except (WebAuthnException, ValueError, KeyError, TypeError) as error:
        raise SoleusError(f"the passkey could not be checked: {error}") from None
    credential_id = _b64(verified.credential_id)
    name = name.strip()[:80] or "passkey"
    with ctx.store.begin() as conn:
        if repo.get(conn, credential_id=credential_id) is not None:
            raise SoleusError("this passkey is registered already")
        repo.add(
            conn,
            credential_id=credential_id,
            person_id=actor.person_id,
            public_key=verified.credential_public_key,
            sign_count=verified.sign_count,
            name=name,
            now=ctx.now(),
        )
        audit.record(
            conn,
            ctx,
            actor_id=actor.person_id,
            action="passkey.added",
            target_id=actor.person_id,
            ip=ip,
            detail={"name": name},
        )
    return Passkey(
        credential_id, actor.person_id, verified.credential_public_key, verified.sign_count, name
    )


def signin_options(ctx: Context, party: Party, secret: bytes) -> dict[str, Any]:
    """Options for ``navigator.credentials.get`` (any passkey of this site) and state."""
    from webauthn import generate_authentication_options, options_to_json

    options = generate_authentication_options(rp_id=party.rp_id)
    state = _seal(
        secret,
        {
            "purpose": "signin",
            "challenge": _b64(options.challenge),
            "until": ctx.now().timestamp() + STATE_SECONDS,
        },
    )
    return {"options": json.loads(options_to_json(options)), "state": state}


def sign_in(
    ctx: Context,
    party: Party,
    secret: bytes,
    *,
    state: str,
    credential: dict[str, Any],
    ip: str = "",
) -> str:
    """The person the passkey belongs to, after checking its signature (401 if not)."""
    from webauthn import verify_authentication_response
    from webauthn.helpers.exceptions import WebAuthnException

    limits.check(ctx, limits.address_limit(ctx, "signin", ip), what="too many sign-in attempts")
    payload = _open(ctx, secret, state, "signin")
    raw_id = credential.get("id") if isinstance(credential, dict) else None
    with ctx.store.begin() as conn:
        found = repo.get(conn, credential_id=raw_id) if isinstance(raw_id, str) else None
    if found is None:
        limits.hit(ctx, limits.address_limit(ctx, "signin", ip))
        raise NotSignedIn("this passkey is not known here")
    try:
        verified = verify_authentication_response(
            credential=credential,
            expected_challenge=_unb64(payload["challenge"]),
            expected_rp_id=party.rp_id,
            expected_origin=party.origin,
            credential_public_key=found.public_key,
            credential_current_sign_count=found.sign_count,
        )
    except (WebAuthnException, ValueError, KeyError, TypeError):
        limits.hit(ctx, limits.address_limit(ctx, "signin", ip))
        audit.record_alone(
            ctx,
            actor_id=None,
            action="signin.failed",
            target_id=found.person_id,
            ip=ip,
            detail={"how": "passkey"},
        )
        raise NotSignedIn("the passkey's signature did not check out") from None
    with ctx.store.begin() as conn:
        identity.load(conn, person_id=found.person_id)  # a disabled account: 401
        repo.used(
            conn,
            credential_id=found.credential_id,
            sign_count=verified.new_sign_count,
            now=ctx.now(),
        )
    return found.person_id
