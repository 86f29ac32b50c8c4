"""Invitation and reset mails through a real local SMTP server (aiosmtpd)."""

from __future__ import annotations

import dataclasses
import socket
from collections.abc import Iterator
from email import message_from_bytes
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from tests.services.accounts.acc_helpers import PASSWORD, clinic, token_of

from soleus.services.accounts import links, signin
from soleus.services.context import Context


class Inbox:
    def __init__(self) -> None:
        self.mails: list[tuple[str, list[str], Message]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.mails.append(
            (envelope.mail_from, envelope.rcpt_tos, message_from_bytes(envelope.content))
        )
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def _with_smtp(ctx: Context, port: int) -> Context:
    settings = dataclasses.replace(
        ctx.settings,
        smtp_host="127.0.0.1",
        smtp_port=port,
        smtp_from="clinic@example.org",
        public_url="https://soleus.example.org",
    )
    return Context(settings, ctx.store, ctx.clock)


def test_invitation_and_reset_are_mailed_with_the_working_link(
    ctx: Context, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    mailing = _with_smtp(ctx, port)
    c = clinic(mailing)
    issued = links.invite(mailing, c.admin, email="new@example.org", role="clinician", org="Clinic")
    assert issued.mailed
    sender, to, mail = inbox.mails[-1]
    assert (sender, to) == ("clinic@example.org", ["new@example.org"])
    assert "Clinic" in mail["Subject"]
    body = mail.get_payload(decode=True).decode()  # type: ignore[union-attr]
    assert issued.url in body and issued.url.startswith("https://soleus.example.org/invite/")
    links.accept(mailing, token_of(issued.url), password=PASSWORD)
    reset = links.reset_link(mailing, c.admin, email="new@example.org")
    assert reset.mailed and reset.url in inbox.mails[-1][2].get_payload(decode=True).decode()  # type: ignore[union-attr]
    links.reset(mailing, token_of(reset.url), password="another good password")
    signin.sign_in(mailing, "new@example.org", "another good password", signin.Client())


def test_an_unreachable_server_still_gives_the_working_link_and_says_why(ctx: Context) -> None:
    c = clinic(ctx)
    broken = _with_smtp(ctx, _free_port())  # nobody listens there
    issued = links.invite(broken, c.admin, email="x@example.org", role="patient", org="Clinic")
    assert not issued.mailed
    assert issued.mail_error.startswith("could not send the mail to x@example.org:")
    links.accept(broken, token_of(issued.url), password=PASSWORD)


def test_without_smtp_nothing_is_mailed(ctx: Context) -> None:
    c = clinic(ctx)
    assert not links.invite(
        ctx, c.admin, email="x@example.org", role="patient", org="Clinic"
    ).mailed
