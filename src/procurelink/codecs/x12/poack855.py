"""855 Purchase Order Acknowledgment <-> OrderResponse (edi.md sections 2.2 and 5.2).

The 865 (``changeack865``) has the same shape with BCA and POC; it plugs its own heading
and line readers in as a ``Flavour``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
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
    check_line_count,
    date8,
    format_date,
    hash_total,
    optional,
    required,
)
from procurelink.codecs.x12.envelope import TransactionSet
from procurelink.codecs.x12.lines import Po1, read_po1, write_po1
from procurelink.codecs.x12.syntax import Segment
from procurelink.codecs.x12.units import UnitMap
from procurelink.domain.response import LineStatus, OrderResponse, ResponseLine, ResponseStatus
from procurelink.domain.values import Money, Quantity
from procurelink.errors import InvalidDocument

_OVERALL = {
    "AT": ResponseStatus.ACCEPTED,
    "AK": ResponseStatus.ACCEPTED,
    "AD": ResponseStatus.ACCEPTED,
    "AC": ResponseStatus.ACCEPTED_WITH_CHANGES,
    "AE": ResponseStatus.ACCEPTED_WITH_CHANGES,
    "RJ": ResponseStatus.REJECTED,
    "RD": ResponseStatus.REJECTED,
}


@dataclass
class _Line:
    po1: Po1
    acks: list[Ack] = field(default_factory=list)
    description: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Flavour:
    """What differs between an 855 and an 865: the heading segment and the line segment."""

    header_tag: str
    read_header: Callable[[Place, Segment], dict[str, Any]]
    line_tag: str
    read_line: Callable[[Place, UnitMap, Segment], Po1]


def decode(
    ts: TransactionSet,
    units: UnitMap,
    options: Mapping[str, Any],
    group_date: date,
    ids: Mapping[str, str],
    flavour: Flavour | None = None,
) -> OrderResponse:
    place, body = ts.place, ts.body
    flavour = flavour or FLAVOUR_855
    statuses = status_table(options)
    header: dict[str, Any] = {}
    notes: list[str] = []
    lines: list[_Line] = []
    line_count: Segment | None = None
    i = 0
    while i < len(body):
        segment = body[i]
        if segment.tag == flavour.line_tag:
            line, i = _read_line(place, units, statuses, flavour, body, i)
            lines.append(line)
            continue
        if segment.tag == flavour.header_tag:
            header.update(flavour.read_header(place, segment))
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
        raise place.error(
            InvalidDocument,
            f"{ts.set_id} without {flavour.header_tag}",
            expected=flavour.header_tag,
            rule="missing_segment",
        )
    check_line_count(place, line_count, len(lines), flavour.line_tag)
    currency = header.pop("currency", None) or options.get("currency")
    ref_vn = header.pop("ref_vn", None)
    overall: ResponseStatus = header.pop("overall")
    header["vendor_ref"] = header["vendor_ref"] or ref_vn
    header["response_date"] = header["response_date"] or group_date
    return OrderResponse(
        **ids,
        **header,
        overall=overall,
        lines=tuple(_response_line(place, line, overall, currency) for line in lines),
        note=" ".join(notes) or None,
    )


def read_overall(place: Place, segment: Segment) -> ResponseStatus:
    """BAK02 / BCA02 acknowledgment type (code list 587)."""
    overall = _OVERALL.get(segment.get(2))
    if overall is None:
        raise place.error(
            InvalidDocument,
            f"unknown {segment.tag}02 acknowledgment type",
            segment,
            2,
            rule="invalid_code",
        )
    return overall


def _read_bak(place: Place, bak: Segment) -> dict[str, Any]:
    overall = read_overall(place, bak)
    return {
        "overall": overall,
        "order_number": required(place, bak, 3),
        "order_date": date8(place, bak, 4),
        "vendor_ref": optional(bak, 8),
        "response_date": date8(place, bak, 9),
    }


def _read_po1(place: Place, units: UnitMap, po1: Segment) -> Po1:
    return read_po1(place, units, po1, quantity_required=False)


FLAVOUR_855 = Flavour("BAK", _read_bak, "PO1", _read_po1)


def _read_line(
    place: Place,
    units: UnitMap,
    statuses: Mapping[str, LineStatus],
    flavour: Flavour,
    body: tuple[Segment, ...],
    i: int,
) -> tuple[_Line, int]:
    line = _Line(flavour.read_line(place, units, body[i]))
    i += 1
    while i < len(body) and body[i].tag not in (flavour.line_tag, "CTT"):
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


def encode(
    response: OrderResponse,
    units: UnitMap,
    header: tuple[str, ...] | None = None,
    write_line: Callable[[UnitMap, ResponseLine], tuple[str, ...]] | None = None,
) -> list[tuple[str, ...]]:
    """The 855 body; an 865 passes its BCA and its POC writer."""
    segments: list[tuple[str, ...]] = [
        header
        or (
            "BAK",
            "00",
            ack_type(response),
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
        segments += _encode_line(line, units, write_line or _write_po1)
    ordered = [ln.ordered_qty.value for ln in response.lines if ln.ordered_qty]
    segments.append(("CTT", str(len(response.lines)), hash_total(ordered)))
    return segments


def ack_type(response: OrderResponse) -> str:
    """BAK02 / BCA02 that decodes back to the response's overall status."""
    if response.overall == ResponseStatus.ACCEPTED:
        return "AD" if response.lines else "AT"
    if response.overall == ResponseStatus.REJECTED:
        return "RD" if response.lines else "RJ"
    return "AC"


def _write_po1(units: UnitMap, line: ResponseLine) -> tuple[str, ...]:
    price = line.unit_price.amount if line.unit_price else None
    return write_po1(units, line.line_no, line.ordered_qty, price, Decimal(1), line.item)


def _encode_line(
    line: ResponseLine,
    units: UnitMap,
    write_line: Callable[[UnitMap, ResponseLine], tuple[str, ...]],
) -> list[tuple[str, ...]]:
    segments = [write_line(units, line)]
    if line.item and line.item.description:
        segments.append(("PID", "F", "", "", "", line.item.description))
    segments += write_acks(line, units)
    if line.note:
        segments.append(("MSG", line.note))
    return segments
