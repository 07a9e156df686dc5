"""The channel contract suites against the e-mail channel, a real Dovecot and an SMTP sink.

The supplier's side: a document "placed" is an e-mail from the supplier's address with the
document attached, appended to the mailbox over IMAP (APPEND is atomic, exactly like a
delivery). A "partial" document is the same e-mail still being written, i.e. flagged \\Draft:
it must not be captured. "Archived" and "refused" are the attachments of the e-mails moved
to the processed and error folders.
"""

from __future__ import annotations

import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from channel_contract import (
    InboundChannelContract,
    OutboundChannelContract,
    UnreachableOutboundContract,
)

from procurelink.adapters.channels.email.channel import EmailChannel
from procurelink.adapters.channels.email.settings import (
    EmailSettings,
    ImapSettings,
    SmtpSettings,
)

# The Dovecot and SMTP fixtures are shared with tests/integration/channels.
sys.path.insert(0, str(Path(__file__).parents[2] / "integration" / "channels"))

from dovecot import (
    MAILBOX_USER,
    SUPPLIER,
    USERS,
    Dovecot,
    Mailbox,
    free_port,
    run_dovecot,
    supplier_mail,
)
from smtp_sink import SmtpSink, run_smtp_sink


@pytest.fixture(scope="module")
def dovecot() -> Iterator[Dovecot]:
    with run_dovecot() as server:
        yield server


@pytest.fixture
def sink() -> Iterator[SmtpSink]:
    with run_smtp_sink() as server:
        yield server


class EmailPeer:
    def __init__(self, mailbox: Mailbox, folder: str, sink: SmtpSink) -> None:
        self.mailbox, self.folder, self.sink = mailbox, folder, sink

    async def delivered(self) -> dict[str, bytes]:
        return self.sink.attachments()

    async def place(self, name: str, body: bytes) -> None:
        await self.mailbox.append(self.folder, supplier_mail({name: body}))

    async def place_partial(self, name: str, body: bytes) -> None:
        await self.mailbox.append(self.folder, supplier_mail({name: body}), r"(\Draft)")

    async def archived(self) -> list[str]:
        return await self.mailbox.attachment_names(f"{self.folder}-processed")

    async def refused(self) -> list[str]:
        return await self.mailbox.attachment_names(f"{self.folder}-error")


@pytest.fixture
async def peer(dovecot: Dovecot, sink: SmtpSink) -> EmailPeer:
    # One folder per test keeps tests apart on one server.
    folder = f"in-{uuid.uuid4().hex[:8]}"
    mailbox = Mailbox(dovecot)
    await mailbox.create(folder)
    return EmailPeer(mailbox, folder, sink)


def imap_settings(dovecot: Dovecot, folder: str) -> ImapSettings:
    return ImapSettings(
        host=dovecot.host,
        port=dovecot.port,
        tls="plain",
        username=MAILBOX_USER,
        password=USERS[MAILBOX_USER],
        mailbox=folder,
        processed_folder=f"{folder}-processed",
        error_folder=f"{folder}-error",
        timeout_seconds=5,
    )


def smtp_settings(host: str, port: int) -> SmtpSettings:
    return SmtpSettings(host=host, port=port, tls="plain", timeout_seconds=5)


@pytest.fixture
def inbound(dovecot: Dovecot, peer: EmailPeer) -> EmailChannel:
    settings = EmailSettings(
        imap=imap_settings(dovecot, peer.folder),
        allowed_senders=(SUPPLIER,),
        # The suite counts one item per placed document; the whole-e-mail evidence item
        # (on by default) is covered in tests/integration/channels/test_email.py.
        keep_raw_message=False,
    )
    return EmailChannel("p1", settings)


def outbound_settings(smtp: SmtpSettings) -> EmailSettings:
    return EmailSettings(smtp=smtp, from_address="purchasing@acme.test", to_addresses=(SUPPLIER,))


@pytest.fixture
def outbound(sink: SmtpSink) -> EmailChannel:
    return EmailChannel("p1", outbound_settings(smtp_settings(sink.host, sink.port)))


@pytest.fixture
def unreachable() -> EmailChannel:
    return EmailChannel("p1", outbound_settings(smtp_settings("127.0.0.1", free_port())))


class TestEmailOutbound(OutboundChannelContract):
    pass


class TestEmailUnreachable(UnreachableOutboundContract):
    pass


class TestEmailInbound(InboundChannelContract):
    pass
