"""E-mail channel: purchase orders out over SMTP, supplier documents in from an IMAP mailbox.

State lives on the IMAP server, never on our disk: a message waits in the mailbox until every
item taken from it is acknowledged, then moves to the processed folder (all accepted) or the
error folder (any refused). A crash before that leaves the message where it was, so it is
captured again on the next poll (intake recognises the repeat by its hash): nothing is lost,
nothing is confirmed before capture. The acknowledgments of a half-acknowledged message are
kept in memory only; after a restart the whole message is simply offered again.

What the mailbox holds besides this supplier's mail:
- mail from other senders belongs to another profile (or a person) and is left untouched,
  unless ``unmatched_folder`` is set for a mailbox dedicated to this supplier;
- drafts (\\Draft) are unfinished mail: e-mail's "partial file", never captured;
- \\Deleted messages are on their way out and are skipped.
The \\Seen flag is not used as state: a person reading the shared mailbox must not make a
supplier's document invisible to procurelink. Captured mail is marked \\Seen when moved.
"""

from __future__ import annotations

import asyncio
import logging
import ssl
from dataclasses import dataclass, field
from datetime import UTC, datetime

import aiosmtplib

from procurelink.adapters.channels.email.errors import network_error, smtp_error
from procurelink.adapters.channels.email.imap_session import ImapSession, imap_session
from procurelink.adapters.channels.email.messages import (
    ItemRef,
    MessageRef,
    Origin,
    is_from_supplier,
    items_from_message,
    outbound_message,
    oversized_message_item,
)
from procurelink.adapters.channels.email.settings import (
    EmailSettings,
    ImapSettings,
    SmtpSettings,
    TlsMode,
)
from procurelink.errors import ConfigurationError
from procurelink.ports.channel import DeliveryReceipt, InboundItem, OutboundPayload

log = logging.getLogger(__name__)

# Only what sender matching needs: the bodies of other suppliers' mail are never downloaded.
_HEADS = "(UID RFC822.SIZE BODY.PEEK[HEADER.FIELDS (FROM)])"


@dataclass
class _Acks:
    """Acknowledgments received so far for the items of one message."""

    count: int
    accepted: dict[int, bool] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        return len(self.accepted) >= self.count


