"""Inbound path: capture bytes durably first, then decode and route each document."""

from __future__ import annotations

import hashlib
from typing import Any

from procurelink.domain.acknowledgment import FunctionalAck
from procurelink.domain.despatch import DespatchAdvice, ShipmentEvent
from procurelink.domain.document import Document
from procurelink.domain.events import DocumentReceived
from procurelink.domain.invoice import Invoice
from procurelink.domain.receipt import GoodsReceipt, QualityResult
from procurelink.domain.response import OrderResponse
from procurelink.errors import (
    DomainError,
    DuplicateMessage,
    InvalidDocument,
    ProcurelinkError,
)
from procurelink.ports.channel import (
    InboundChannel,
    InboundItem,
)
from procurelink.ports.codec import DecodeContext
from procurelink.ports.records import Job, RawMessage
from procurelink.services.acknowledgments import AcknowledgmentService
from procurelink.services.capture import (
    DECODE_JOB,
    CaptureResult,
    NoDocument,
    capture_archive,
    capture_one,
    unpackable,
)
from procurelink.services.context import Deps
from procurelink.services.documents import business_key, stored_document
from procurelink.services.functional_acks import FunctionalAckService
from procurelink.services.invoices import InvoiceService
from procurelink.services.quality import QualityService
from procurelink.services.receipts import ReceiptService
from procurelink.services.recording import exception_event, record_exception
from procurelink.services.shipments import ShipmentService

# Where they were defined before capture.py held the capture rules; importers keep working.
__all__ = [
    "DECODE_JOB",
    "CaptureResult",
    "IdempotencyConflict",
    "IntakeService",
    "NoDocument",
    "pull",
]


class IdempotencyConflict(DuplicateMessage):
    """The idempotency key was already used for different content."""

    code = "idempotency_conflict"


