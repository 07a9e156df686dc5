"""Channels move bytes to and from partners and nothing else (ARCHITECTURE.md §5)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol, runtime_checkable


@dataclass(frozen=True, slots=True)
class OutboundPayload:
    partner_id: str
    filename: str
    content_type: str
    body: bytes
    correlation_id: str
    # Stable across retries: lets the receiver de-duplicate.
    idempotency_key: str
    metadata: Mapping[str, str] = field(default_factory=dict)


# Metadata keys dispatch sets on an OutboundPayload, for channels that show them to a person
# (an e-mail subject, a file name pattern).
META_ORDER_NUMBER = "order_number"  # the purchase order the document belongs to
META_DOCUMENT_TYPE = "document_type"  # e.g. purchase_order, functional_ack


@dataclass(frozen=True, slots=True)
class DeliveryReceipt:
    channel: str
    destination: str
    delivered_at: datetime
    details: Mapping[str, Any] = field(default_factory=dict)


# Metadata keys any channel may set on an InboundItem; intake acts on them. Everything else in
# the metadata is free-form evidence kept with the raw message.
META_REFUSAL = "refusal"  # the channel already knows the item must be refused: why
META_REFUSAL_CODE = "refusal_code"  # e.g. message_too_large
META_EVIDENCE_ONLY = "evidence_only"  # "true": keep as evidence (a whole e-mail), don't decode
META_NO_DOCUMENT = "no_document"  # "true": evidence of a message that carried no document


@dataclass(frozen=True, slots=True)
class InboundItem:
    """Bytes picked up from a partner, not yet acknowledged to the sender."""

    partner_id: str
    channel: str
    filename: str | None
    content_type: str
    body: bytes
    received_at: datetime
    # Opaque to services: what the channel needs to acknowledge this item later.
    handle: str
    metadata: Mapping[str, str] = field(default_factory=dict)


class OutboundChannel(Protocol):
    name: str

    async def send(self, payload: OutboundPayload) -> DeliveryReceipt:
        """Deliver or raise TransientError / PermanentError."""
        ...


class InboundChannel(Protocol):
    name: str

    async def poll(self) -> list[InboundItem]:
        """Items waiting at the partner's source, oldest first."""
        ...

    async def acknowledge(
        self, item: InboundItem, accepted: bool, reason: str | None = None
    ) -> None:
        """Confirm an item once durably captured (or refused): never before."""
        ...


@runtime_checkable
class MailNotifier(Protocol):
    """An inbound channel that can be told about new items instead of only polled (IMAP IDLE)."""

    # ``timeout`` is the normal "nothing came" answer, not a cancellation.
    async def wait_for_mail(self, timeout: float) -> bool:  # noqa: ASYNC109
        """True as soon as new items may be waiting, False after ``timeout`` seconds."""
        ...
