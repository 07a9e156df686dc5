"""Asynchronous MDNs: remembering what was sent, and matching the MDN that comes back later.

With ``mdn_mode: async`` the partner answers on a separate POST to our ``mdn_url``, minutes or
hours later. The channel records a ``SentMessage`` before it POSTs (the MDN may come back
before ``send`` returns); ``AsyncMdnProcessor`` verifies the MDN with the partner's
certificates, checks the MIC and resolves the record. ``StorePendingMdns`` keeps the records
in the MessageStore (``pending_receipts``), so an MDN arriving after a restart is still
matched; ``MemoryPendingMdns`` serves tests of the protocol itself.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from procurelink.adapters.channels.as2.credentials import Credentials
from procurelink.adapters.channels.as2.messages import SentMessage
from procurelink.adapters.channels.as2.receipts import MdnReport, original_message_id, verify_mdn
from procurelink.ports.records import PendingReceipt
from procurelink.ports.store import MessageStore

log = logging.getLogger(__name__)


class PendingMdns(Protocol):
    async def add(self, sent: SentMessage) -> None: ...

    async def get(self, message_id: str) -> SentMessage | None: ...

    async def resolve(self, message_id: str) -> None:
        """The MDN for this message arrived and verified: forget it."""
        ...


class MemoryPendingMdns:
    def __init__(self) -> None:
        self._sent: dict[str, SentMessage] = {}

    async def add(self, sent: SentMessage) -> None:
        self._sent[sent.message_id] = sent

    async def get(self, message_id: str) -> SentMessage | None:
        return self._sent.get(message_id)

    async def resolve(self, message_id: str) -> None:
        self._sent.pop(message_id, None)

    def waiting(self) -> list[str]:
        return sorted(self._sent)


CHANNEL = "as2"


class StorePendingMdns:
    """Messages awaiting an MDN, in the store: they survive a restart of procurelink."""

    def __init__(
        self, store: MessageStore, clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    ) -> None:
        self._store = store
        self._clock = clock

    async def add(self, sent: SentMessage) -> None:
        async with self._store.unit_of_work() as uow:
            await uow.pending_receipts.add(
                PendingReceipt(
                    channel=CHANNEL,
                    message_ref=sent.message_id,
                    partner_id=sent.partner_id,
                    sent_at=sent.sent_at,
                    data={"mic": sent.mic, "mic_algorithm": sent.mic_algorithm},
                    outbound_message_id=sent.reference,
                )
            )
            await uow.commit()

    async def get(self, message_id: str) -> SentMessage | None:
        async with self._store.unit_of_work() as uow:
            found = await uow.pending_receipts.get(CHANNEL, message_id)
        if found is None or found.resolved_at is not None:
            return None
        return SentMessage(
            partner_id=found.partner_id,
            message_id=found.message_ref,
            mic=found.data.get("mic"),
            mic_algorithm=found.data.get("mic_algorithm"),
            sent_at=found.sent_at,
            reference=found.outbound_message_id,
        )

    async def resolve(self, message_id: str) -> None:
        async with self._store.unit_of_work() as uow:
            await uow.pending_receipts.resolve(CHANNEL, message_id, self._clock())
            await uow.commit()

    async def waiting(self) -> list[str]:
        async with self._store.unit_of_work() as uow:
            return [p.message_ref for p in await uow.pending_receipts.waiting(CHANNEL)]


@dataclass(frozen=True, slots=True)
class AsyncMdnResult:
    """What an async MDN POST said, once checked. ``sent`` is None for unknown messages."""

    sent: SentMessage | None
    report: MdnReport | None
    problem: str | None  # why the MDN was not accepted as proof (forged, unknown, ...)

    @property
    def delivered(self) -> bool:
        return self.problem is None and self.report is not None and self.report.positive


OnMdn = Callable[[AsyncMdnResult], Awaitable[None]]


class AsyncMdnProcessor:
    """Verifies async MDNs and matches them to the messages waiting for one."""

    def __init__(
        self,
        credentials: Mapping[str, Credentials],
        pending: PendingMdns,
        on_mdn: OnMdn | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._credentials = credentials  # by procurelink partner id
        self._pending = pending
        self._on_mdn = on_mdn
        self._clock = clock

    async def process(self, raw: bytes) -> AsyncMdnResult:
        """Check one MDN (HTTP headers and body, as one MIME document)."""
        message_id = original_message_id(raw)
        sent = await self._pending.get(message_id) if message_id else None
        if sent is None:
            return AsyncMdnResult(None, None, f"no message {message_id} is waiting for an MDN")
        creds = self._credentials.get(sent.partner_id)
        if creds is None:
            return AsyncMdnResult(sent, None, f"partner {sent.partner_id} has no AS2 settings")
        report = await asyncio.to_thread(verify_mdn, creds, raw, sent, self._clock())
        # An authentic MDN settles the message either way (a negative one too); one that
        # proves nothing leaves it waiting, for the genuine MDN or a person to look.
        result = AsyncMdnResult(sent, report, report.problem)
        if report.problem is None:
            await self._pending.resolve(sent.message_id)
        else:
            log.warning(
                "as2 async MDN not accepted: %s",
                report.problem,
                extra={"partner_id": sent.partner_id, "message_id": sent.message_id},
            )
        if self._on_mdn is not None:
            await self._on_mdn(result)
        return result
