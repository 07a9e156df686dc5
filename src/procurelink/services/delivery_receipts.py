"""Delivery receipts that arrive after the send: asynchronous AS2 MDNs.

A positive, authentic receipt is recorded once (an effect keyed by the sent message, and an
audit entry): proof that the partner has the document. A negative one opens an exception
naming the partner's disposition: the partner refused what it received. A receipt that
proves nothing (bad signature, MIC mismatch) leaves the message waiting and opens an
exception, so a forged or broken MDN is visible rather than silently dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from procurelink.errors import PermanentError
from procurelink.ports.records import AuditEntry, Effect
from procurelink.services.context import Deps
from procurelink.services.recording import record_exception


class DeliveryRefused(PermanentError):
    """The partner's receipt says it did not accept the document (a negative MDN)."""

    code = "delivery_refused"


class ReceiptUntrusted(PermanentError):
    """A receipt arrived for our message but proves nothing (signature, MIC, answer)."""

    code = "receipt_untrusted"


@dataclass(frozen=True, slots=True)
class ReceiptNotice:
    """What a channel learnt about a message it sent earlier."""

    channel: str
    partner_id: str
    message_ref: str  # the channel's id of the sent message (the AS2 Message-ID)
    outbound_message_id: str | None  # our messages row
    positive: bool  # the partner says it has the document
    disposition: str
    problem: str | None = None  # why the receipt proves nothing; None when authentic
    details: dict[str, Any] = field(default_factory=dict)


class DeliveryReceiptService:
    def __init__(self, deps: Deps) -> None:
        self._deps = deps

    async def record(self, notice: ReceiptNotice) -> bool:
        """Record ``notice`` in one unit of work; ``False`` if it was already recorded."""
        deps = self._deps
        now = deps.clock.now()
        sent_ref = notice.outbound_message_id or notice.message_ref
        async with deps.store.unit_of_work() as uow:
            message = (
                await uow.messages.get(notice.outbound_message_id)
                if notice.outbound_message_id
                else None
            )
            correlation_id = message.correlation_id if message else None
            what = message.filename if message and message.filename else notice.message_ref
            if notice.problem is not None:
                await record_exception(
                    deps,
                    uow,
                    ReceiptUntrusted(
                        f"{notice.channel} receipt for {what} from {notice.partner_id} "
                        f"proves nothing: {notice.problem}",
                        message_ref=notice.message_ref,
                    ),
                    partner_id=notice.partner_id,
                    correlation_id=correlation_id,
                    message_id=notice.outbound_message_id,
                )
                await uow.commit()
                return True
            if not await uow.effects.record(
                Effect(
                    key=f"receipt:{notice.channel}:{sent_ref}",
                    kind="delivery_receipt",
                    applied_at=now,
                    correlation_id=correlation_id,
                    result={
                        "channel": notice.channel,
                        "message_ref": notice.message_ref,
                        "positive": notice.positive,
                        "disposition": notice.disposition,
                        **notice.details,
                    },
                )
            ):
                return False
            await uow.audit.append(
                AuditEntry(
                    at=now,
                    actor=notice.partner_id,
                    action="delivery_receipt",
                    correlation_id=correlation_id,
                    subject=f"{notice.channel} receipt for {what}: {notice.disposition}",
                    after={"message_id": notice.outbound_message_id, **notice.details},
                )
            )
            if not notice.positive:
                await record_exception(
                    deps,
                    uow,
                    DeliveryRefused(
                        f"{notice.partner_id} did not accept {what}: {notice.disposition}",
                        message_ref=notice.message_ref,
                        disposition=notice.disposition,
                    ),
                    partner_id=notice.partner_id,
                    correlation_id=correlation_id,
                    message_id=notice.outbound_message_id,
                )
            await uow.commit()
        return True