class EmailChannel:
    name = "email"

    def __init__(self, partner_id: str, settings: EmailSettings) -> None:
        self._partner_id = partner_id
        self._settings = settings
        self._acks: dict[MessageRef, _Acks] = {}
        # UIDNEXT at the last poll: mail that arrived since then wakes wait_for_mail at once.
        self._uidnext: int | None = None

    # --- outbound -------------------------------------------------------------------------

    async def send(self, payload: OutboundPayload) -> DeliveryReceipt:
        smtp = self._smtp()
        from_address = self._settings.from_address
        if from_address is None:
            raise ConfigurationError(f"partner {self._partner_id}: e-mail channel has no sender")
        message = outbound_message(payload, self._settings, from_address)
        recipients = [*self._settings.to_addresses, *self._settings.cc_addresses]
        server = f"{smtp.host}:{smtp.effective_port}"
        try:
            refused, answer = await aiosmtplib.send(
                message,
                sender=from_address,
                recipients=recipients,
                hostname=smtp.host,
                port=smtp.effective_port,
                username=smtp.username,
                password=smtp.password.get_secret_value() if smtp.password else None,
                use_tls=smtp.tls is TlsMode.SSL,
                start_tls=smtp.tls is TlsMode.STARTTLS,
                tls_context=_tls_context(smtp),
                timeout=smtp.timeout_seconds,
            )
        except aiosmtplib.SMTPException as exc:
            raise smtp_error(server, exc) from exc
        except (OSError, TimeoutError) as exc:
            raise network_error("SMTP", server, exc) from exc
        details: dict[str, object] = {
            "message_id": message["Message-ID"],
            "recipients": [r for r in recipients if r not in refused],
            "response": answer,
        }
        if refused:
            # Some recipients took the mail: sending again would duplicate it for them.
            details["refused"] = {r: f"{v.code} {v.message}" for r, v in refused.items()}
            log.warning("SMTP %s refused some recipients: %s", server, details["refused"])
        return DeliveryReceipt(self.name, ", ".join(recipients), datetime.now(UTC), details)

    # --- inbound --------------------------------------------------------------------------

    async def poll(self) -> list[InboundItem]:
        imap = self._imap()
        async with imap_session(imap) as session:
            selected = await session.select(imap.mailbox)
            self._uidnext = selected.uidnext
            await self._finish_acknowledged(session, selected.uidvalidity)
            uids = await session.search("UNDELETED UNDRAFT")
            heads = await session.fetch(uids, _HEADS)
            ours = {h.uid: is_from_supplier(h.literal, self._settings) for h in heads}
            mine = [h for h in heads if ours[h.uid]]
            others = [uid for uid, is_ours in ours.items() if not is_ours]
            if imap.unmatched_folder and others:
                await session.move(others, imap.unmatched_folder)
            items: list[InboundItem] = []
            for head in mine[: self._settings.max_messages_per_poll]:
                ref = MessageRef(selected.uidvalidity, head.uid)
                new = await self._items(session, ref, head.size)
                done = self._acks.get(ref)
                items.extend(
                    i
                    for i in new
                    if done is None or ItemRef.parse(i.handle).index not in done.accepted
                )
        return items

    async def _items(
        self, session: ImapSession, ref: MessageRef, size: int | None
    ) -> list[InboundItem]:
        origin = Origin(self._partner_id, self.name, self._imap().mailbox, datetime.now(UTC))
        settings = self._settings
        if size is not None and size > settings.max_message_bytes:
            fetched = await session.fetch([ref.uid], "(UID BODY.PEEK[HEADER])")
            return [oversized_message_item(f.literal, size, ref, origin, settings) for f in fetched]
        fetched = await session.fetch([ref.uid], "(UID BODY.PEEK[])")
        # Empty when another client expunged the message between SEARCH and FETCH.
        return [i for f in fetched for i in items_from_message(f.literal, ref, origin, settings)]

    def _acknowledged(self, item: InboundItem) -> bool:
        # Items of a half-acknowledged message are not offered twice by this process.
        ref = ItemRef.parse(item.handle)
        acks = self._acks.get(ref.message)
        return acks is not None and ref.index in acks.accepted

    async def acknowledge(
        self, item: InboundItem, accepted: bool, reason: str | None = None
    ) -> None:
        ref = ItemRef.parse(item.handle)
        acks = self._acks.setdefault(ref.message, _Acks(ref.count))
        # Refused once stays refused: a second, positive acknowledgment cannot clear it.
        acks.accepted[ref.index] = accepted and acks.accepted.get(ref.index, True)
        if not accepted:
            log.info("e-mail item %s refused: %s", item.filename, reason or "no reason given")
        if not acks.complete:
            return
        imap = self._imap()
        async with imap_session(imap) as session:
            selected = await session.select(imap.mailbox)
            await self._finish_acknowledged(session, selected.uidvalidity)

    async def _finish_acknowledged(self, session: ImapSession, uidvalidity: int) -> None:
        """Move every fully acknowledged message out of the mailbox.

        Also run at each poll, so a move that failed (server briefly down) is retried rather
        than leaving a captured message stuck in the mailbox.
        """
        imap = self._imap()
        for ref, acks in list(self._acks.items()):
            if ref.uidvalidity != uidvalidity:
                # The server renumbered the mailbox: the UID may now be another message.
                # Leave it; the message is offered again and intake knows it already.
                log.warning("mailbox %s was renumbered; %s stays", imap.mailbox, ref)
                del self._acks[ref]
                continue
            if not acks.complete:
                continue
            ok = all(acks.accepted.values())
            await session.add_flags([ref.uid], r"(\Seen)")
            await session.move([ref.uid], imap.processed_folder if ok else imap.error_folder)
            del self._acks[ref]

    # Waiting out ``timeout`` is the normal "no mail" answer, not a cancellation, so it is a
    # parameter rather than the caller's asyncio.timeout.
    async def wait_for_mail(self, timeout: float) -> bool:  # noqa: ASYNC109
        """Return when new mail may be there (True) or after ``timeout`` seconds (False).

        Uses IMAP IDLE when the server offers it; otherwise sleeps, and the caller polls
        anyway. Mail that arrived since the last poll returns True at once.
        """
        imap = self._imap()
        async with imap_session(imap) as session:
            selected = await session.select(imap.mailbox)
            if self._uidnext is None or (selected.uidnext or 0) > self._uidnext:
                return True
            if "IDLE" in session.capabilities:
                return await session.idle(timeout)
        await asyncio.sleep(timeout)
        return False

    # --- settings -------------------------------------------------------------------------

    def _imap(self) -> ImapSettings:
        if self._settings.imap is None:
            raise ConfigurationError(f"partner {self._partner_id}: e-mail channel has no imap")
        return self._settings.imap

    def _smtp(self) -> SmtpSettings:
        if self._settings.smtp is None:
            raise ConfigurationError(f"partner {self._partner_id}: e-mail channel has no smtp")
        return self._settings.smtp


def _tls_context(settings: SmtpSettings) -> ssl.SSLContext | None:
    if settings.tls is TlsMode.PLAIN:
        return None
    return ssl.create_default_context(cafile=settings.ca_file)
