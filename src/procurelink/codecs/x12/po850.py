"""850 Purchase Order <-> PurchaseOrder (edi.md sections 2.1 and 5.1)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from procurelink.codecs.x12.elements import (
    Place,
    date8,
    decimal,
    format_date,
    format_decimal,
    hash_total,
    integer,
    optional,
    required,
)
from procurelink.codecs.x12.envelope import TransactionSet
from procurelink.codecs.x12.lines import po1_fields, write_po1
from procurelink.codecs.x12.parties import contact_fields, n1_fields, write_contact, write_n1_loops
from procurelink.codecs.x12.syntax import Segment
from procurelink.codecs.x12.units import UnitMap
from procurelink.domain.order import OrderLine, OrderPurpose, PurchaseOrder
from procurelink.domain.values import PaymentTerms
from procurelink.errors import InvalidDocument, MalformedMessage

# BEG01: confirmations (06) and duplicates (07) restate an original order.
_PURPOSES = {
    "00": OrderPurpose.ORIGINAL,
    "06": OrderPurpose.ORIGINAL,
    "07": OrderPurpose.ORIGINAL,
    "01": OrderPurpose.CANCEL,
    "04": OrderPurpose.CHANGE,
    "05": OrderPurpose.REPLACE,
}
_WRITE_PURPOSES = {
    OrderPurpose.ORIGINAL: "00",
    OrderPurpose.CANCEL: "01",
    OrderPurpose.CHANGE: "04",
    OrderPurpose.REPLACE: "05",
}
_LINE_END = ("PO1", "CTT", "AMT")
_REFS = {"IA": "vendor_code_at_buyer", "CT": "contract_ref", "VN": "vendor_ref"}


@dataclass
class _Order:
    header: dict[str, Any] = field(default_factory=dict)
    parties: list[dict[str, Any]] = field(default_factory=list)  # see ``n1_fields``
    # Each line as the fields of an OrderLine (see ``lines.po1_fields``).
    lines: list[dict[str, Any]] = field(default_factory=list)
    line_count: tuple[Segment, int] | None = None


def decode(
    ts: TransactionSet, units: UnitMap, default_currency: str | None, ids: dict[str, str]
) -> PurchaseOrder:
    place, body = ts.place, ts.body
    order = _Order()
    i = 0
    while i < len(body):
        segment = body[i]
        tag = segment.tag
        if tag == "N1":
            party, i = n1_fields(body, i)
            if party is not None:
                order.parties.append(party)
        elif tag == "PO1":
            line, i = _read_line(place, units, body, i)
            order.lines.append(line)
        else:
            _read_header(place, segment, order)
            i += 1
    return _build(place, order, default_currency, ids)


def _read_header(place: Place, segment: Segment, order: _Order) -> None:
    header, tag = order.header, segment.tag
    if tag == "BEG":
        purpose = _PURPOSES.get(segment.get(1))
        if purpose is None:
            raise place.error(InvalidDocument, "unknown BEG01 purpose", segment, 1)
        header["purpose"] = purpose
        header["order_number"] = required(place, segment, 3)
        header["order_date"] = date8(place, segment, 5)
        header.setdefault("contract_ref", optional(segment, 6))
    elif tag == "CUR" and "currency" not in header:
        header["currency"] = required(place, segment, 2)
    elif tag == "REF" and segment.get(1) in _REFS:
        header[_REFS[segment.get(1)]] = optional(segment, 2)
    elif tag == "PER" and "contact" not in header:
        header["contact"] = contact_fields(segment)
    elif tag == "FOB" and segment.get(4) == "01":
        header["incoterms"] = optional(segment, 5)
    elif tag == "ITD":
        header["payment_terms"] = {
            "net_days": integer(place, segment, 7),
            "description": optional(segment, 12),
        }
    elif tag == "DTM" and segment.get(1) == "002" and not order.lines:
        header["requested_date"] = date8(place, segment, 2)
    elif tag == "CTT":
        count = integer(place, segment, 1)
        order.line_count = (segment, -1 if count is None else count)
    elif tag == "AMT" and segment.get(1) == "TT":
        header["total_amount"] = decimal(place, segment, 2)


def _read_line(
    place: Place, units: UnitMap, body: tuple[Segment, ...], i: int
) -> tuple[dict[str, Any], int]:
    line = po1_fields(place, units, body[i])
    description: list[str] = []
    requested: date | None = None
    i += 1
    end = len(body)
    while i < end:
        segment = body[i]
        tag = segment.tag
        if tag in _LINE_END:
            break
        if tag == "PID":
            text = segment.get(5)
            if text:
                description.append(text)
        elif tag == "DTM" and segment.get(1) == "002":
            requested = requested or date8(place, segment, 2)
        elif tag == "SCH" and segment.get(5) == "002":
            requested = requested or date8(place, segment, 6)
        i += 1
    line["item"]["description"] = " ".join(description) or None
    line["requested_date"] = requested
    return line, i


def _build(
    place: Place, order: _Order, default_currency: str | None, ids: dict[str, str]
) -> PurchaseOrder:
    header = order.header
    if "order_number" not in header:
        raise place.error(InvalidDocument, "850 without BEG", expected="BEG")
    if header.get("order_date") is None:
        raise place.error(InvalidDocument, "BEG05 order date is empty", expected="BEG05")
    if not order.lines:
        raise place.error(InvalidDocument, "850 without PO1 lines", expected="PO1")
    if order.line_count is not None and order.line_count[1] != len(order.lines):
        raise place.error(
            MalformedMessage,
            "CTT01 does not match the number of PO1 lines",
            order.line_count[0],
            1,
            expected=len(order.lines),
            found=order.line_count[0].get(1),
        )
    currency = header.pop("currency", None) or default_currency
    if currency is None:
        raise place.error(InvalidDocument, "850 without CUR and no default currency")
    for line in order.lines:
        price = line["unit_price"]
        if price is not None:
            line["unit_price"] = {"amount": price, "currency": currency}
    # One validation of the whole order (lines as dicts) rather than four models per line.
    return PurchaseOrder.model_validate(
        {**ids, **header, "currency": currency, "parties": order.parties, "lines": order.lines}
    )


def encode(order: PurchaseOrder, units: UnitMap) -> list[tuple[str, ...]]:
    """The body of the set (between ST and SE), in the segment order of the standard."""
    segments: list[tuple[str, ...]] = [
        (
            "BEG",
            _WRITE_PURPOSES[order.purpose],
            "SA",
            order.order_number,
            "",
            format_date(order.order_date),
        ),
        ("CUR", "BY", order.currency),
    ]
    for qualifier, attribute in _REFS.items():
        value = getattr(order, attribute)
        if value:
            segments.append(("REF", qualifier, value))
    if order.contact:
        segments.append(write_contact("BD", order.contact))
    if order.incoterms:
        segments.append(("FOB", "DF", "", "", "01", order.incoterms))
    if order.payment_terms:
        segments.append(_itd(order.payment_terms))
    if order.requested_date:
        segments.append(("DTM", "002", format_date(order.requested_date)))
    segments += write_n1_loops(order.parties)
    for line in order.lines:
        segments += _encode_line(line, order.currency, units)
    quantities = [line.quantity.value for line in order.lines]
    segments.append(("CTT", str(len(order.lines)), hash_total(quantities)))
    if order.total_amount is not None:
        segments.append(("AMT", "TT", format_decimal(order.total_amount)))
    return segments


def _itd(terms: PaymentTerms) -> tuple[str, ...]:
    net = str(terms.net_days) if terms.net_days is not None else ""
    return ("ITD", "01", "3", "", "", "", "", net, "", "", "", "", terms.description or "")


def _encode_line(line: OrderLine, currency: str, units: UnitMap) -> list[tuple[str, ...]]:
    price = line.unit_price
    if price is not None and price.currency != currency:
        raise InvalidDocument(
            "line price currency differs from the order currency",
            line_no=line.line_no,
            expected=currency,
            found=price.currency,
        )
    segments = [
        write_po1(
            units,
            line.line_no,
            line.quantity,
            price.amount if price else None,
            line.price_basis_qty,
            line.item,
        )
    ]
    if line.item.description:
        segments.append(("PID", "F", "", "", "", line.item.description))
    if line.requested_date:
        segments.append(("DTM", "002", format_date(line.requested_date)))
    return segments
