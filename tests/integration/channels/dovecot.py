"""A real Dovecot IMAP server for the e-mail channel's tests (ARCHITECTURE.md §7).

The server itself is ``procurelink.entrypoints.demo.mailserver`` (the demo runs the same
one): a generated configuration, loopback, a free port, run as ``nobody`` under root. This
module adds the test accounts, the skip-or-fail rule and the supplier's side through imaplib.

Without Dovecot the tests skip with a loud reason on a laptop and fail under ``CI=true``.
"""

from __future__ import annotations

import asyncio
import imaplib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

import pytest

from procurelink.entrypoints.demo.mailserver import (
    DOVECOT,
    INSTALL_HINT,
    Dovecot,
    dovecot_installed,
    free_port,
)
from procurelink.entrypoints.demo.mailserver import run_dovecot as run_server

__all__ = ["Dovecot", "free_port"]

# name -> password; the fixture creates exactly these accounts.
USERS = {"orders@acme.test": "imap-secret", "other@acme.test": "other-secret"}


def require_dovecot() -> None:
    if dovecot_installed():
        return
    reason = (
        f"{DOVECOT} is missing: install Debian's dovecot-imapd "
        f"({INSTALL_HINT}) to run the e-mail channel tests"
    )
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


@contextmanager
def run_dovecot() -> Iterator[Dovecot]:
    require_dovecot()
    with run_server(USERS) as server:
        yield server


# --- the supplier's side, through the standard library's imaplib -------------------------
# Independent of the channel under test: what it sees is what any mail client would see.

SUPPLIER = "sales@supplier.test"
MAILBOX_USER = "orders@acme.test"


def supplier_mail(
    attachments: dict[str, bytes],
    *,
    sender: str = SUPPLIER,
    subject: str = "Order response",
    message_id: str | None = None,
) -> bytes:
    message = EmailMessage()
    message["From"] = f"Supplier Sales <{sender}>"
    message["To"] = MAILBOX_USER
    message["Subject"] = subject
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = message_id or make_msgid(domain="supplier.test")
    message.set_content("Please find our documents attached.\n")
    for name, body in attachments.items():
        message.add_attachment(body, maintype="application", subtype="octet-stream", filename=name)
    # CRLF, as on the wire (imaplib would convert bare LFs anyway).
    return message.as_bytes(policy=policy.SMTP)


class Mailbox:
    """One account on the test Dovecot, driven with imaplib."""

    def __init__(self, server: Dovecot, user: str = MAILBOX_USER) -> None:
        self._server = server
        self._user = user

    def _connect(self) -> imaplib.IMAP4:
        client = imaplib.IMAP4(self._server.host, self._server.port, timeout=5)
        client.login(self._user, USERS[self._user])
        return client

    async def create(self, *folders: str) -> None:
        def run() -> None:
            with self._connect() as client:
                for folder in folders:
                    client.create(f'"{folder}"')

        await asyncio.to_thread(run)

    async def append(self, folder: str, raw: bytes, flags: str = "") -> None:
        def run() -> None:
            with self._connect() as client:
                status, data = client.append(f'"{folder}"', flags, None, raw)
                assert status == "OK", data

        await asyncio.to_thread(run)

    async def messages(self, folder: str) -> list[EmailMessage]:
        def run() -> list[EmailMessage]:
            with self._connect() as client:
                status, _ = client.select(f'"{folder}"', readonly=True)
                if status != "OK":
                    return []
                _, data = client.uid("SEARCH", "ALL")
                found = []
                for uid in data[0].split():
                    _, parts = client.uid("FETCH", uid, "(BODY.PEEK[])")
                    raw = parts[0][1] if isinstance(parts[0], tuple) else b""
                    parsed = message_from_bytes(raw, policy=policy.default)
                    assert isinstance(parsed, EmailMessage)
                    found.append(parsed)
                return found

        return await asyncio.to_thread(run)

    async def attachment_names(self, folder: str) -> list[str]:
        return sorted(
            str(part.get_filename())
            for message in await self.messages(folder)
            for part in message.iter_attachments()
        )
