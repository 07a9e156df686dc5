"""855 Purchase Order Acknowledgment <-> OrderResponse (edi.md sections 2.2 and 5.2)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from procurelink.codecs.x12.acks import (
    Ack,
    line_status,
    promised_date,
    quantities,
    read_ack,
    status_table,
    write_acks,
)
from procurelink.codecs.x12.elements import (
    Place,
    date8,
    format_date,
    hash_total,
    integer,
    optional,
    required,
)
from procurelink.codecs.x12.envelope import TransactionSet
from procurelink.codecs.x12.lines import Po1, read_po1, write_po1
from procurelink.codecs.x12.syntax import Segment
from procurelink.codecs.x12.units import UnitMap
from procurelink.domain.response import LineStatus, OrderResponse, ResponseLine, ResponseStatus
from procurelink.domain.values import Money, Quantity
from procurelink.errors import InvalidDocument, MalformedMessage

_OVERALL = {
    "AT": ResponseStatus.ACCEPTED,
    "AK": ResponseStatus.ACCEPTED,
    "AD": ResponseStatus.ACCEPTED,
    "AC": ResponseStatus.ACCEPTED_WITH_CHANGES,
    "AE": ResponseStatus.ACCEPTED_WITH_CHANGES,
    "RJ": ResponseStatus.REJECTED,
    "RD": ResponseStatus.REJECTED,
}
_LINE_END = ("PO1", "CTT")


@dataclass
class _Line:
    po1: Po1
    acks: list[Ack] = field(default_factory=list)
    description: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def decode(
    ts: TransactionSet,
    units: UnitMap,
    options: Mapping[str, Any],
    group_date: date,
    ids: dict[str, str],
) -> OrderResponse:
    place, body = ts.place, ts.body
    statuses = status_table(options)
    header: dict[str, Any] = {}
    notes: list[str] = []
    lines: list[_Line] = []
    line_count: Segment | None = None
    i = 0
    while i < len(body):
        segment = body[i]
        if segment.tag == "PO1":
            line, i = _read_line(place, units, statuses, body, i)
            lines.append(line)
            continue
        if segment.tag == "BAK":
            header.update(_read_bak(place, segment))
        elif segment.tag == "REF" and segment.get(1) == "VN":
            header.setdefault("ref_vn", optional(segment, 2))
        elif segment.tag == "CUR" and "currency" not in header:
            header["currency"] = required(place, segment, 2)
        elif segment.tag == "MSG" and segment.get(1):
            notes.append(segment.get(1))
        elif segment.tag == "CTT":
            line_count = segment
        i += 1
    if "order_number" not in header:
        raise place.error(InvalidDocument, "855 without BAK", expected="BAK")
    if line_count is not None and integer(place, line_count, 1) != len(lines):
        raise place.error(
            MalformedMessage,
            "CTT01 does not match the number of PO1 lines",
            line_count,
            1,
            expected=len(lines),
            found=line_count.get(1),
        )
    currency = header.pop("currency", None) or options.get("currency")
    ref_vn = header.pop("ref_vn", None)
    overall: ResponseStatus = header["overall"]
    return OrderResponse(
        **ids,
        order_number=header["order_number"],
        order_date=header["order_date"],
        vendor_ref=header["vendor_ref"] or ref_vn,
        response_date=header["response_date"] or group_date,
        overall=overall,
        lines=tuple(_response_line(place, line, overall, currency) for line in lines),
        note=" ".join(notes) or None,
    )


def _read_bak(place: Place, bak: Segment) -> dict[str, Any]:
    overall = _OVERALL.get(bak.get(2))
    if overall is None:
        raise place.error(InvalidDocument, "unknown BAK02 acknowledgment type", bak, 2)
    return {
        "overall": overall,
        "order_number": required(place, bak, 3),
        "order_date": date8(place, bak, 4),
        "vendor_ref": optional(bak, 8),
        "response_date": date8(place, bak, 9),
    }


def _read_line(
    place: Place,
    units: UnitMap,
    statuses: Mapping[str, LineStatus],
    body: tuple[Segment, ...],
    i: int,
) -> tuple[_Line, int]:
    line = _Line(read_po1(place, units, body[i], quantity_required=False))
    i += 1
    while i < len(body) and body[i].tag not in _LINE_END:
        segment = body[i]
        if segment.tag == "ACK":
            line.acks.append(read_ack(place, units, statuses, segment))
        elif segment.tag == "PID" and segment.get(5):
            line.description.append(segment.get(5))
        elif segment.tag == "MSG" and segment.get(1):
            line.notes.append(segment.get(1))
        i += 1
    return line, i


def _response_line(
    place: Place, line: _Line, overall: ResponseStatus, currency: str | None
) -> ResponseLine:
    po1 = line.po1
    uom = po1.quantity.uom if po1.quantity else None
    confirmed, backorder = quantities(line.acks, po1.quantity)
    uom = uom or next((a.quantity.uom for a in line.acks if a.quantity), "unit")
    status = line_status(line.acks, overall == ResponseStatus.REJECTED)
    price = None
    if po1.unit_price is not None:
        if currency is None:
            raise place.error(InvalidDocument, "855 line price without CUR or default currency")
        price = Money(amount=po1.unit_price, currency=currency)
    item = po1.item.model_copy(update={"description": " ".join(line.description) or None})
    return ResponseLine(
        line_no=po1.line_no,
        status=status,
        item=item if item.model_dump(exclude_none=True) else None,
        ordered_qty=po1.quantity,
        confirmed_qty=confirmed or Quantity(value=Decimal(0), uom=uom),
        backorder_qty=backorder or Quantity(value=Decimal(0), uom=uom),
        unit_price=price,
        promised_date=promised_date(line.acks),
        note=" ".join(line.notes) or None,
    )


def encode(response: OrderResponse, units: UnitMap) -> list[tuple[str, ...]]:
    segments: list[tuple[str, ...]] = [
        (
            "BAK",
            "00",
            _bak02(response),
            response.order_number,
            format_date(response.order_date) if response.order_date else "",
            "",
            "",
            "",
            response.vendor_ref or "",
            format_date(response.response_date),
        )
    ]
    currencies = {ln.unit_price.currency for ln in response.lines if ln.unit_price}
    if len(currencies) > 1:
        raise InvalidDocument("855 lines carry several currencies", found=sorted(currencies))
    if currencies:
        segments.append(("CUR", "SE", currencies.pop()))
    if response.note:
        segments.append(("MSG", response.note))
    for line in response.lines:
        segments += _encode_line(line, units)
    ordered = [ln.ordered_qty.value for ln in response.lines if ln.ordered_qty]
    segments.append(("CTT", str(len(response.lines)), hash_total(ordered)))
    return segments


def _bak02(response: OrderResponse) -> str:
    if response.overall == ResponseStatus.ACCEPTED:
        return "AD" if response.lines else "AT"
    if response.overall == ResponseStatus.REJECTED:
        return "RD" if response.lines else "RJ"
    return "AC"


def _encode_line(line: ResponseLine, units: UnitMap) -> list[tuple[str, ...]]:
    price = line.unit_price.amount if line.unit_price else None
    segments = [write_po1(units, line.line_no, line.ordered_qty, price, Decimal(1), line.item)]
    if line.item and line.item.description:
        segments.append(("PID", "F", "", "", "", line.item.description))
    segments += write_acks(line, units)
    if line.note:
        segments.append(("MSG", line.note))
    return segments
