"""X12Codec: the Codec port for ANSI X12 850 and 855 (004010, 005010 on request)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from pydantic import ValidationError

from procurelink.codecs.x12 import po850, poack855
from procurelink.codecs.x12.elements import Place
from procurelink.codecs.x12.envelope import Group, Interchange, TransactionSet, open_interchange
from procurelink.codecs.x12.syntax import tokenize
from procurelink.codecs.x12.units import UnitMap
from procurelink.codecs.x12.writer import EnvelopeSettings, write_interchange
from procurelink.domain.document import Document
from procurelink.domain.order import PurchaseOrder
from procurelink.domain.response import OrderResponse
from procurelink.errors import ConfigurationError, EmptyMessage, InvalidDocument, MalformedMessage
from procurelink.ports.codec import DecodeContext, EncodeContext, Encoded

T = TypeVar("T")
_UNSAFE_FILENAME = re.compile(r"[^A-Za-z0-9._-]")
CONTENT_TYPE = "application/edi-x12"


class X12Codec:
    """ANSI X12 purchase orders (850) and acknowledgments (855); see the package docstring."""

    name = "x12-004010"
    encodes = frozenset({"purchase_order", "order_response"})
    decodes = frozenset({"purchase_order", "order_response"})

    def encode(self, document: Document, ctx: EncodeContext) -> Encoded:
        settings = EnvelopeSettings.from_options(ctx.options)
        units = UnitMap(ctx.options)
        if isinstance(document, PurchaseOrder):
            set_id, functional_id, body = "850", "PO", po850.encode(document, units)
            number = document.order_number
        elif isinstance(document, OrderResponse):
            set_id, functional_id, body = "855", "PR", poack855.encode(document, units)
            number = document.order_number
        else:
            raise InvalidDocument(
                "X12 codec cannot encode this document type",
                document_type=getattr(document, "document_type", type(document).__name__),
            )
        data, isa13 = write_interchange(
            settings,
            set_id,
            functional_id,
            body,
            ctx.now,
            ctx.interchange_control_number,
            ctx.group_control_number,
        )
        filename = f"{set_id}_{_UNSAFE_FILENAME.sub('_', number)}_{isa13}.x12"
        return Encoded(body=data, filename=filename, content_type=CONTENT_TYPE)

    def decode(self, data: bytes, ctx: DecodeContext) -> list[Document]:
        text = _text(data, ctx.options)
        if not text.strip():
            raise EmptyMessage()
        documents: list[Document] = []
        for raw in tokenize(text):
            interchange = open_interchange(raw)
            _check_usage(interchange, ctx.options)
            for group in interchange.groups:
                for transaction in group.sets:
                    documents.append(_decode_set(interchange, group, transaction, ctx))
        return documents


def _text(data: bytes, options: Mapping[str, Any]) -> str:
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
        ) from None
    except LookupError as exc:
        raise ConfigurationError("unknown charset option", charset=charset) from exc
    return text.removeprefix("\ufeff")


def _check_usage(interchange: Interchange, options: Mapping[str, Any]) -> None:
    # Test interchanges must never reach Odoo as production data (edi.md ISA15).
    expected = str(options.get("usage", "P"))
    if interchange.usage != expected:
        raise InvalidDocument(
            "interchange usage indicator does not match the partner's mode",
            interchange=interchange.control,
            segment_id="ISA",
            element_index=15,
            expected=expected,
            found=interchange.usage,
        )


def _decode_set(
    interchange: Interchange, group: Group, transaction: TransactionSet, ctx: DecodeContext
) -> Document:
    ids = {
        "document_id": ":".join(
            ("x12", interchange.sender_id, interchange.control, group.control, transaction.control)
        ),
        "partner_id": ctx.partner_id,
        "correlation_id": ctx.correlation_id,
    }
    units = UnitMap(ctx.options)
    place = transaction.place
    if transaction.set_id == "850":
        currency = ctx.options.get("currency")
        return _validated(
            place, lambda: po850.decode(transaction, units, currency and str(currency), ids)
        )
    if transaction.set_id == "855":
        return _validated(
            place,
            lambda: poack855.decode(transaction, units, ctx.options, group.date, ids),
        )
    raise place.error(
        InvalidDocument,
        "transaction set not supported by this codec",
        found=transaction.set_id[:10],
        expected=["850", "855"],
    )


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
            InvalidDocument, "transaction set breaks the canonical model", errors=errors
        ) from None
