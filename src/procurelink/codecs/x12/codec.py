"""X12Codec: the Codec port for ANSI X12 procurement sets (004010, 005010 on request).

Which set reads which canonical document is ``reading._DECODERS``; which set a document is
written as is ``_body`` below.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from procurelink.codecs.collector import collector_paused
from procurelink.codecs.x12 import (
    changeack865,
    dialect,
    funcack997,
    po850,
    po860,
    poack855,
    receiving861,
    schedule830,
    syntax_acks,
)
from procurelink.codecs.x12.functional_acks import functional_acks, generate_functional_acks
from procurelink.codecs.x12.reading import decode_set, read_sets
from procurelink.codecs.x12.syntax import Delimiters, raise_error
from procurelink.codecs.x12.units import UnitMap
from procurelink.codecs.x12.validation import ValidationReport, validate
from procurelink.codecs.x12.writer import EnvelopeSettings, write_interchange
from procurelink.domain.acknowledgment import FunctionalAck
from procurelink.domain.document import Document
from procurelink.domain.order import OrderChange, PurchaseOrder
from procurelink.domain.receipt import GoodsReceipt
from procurelink.domain.response import OrderResponse
from procurelink.domain.schedule import DeliverySchedule, ScheduleKind
from procurelink.errors import InvalidDocument
from procurelink.ports.codec import DecodeContext, EncodeContext, Encoded, Envelope

_UNSAFE_FILENAME = re.compile(r"[^A-Za-z0-9._-]")
CONTENT_TYPE = "application/edi-x12"


@dataclass(frozen=True, slots=True)
class SetBody:
    set_id: str
    functional_id: str
    number: str  # names the file
    segments: list[tuple[str, ...]]
    implementation: str = ""  # ST03


def _body(document: Document, units: UnitMap, sent_on: date, delimiters: Delimiters) -> SetBody:
    """The transaction set a canonical document is written as."""
    if isinstance(document, PurchaseOrder):
        return SetBody("850", "PO", document.order_number, po850.encode(document, units))
    if isinstance(document, OrderResponse) and document.responds_to == "order_change":
        body = changeack865.encode(document, units, sent_on)
        return SetBody("865", "CA", document.order_number, body)
    if isinstance(document, OrderResponse):
        return SetBody("855", "PR", document.order_number, poack855.encode(document, units))
    if isinstance(document, OrderChange):
        return SetBody("860", "PC", document.order_number, po860.encode(document, units, sent_on))
    if isinstance(document, GoodsReceipt):
        return SetBody("861", "RC", document.receipt_number, receiving861.encode(document, units))
    if isinstance(document, DeliverySchedule):
        set_id = "830" if document.kind == ScheduleKind.FORECAST else "862"
        segments = schedule830.encode(document, units)
        return SetBody(
            set_id, schedule830.FUNCTIONAL_IDS[set_id], document.schedule_number, segments
        )
    if isinstance(document, FunctionalAck) and document.ack_type in ("997", "999"):
        segments = funcack997.encode(document, delimiters)
        implementation = funcack997.IMPLEMENTATION_999 if document.ack_type == "999" else ""
        number = document.group_ref or "group"
        return SetBody(document.ack_type, "FA", number, segments, implementation)
    raise InvalidDocument(
        "X12 codec cannot encode this document type",
        document_type=getattr(document, "document_type", type(document).__name__),
    )


class X12Codec:
    """ANSI X12 procurement transaction sets; see the package docstring for the options."""

    name = "x12-004010"
    syntax = "x12"  # SyntaxAcknowledging: control numbers live in the X12 namespace
    encodes = frozenset(
        {
            "purchase_order",
            "order_response",
            "order_change",
            "goods_receipt",
            "delivery_schedule",
            "functional_ack",
        }
    )
    decodes = frozenset(
        {
            "purchase_order",
            "order_response",
            "order_change",
            "despatch_advice",
            "invoice",
            "goods_receipt",
            "delivery_schedule",
            "quality_result",
            "functional_ack",
        }
    )

    def encode(self, document: Document, ctx: EncodeContext) -> Encoded:
        options = dict(ctx.options)
        if isinstance(document, FunctionalAck) and document.ack_type == "999":
            # 999 exists only from 005010 on (005010X231).
            options.setdefault("version", "005010")
        settings = EnvelopeSettings.from_options(options)
        body = _body(document, UnitMap(ctx.options), ctx.now.date(), settings.delimiters)
        data, isa13 = write_interchange(
            settings,
            body.set_id,
            body.functional_id,
            dialect.outbound(body.segments, ctx.options),
            ctx.now,
            ctx.interchange_control_number,
            ctx.group_control_number,
            body.implementation,
        )
        filename = f"{body.set_id}_{_UNSAFE_FILENAME.sub('_', body.number)}_{isa13}.x12"
        return Encoded(body=data, filename=filename, content_type=CONTENT_TYPE)

    def decode(self, data: bytes, ctx: DecodeContext) -> list[Document]:
        """Every document in the bytes; the first problem raises (see ``validate``)."""
        # The whole result is kept anyway; see ``collector`` for why the collector waits.
        with collector_paused():
            return _decode_all(data, ctx)

    def validate(self, data: bytes, options: Mapping[str, Any] | None = None) -> ValidationReport:
        """Every problem of the file, without raising (see ``validation``)."""
        return validate(data, options)

    def functional_acks(self, data: bytes, ctx: EncodeContext) -> list[FunctionalAck]:
        """The 997/999 each inbound group deserves, as canonical acks."""
        return functional_acks(validate(data, ctx.options), ctx)

    def generate_functional_acks(self, data: bytes, ctx: EncodeContext) -> list[bytes]:
        """The same acks rendered, one interchange each (see ``functional_acks``)."""
        return generate_functional_acks(data, ctx)

    def envelopes(self, data: bytes, options: Mapping[str, Any]) -> list[Envelope]:
        """SyntaxAcknowledging: the interchanges of ``data`` (see ``syntax_acks``)."""
        return syntax_acks.envelopes(data, options)

    def functional_ack_files(
        self, data: bytes, ctx: EncodeContext, always: bool = False
    ) -> list[Encoded]:
        """SyntaxAcknowledging: rendered acks; X12 acknowledges every group, so ``always``
        changes nothing (see ``syntax_acks``)."""
        return syntax_acks.functional_ack_files(data, ctx)


def _decode_all(data: bytes, ctx: DecodeContext) -> list[Document]:
    # A function of its own so that the segments die with its frame while the collector is
    # still paused: the collection that follows then walks only the documents.
    return [
        decode_set(transaction, ctx) for transaction in read_sets(data, ctx.options, raise_error)
    ]