class IntakeService:
    def __init__(
        self,
        deps: Deps,
        acknowledgments: AcknowledgmentService,
        shipments: ShipmentService,
        functional_acks: FunctionalAckService | None = None,
        receipts: ReceiptService | None = None,
        invoices: InvoiceService | None = None,
        quality: QualityService | None = None,
    ) -> None:
        self._deps = deps
        self._acks = acknowledgments
        self._shipments = shipments
        self._functional = functional_acks or FunctionalAckService(deps)
        self._receipts = receipts or ReceiptService(deps)
        self._invoices = invoices or InvoiceService(deps)
        self._quality = quality or QualityService(deps)

    async def capture(
        self,
        item: InboundItem,
        idempotency_key: str | None = None,
        refusal: ProcurelinkError | None = None,
    ) -> CaptureResult:
        """Store the raw bytes and queue their decoding, in one transaction.

        Refused input (empty, oversized, an exact duplicate, or ``refusal`` decided by the
        channel) is still stored as evidence and opens an exception; it is not decoded.
        A repeated ``idempotency_key`` with the same bytes returns the first capture; with
        other bytes it is an IdempotencyConflict. A zip archive is kept as evidence and the
        files in it are captured as messages of their own, in the same transaction; one that
        crosses the partner's archive limits (a zip bomb) is refused as a whole.
        """
        deps = self._deps
        message_id = deps.new_id()
        sha = hashlib.sha256(item.body).hexdigest()
        async with deps.store.unit_of_work() as uow:
            if idempotency_key is not None:
                first = await uow.state.put_if_absent(
                    f"idempotency:{item.partner_id}:{idempotency_key}", f"{message_id} {sha}"
                )
                if first is not None:
                    first_id, first_sha = first.split(" ", 1)
                    if first_sha != sha:
                        raise IdempotencyConflict(
                            f"Idempotency-Key {idempotency_key!r} was used for other content "
                            f"(message {first_id})",
                            message_id=first_id,
                        )
                    return CaptureResult(first_id, accepted=True, duplicate_of=first_id)
            if refusal is None and unpackable(item):
                result = await capture_archive(deps, uow, item, message_id)
            else:
                result = await capture_one(deps, uow, item, message_id, refusal)
            await uow.commit()
        return result

    async def decode_job(self, job: Job) -> None:
        """Decode a captured message and route every document in it."""
        deps = self._deps
        message_id = str(job.payload["message_id"])
        async with deps.store.unit_of_work() as uow:
            message = await uow.messages.get(message_id)
        if message is None or message.partner_id is None:
            raise InvalidDocument(f"message {message_id} is gone or has no partner")
        profile = deps.partner(message.partner_id)
        codec = deps.router.codec(profile)
        ctx = DecodeContext(
            partner_id=profile.id,
            correlation_id=message.correlation_id or f"msg-{message.id}",
            message_id=message.id,
            options={
                **profile.codec.options,
                "uom_map": profile.uom_map,
                "mapping": profile.mapping.model_dump(),
                "received_on": message.received_at.date().isoformat(),
            },
        )
        documents: list[Document] = []
        error: ProcurelinkError | None = None
        try:
            documents = codec.decode(message.body, ctx)
        except ProcurelinkError as exc:
            error = exc
        # The outcome, a duplicate-interchange check and the functional acks, in one unit of
        # work: a decode error or a duplicate is refused there, and nothing is routed.
        if not await self._functional.settle(message, codec, ctx, documents, error):
            return
        for document in documents:
            await self._route(message, document)

    async def _route(self, message: RawMessage, document: Document) -> None:
        deps = self._deps
        key = business_key(document)
        async with deps.store.unit_of_work() as uow:
            twin = await uow.documents.find_by_business_key(document.partner_id, key)
            if twin is not None:
                error = DuplicateMessage(
                    f"{document.document_type} repeats document {twin.id} already received",
                    duplicate_of=twin.id,
                )
                await record_exception(
                    deps,
                    uow,
                    error,
                    partner_id=document.partner_id,
                    correlation_id=twin.correlation_id,
                    message_id=message.id,
                    document_id=twin.id,
                )
                await uow.commit()
                return
        handlers: dict[type[Document], Any] = {
            OrderResponse: self._acks.receive,
            DespatchAdvice: self._shipments.receive_despatch,
            ShipmentEvent: self._shipments.track,
            FunctionalAck: self._functional.receive,
            GoodsReceipt: self._receipts.receive,
            Invoice: self._invoices.receive,
            QualityResult: self._quality.receive,
        }
        handler = handlers.get(type(document))
        if handler is not None:
            try:
                await handler(message, document, key)
            except DomainError as exc:
                await self._refuse(message, exc, document)
                return
            await deps.bus.publish(
                DocumentReceived(
                    event_id=deps.new_id(),
                    occurred_at=deps.clock.now(),
                    correlation_id=document.correlation_id,
                    partner_id=document.partner_id,
                    order_number=getattr(document, "order_number", None),
                    data={
                        "document_type": document.document_type,
                        "document_id": document.document_id,
                        "message_id": message.id,
                    },
                )
            )
            return
        await self._refuse(
            message,
            InvalidDocument(
                f"{document.document_type} documents are not handled yet",
                document_type=document.document_type,
            ),
            document,
        )

    async def _refuse(
        self, message: RawMessage, error: ProcurelinkError, document: Document | None = None
    ) -> None:
        deps = self._deps
        order_number = getattr(document, "order_number", None) if document else None
        async with deps.store.unit_of_work() as uow:
            if document is not None:
                await uow.documents.add(stored_document(deps, document, message.id, None))
            exception_id = await record_exception(
                deps,
                uow,
                error,
                partner_id=message.partner_id,
                correlation_id=message.correlation_id,
                message_id=message.id,
                document_id=document.document_id if document else None,
                order_number=order_number,
            )
            await uow.commit()
        await deps.bus.publish(
            exception_event(
                deps,
                exception_id,
                error,
                message.correlation_id,
                partner_id=message.partner_id,
                order_number=order_number,
            )
        )


async def pull(intake: IntakeService, channel: InboundChannel) -> list[CaptureResult]:
    """Capture everything waiting at a polled source; confirm each item only afterwards."""
    results = []
    for item in await channel.poll():
        result = await intake.capture(item)
        await channel.acknowledge(item, result.accepted, result.reason)
        results.append(result)
    return results
