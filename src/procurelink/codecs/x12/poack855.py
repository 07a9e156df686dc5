"""855 Purchase Order Acknowledgment <-> OrderResponse (edi.md sections 2.2 and 5.2)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
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
from procurelink.codecs.x12.lines import Po1, read_po1, read_unit, write_po1, write_unit
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
# ACK01 (code list 668) -> canonical status. The canonical model v1 has no substitution,
# so IS is absent: a substituted item must reach a buyer as an error, not pass as accepted.
# SP (date pending) confirms the quantity without a date; IH (on hold) confirms nothing yet.
ACK_STATUS: dict[str, LineStatus] = {
    "IA": LineStatus.ACCEPTED,
    "AC": LineStatus.ACCEPTED,
    "AR": LineStatus.ACCEPTED,
    "IC": LineStatus.QUANTITY_CHANGED,
    "IQ": LineStatus.QUANTITY_CHANGED,
    "IP": LineStatus.PRICE_CHANGED,
    "DR": LineStatus.RESCHEDULED,
    "SP": LineStatus.RESCHEDULED,
    "IB": LineStatus.BACKORDERED,
    "BP": LineStatus.BACKORDERED,
    "IH": LineStatus.BACKORDERED,
    "IR": LineStatus.REJECTED,
    "R1": LineStatus.REJECTED,
    "R2": LineStatus.REJECTED,
    "R3": LineStatus.REJECTED,
    "R4": LineStatus.REJECTED,
    "ID": LineStatus.REJECTED,
}
_WRITE_STATUS = {
    LineStatus.ACCEPTED: "IA",
    LineStatus.QUANTITY_CHANGED: "IQ",
    LineStatus.PRICE_CHANGED: "IP",
    LineStatus.RESCHEDULED: "DR",
}
# ACK04 qualifiers: a delivery date is what the buyer plans with; a ship date is the fallback.
_DELIVERY_DATES = ("067", "017")
_SHIP_DATES = ("068",)
_LINE_END = ("PO1", "CTT")


@dataclass
class _Ack:
    segment: Segment
    status: LineStatus
    quantity: Quantity | None
    date_qualifier: str
    date: date | None


@dataclass
class _Line:
    po1: Po1
    acks: list[_Ack] = field(default_factory=list)
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
    statuses = {**ACK_STATUS, **_status_overrides(options)}
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


def _status_overrides(options: Mapping[str, Any]) -> dict[str, LineStatus]:
    raw = options.get("ack_status_map") or {}
    try:
        return {str(code): LineStatus(status) for code, status in dict(raw).items()}
    except ValueError as exc:
        raise InvalidDocument("ack_status_map names an unknown line status") from exc


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
            line.acks.append(_read_ack(place, units, statuses, segment))
        elif segment.tag == "PID" and segment.get(5):
            line.description.append(segment.get(5))
        elif segment.tag == "MSG" and segment.get(1):
            line.notes.append(segment.get(1))
        i += 1
    return line, i


def _read_ack(
    place: Place, units: UnitMap, statuses: Mapping[str, LineStatus], ack: Segment
) -> _Ack:
    code = ack.get(1)
    status = statuses.get(code)
    if status is None:
        raise place.error(
            InvalidDocument, "ACK01 line status not supported", ack, 1, found=code[:10]
        )
    value = decimal(place, ack, 2)
    quantity = None
    if value is not None:
        quantity = Quantity(value=value, uom=read_unit(place, units, ack, 3))
    return _Ack(ack, status, quantity, ack.get(4), date8(place, ack, 5))


def _response_line(
    place: Place, line: _Line, overall: ResponseStatus, currency: str | None
) -> ResponseLine:
    po1 = line.po1
    uom = po1.quantity.uom if po1.quantity else None
    confirmed, backorder = _quantities(line)
    uom = uom or next((a.quantity.uom for a in line.acks if a.quantity), "unit")
    status: LineStatus | None = next(
        (a.status for a in line.acks if a.status != LineStatus.ACCEPTED), None
    )
    if status is None:
        rejected = not line.acks and overall == ResponseStatus.REJECTED
        status = LineStatus.REJECTED if rejected else LineStatus.ACCEPTED
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
        promised_date=_promised_date(line.acks),
        note=" ".join(line.notes) or None,
    )


def _quantities(line: _Line) -> tuple[Quantity | None, Quantity | None]:
    """Confirmed and backordered quantity: sums over the ACKs by what each code means."""
    ordered = line.po1.quantity
    confirmed: Quantity | None = None
    backorder: Quantity | None = None
    for ack in line.acks:
        code = ack.segment.get(1)
        # An ACK without a quantity speaks for the whole ordered quantity.
        quantity = ack.quantity or ordered
        if quantity is None or ack.status == LineStatus.REJECTED:
            continue
        if code == "BP" and ordered is not None:
            confirmed = _add(confirmed, quantity)
            backorder = _add(
                backorder, ordered.model_copy(update={"value": ordered.value - quantity.value})
            )
        elif ack.status == LineStatus.BACKORDERED:
            backorder = _add(backorder, quantity)
        else:
            confirmed = _add(confirmed, quantity)
    return confirmed, backorder


def _add(total: Quantity | None, quantity: Quantity) -> Quantity:
    if total is None:
        return quantity
    return total.model_copy(update={"value": total.value + quantity.value})


def _promised_date(acks: list[_Ack]) -> date | None:
    for qualifiers in (_DELIVERY_DATES, _SHIP_DATES):
        found = next((a.date for a in acks if a.date and a.date_qualifier in qualifiers), None)
        if found is not None:
            return found
    return None


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
    segments += _acks(line, units)
    if line.note:
        segments.append(("MSG", line.note))
    return segments


def _acks(line: ResponseLine, units: UnitMap) -> list[tuple[str, ...]]:
    """ACKs that decode back to the same status and quantities (see the module tests)."""
    confirmed = line.confirmed_qty
    backorder = line.backorder_qty
    if line.status == LineStatus.REJECTED:
        return [_ack(units, line, "IR", line.ordered_qty)]
    acks: list[tuple[str, ...]] = []
    if line.status == LineStatus.BACKORDERED:
        if confirmed is not None and confirmed.value > 0:
            acks.append(_ack(units, line, "IA", confirmed))
        acks.append(_ack(units, line, "IB", backorder or line.ordered_qty))
        return acks
    acks.append(_ack(units, line, _WRITE_STATUS[line.status], confirmed))
    if backorder is not None and backorder.value > 0:
        acks.append(_ack(units, line, "IB", backorder))
    return acks


def _ack(
    units: UnitMap, line: ResponseLine, code: str, quantity: Quantity | None
) -> tuple[str, ...]:
    qty = (
        (format_decimal(quantity.value), write_unit(units, quantity, line.line_no))
        if quantity
        else ("", "")
    )
    when = ("067", format_date(line.promised_date)) if line.promised_date else ()
    return ("ACK", code, *qty, *when) if when or quantity else ("ACK", code)
