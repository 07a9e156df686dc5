"""X12Codec: the Codec port for ANSI X12 procurement sets (004010, 005010 on request).

Which set reads and writes which canonical document is listed in ``_DECODERS`` and
``_ENCODERS``: the behaviour map on one screen.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from pydantic import ValidationError

from procurelink.codecs.x12 import (
    asn856,
    changeack865,
    funcack997,
    invoice810,
    nonconformance842,
    po850,
    po860,
    poack855,
    receiving861,
    schedule830,
)
from procurelink.codecs.x12.context import ReadContext
from procurelink.codecs.x12.elements import Place
from procurelink.codecs.x12.envelope import (
    GroupHeader,
    InterchangeHeader,
    TransactionSet,
    read_interchange,
)
from procurelink.codecs.x12.rules import Rule
from procurelink.codecs.x12.syntax import Delimiters, Report, raise_error, tokenize
from procurelink.codecs.x12.units import UnitMap
from procurelink.codecs.x12.writer import EnvelopeSettings, write_interchange
from procurelink.domain.acknowledgment import FunctionalAck
from procurelink.domain.document import Document
from procurelink.domain.order import OrderChange, PurchaseOrder
from procurelink.domain.receipt import GoodsReceipt
from procurelink.domain.response import OrderResponse
from procurelink.domain.schedule import DeliverySchedule, ScheduleKind
from procurelink.errors import ConfigurationError, EmptyMessage, InvalidDocument, MalformedMessage
from procurelink.ports.codec import DecodeContext, EncodeContext, Encoded

T = TypeVar("T")
_UNSAFE_FILENAME = re.compile(r"[^A-Za-z0-9._-]")
CONTENT_TYPE = "application/edi-x12"

Decoder = Callable[[TransactionSet, ReadContext], Document]


def _decode_850(ts: TransactionSet, ctx: ReadContext) -> Document:
    return po850.decode(ts, ctx.units, ctx.default_currency, dict(ctx.ids))


def _decode_855(ts: TransactionSet, ctx: ReadContext) -> Document:
    return poack855.decode(ts, ctx.units, ctx.options, ctx.group_date, ctx.ids)


# ST01 -> mapper to the canonical document.
_DECODERS: dict[str, Decoder] = {
    "850": _decode_850,
    "855": _decode_855,
    "860": po860.decode,
    "865": changeack865.decode,
    "856": asn856.decode,
    "810": invoice810.decode,
    "861": receiving861.decode,
    "830": schedule830.decode,
    "862": schedule830.decode,
    "842": nonconformance842.decode,
    "997": funcack997.decode,
    "999": funcack997.decode,
}


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
            body.segments,
            ctx.now,
            ctx.interchange_control_number,
            ctx.group_control_number,
            body.implementation,
        )
        filename = f"{body.set_id}_{_UNSAFE_FILENAME.sub('_', body.number)}_{isa13}.x12"
        return Encoded(body=data, filename=filename, content_type=CONTENT_TYPE)

    def decode(self, data: bytes, ctx: DecodeContext) -> list[Document]:
        documents: list[Document] = []
        for transaction in read_sets(data, ctx.options, raise_error):
            documents.append(decode_set(transaction, ctx))
        return documents


def read_sets(data: bytes, options: Mapping[str, Any], report: Report) -> Iterator[TransactionSet]:
    """Every transaction set of the bytes, envelopes checked through ``report``."""
    for item in walk(data, options, report):
        if isinstance(item, TransactionSet):
            yield item


def walk(
    data: bytes, options: Mapping[str, Any], report: Report
) -> Iterator[InterchangeHeader | GroupHeader | TransactionSet]:
    """Interchange headers, group headers and sets in file order, lazily."""
    text = decode_text(data, options)
    if not text.strip():
        raise EmptyMessage()
    for raw in tokenize(text, report):
        for item in read_interchange(raw, report):
            if isinstance(item, InterchangeHeader):
                _check_usage(item, options, report)
            yield item


def decode_text(data: bytes, options: Mapping[str, Any]) -> str:
    charset = str(options.get("charset", "utf-8"))
    if charset.lower() == "ascii":
        # Non-ASCII still decodes; the sender's characters are kept, not refused on input.
        charset = "utf-8"
    try:
        text = data.decode(charset)
    except UnicodeDecodeError as exc:
        raise MalformedMessage(
            "message is not valid text in the partner's charset",
            charset=charset,
            offset=exc.start,
            rule=Rule.ISA_SYNTAX,
        ) from None
    except LookupError as exc:
        raise ConfigurationError("unknown charset option", charset=charset) from exc
    return text.removeprefix("\ufeff")


def _check_usage(
    interchange: InterchangeHeader, options: Mapping[str, Any], report: Report
) -> None:
    # Test interchanges must never reach Odoo as production data (edi.md ISA15).
    expected = str(options.get("usage", "P"))
    if interchange.usage != expected:
        report(
            InvalidDocument(
                "interchange usage indicator does not match the partner's mode",
                interchange=interchange.control,
                segment_id="ISA",
                element_index=15,
                expected=expected,
                found=interchange.usage,
                rule=Rule.ISA_USAGE,
            )
        )


def decode_set(transaction: TransactionSet, ctx: DecodeContext) -> Document:
    """The canonical document of one set; raises the first problem found."""
    group = transaction.group
    place = transaction.place
    decoder = _DECODERS.get(transaction.set_id)
    if decoder is None:
        raise place.error(
            InvalidDocument,
            "transaction set not supported by this codec",
            found=transaction.set_id[:10],
            expected=sorted(_DECODERS),
            rule=Rule.SET_NOT_SUPPORTED,
        )
    if group.date is None:
        raise place.error(InvalidDocument, "group date is missing", rule=Rule.GS_DATE)
    ids = {
        "document_id": ":".join(
            (
                "x12",
                group.interchange.sender_id,
                group.interchange.control,
                group.control,
                transaction.control,
            )
        ),
        "partner_id": ctx.partner_id,
        "correlation_id": ctx.correlation_id,
    }
    read_ctx = ReadContext(UnitMap(ctx.options), ctx.options, group.date, ids)
    return _validated(place, lambda: decoder(transaction, read_ctx))


def _validated(place: Place, build: Callable[[], T]) -> T:
    """Run a mapper; a canonical-model violation becomes InvalidDocument with its place."""
    try:
        return build()
    except ValidationError as exc:
        errors = [
            {"loc": ".".join(str(p) for p in err["loc"]), "msg": err["msg"]}
            for err in exc.errors(include_url=False, include_input=False)
        ]
        raise place.error(
            InvalidDocument,
            "transaction set breaks the canonical model",
            errors=errors,
            rule=Rule.CANONICAL_MODEL,
        ) from None
