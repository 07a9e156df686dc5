"""ORDRSP <-> OrderResponse (edi.md sections 4.3 and 5.2).

EDIFACT has no single "backordered" code; a line's status is derived from LIN 1229 and the
values of its group (edi.md table 4.3):

* 1229 ``5`` (or ``4`` no action) -> accepted; ``7`` -> rejected; ``2`` (deleted) -> rejected.
* 1229 ``3``/``6``/``1`` -> the change the values show, the first that applies of:
  QTY+83 > 0 -> backordered (with or without a confirmed quantity: the canonical model folds
  partial backorders into backordered, as the X12 codec does with ``BP``);
  QTY+113 != QTY+21 -> quantity_changed; a promised date (DTM+69/17) that differs from the
  requested date (DTM+2, or no DTM+2) -> rescheduled; otherwise price_changed (the supplier
  says "changed" and quantity and date are as ordered, so the confirmed price is the change).

The canonical v1 model has no "accepted_changed"; when several changes apply the first one in
that order is the status, and the confirmed quantity, date and price carry every change.
Confirmed quantity: QTY+113; without it 0 when something is backordered, else QTY+21.
Promised date: DTM+69, DTM+17, else DTM+2. The encoder writes what decodes back the same.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from procurelink.codecs.edifact.common import (
    MessageContext,
    check_line_count,
    currency,
    document_number,
    dtm,
    required_date,
)
from procurelink.codecs.edifact.elements import dtm_date, required
from procurelink.codecs.edifact.items import (
    read_item,
    read_price,
    read_quantity,
    write_description,
    write_item_ids,
    write_notes,
    write_price,
    write_quantity,
)
from procurelink.codecs.edifact.problems import MISSING
from procurelink.codecs.edifact.reader import LineData, MessageData
from procurelink.codecs.edifact.writer import OutSegment
from procurelink.domain.response import LineStatus, OrderResponse, ResponseLine, ResponseStatus
from procurelink.domain.values import Money, Quantity
from procurelink.errors import InvalidDocument

# BGM 1225 -> overall; any other function code is an amendment (edi.md 4.1).
_OVERALL = {"29": ResponseStatus.ACCEPTED, "27": ResponseStatus.REJECTED}
# BGM 4343 response type, when sent, says it more precisely than 1225.
_RESPONSE_TYPES = {
    "AP": ResponseStatus.ACCEPTED,
    "RE": ResponseStatus.REJECTED,
    "AC": ResponseStatus.ACCEPTED_WITH_CHANGES,
    "CA": ResponseStatus.ACCEPTED_WITH_CHANGES,
}
_WRITE_OVERALL = {
    ResponseStatus.ACCEPTED: "29",
    ResponseStatus.REJECTED: "27",
    ResponseStatus.ACCEPTED_WITH_CHANGES: "4",
}
_ACCEPTED_CODES = ("5", "4")
_REJECTED_CODES = ("7", "2")
_PROMISED = ("69", "17", "2")


def decode(m: MessageContext, data: MessageData) -> OrderResponse:
    number = document_number(m, data)
    check_line_count(m, data)
    assert data.bgm is not None
    overall = _RESPONSE_TYPES.get(data.bgm.get(4)) or _OVERALL.get(
        data.bgm.get(3), ResponseStatus.ACCEPTED_WITH_CHANGES
    )
    on = data.refs.get("ON")
    if on is None or not on.value:
        raise m.place.error("ORDRSP without RFF+ON order number", syntax_error=MISSING)
    vn = data.refs.get("VN")
    line_currency = currency(m, data)
    return OrderResponse(
        **m.ids,
        order_number=on.value,
        order_date=on.date,
        vendor_ref=vn.value if vn else None,
        response_number=number,
        response_date=required_date(m, data, "137"),
        overall=overall,
        lines=tuple(_line(m, line, line_currency) for line in data.lines),
        note=" ".join(data.notes) or None,
    )


def _line(m: MessageContext, line: LineData, line_currency: str | None) -> ResponseLine:
    ordered = read_quantity(m.place, m.units, line, "21")
    uom = ordered.uom if ordered else "unit"
    confirmed = read_quantity(m.place, m.units, line, "113", uom)
    backorder = read_quantity(m.place, m.units, line, "83", uom)
    zero = Quantity(value=Decimal(0), uom=uom)
    action = line.lin.get(2)
    if action in _REJECTED_CODES:
        status = LineStatus.REJECTED
        confirmed = confirmed or zero
    elif confirmed is None:
        backordered = backorder is not None and backorder.value > 0
        confirmed = zero if backordered else ordered
    dates = {q: dtm_date(m.place, line.dates[q]) for q in _PROMISED if q in line.dates}
    promised = next((dates[q] for q in _PROMISED if q in dates), None)
    if action not in _REJECTED_CODES:
        status = _derive(action, ordered, confirmed, backorder, dates)
    price = read_price(m.place, line, "AAA", "AAB")
    if price is not None and line_currency is None:
        raise m.place.error("ORDRSP line price without CUX", line.lin, syntax_error=MISSING)
    item = read_item(line)
    return ResponseLine(
        line_no=required(m.place, line.lin, 1),
        status=status,
        item=item if item.model_dump(exclude_none=True) else None,
        ordered_qty=ordered,
        confirmed_qty=confirmed or zero,
        backorder_qty=backorder or zero,
        unit_price=Money(amount=price[0], currency=line_currency)
        if price and line_currency
        else None,
        promised_date=promised,
        note=" ".join(line.notes) or None,
    )


def _derive(
    action: str,
    ordered: Quantity | None,
    confirmed: Quantity | None,
    backorder: Quantity | None,
    dates: dict[str, date],
) -> LineStatus:
    if action in _ACCEPTED_CODES or not action:
        return LineStatus.ACCEPTED
    if backorder is not None and backorder.value > 0:
        return LineStatus.BACKORDERED
    if ordered and confirmed and confirmed.value != ordered.value:
        return LineStatus.QUANTITY_CHANGED
    promised = dates.get("69") or dates.get("17")
    if promised is not None and promised != dates.get("2"):
        return LineStatus.RESCHEDULED
    return LineStatus.PRICE_CHANGED


def encode(m: MessageContext, response: OrderResponse) -> list[OutSegment]:
    segments: list[OutSegment] = [
        (
            "BGM",
            "231",
            response.response_number or response.order_number,
            _WRITE_OVERALL[response.overall],
        ),
        dtm("137", response.response_date),
        ("RFF", ("ON", response.order_number)),
    ]
    if response.order_date:
        segments.append(dtm("171", response.order_date))
    if response.vendor_ref:
        segments.append(("RFF", ("VN", response.vendor_ref)))
    currencies = {ln.unit_price.currency for ln in response.lines if ln.unit_price}
    if len(currencies) > 1:
        raise InvalidDocument("ORDRSP lines carry several currencies", found=sorted(currencies))
    if currencies:
        segments.append(("CUX", ("2", currencies.pop(), "9")))
    segments += write_notes("AAI", response.note, m.version)
    for line in response.lines:
        segments += _encode_line(m, line)
    segments += [("UNS", "S"), ("CNT", ("2", str(len(response.lines))))]
    return segments


def _encode_line(m: MessageContext, line: ResponseLine) -> list[OutSegment]:
    code = {LineStatus.ACCEPTED: "5", LineStatus.REJECTED: "7"}.get(line.status, "3")
    segments = write_item_ids(line.line_no, code, line.item)
    segments += write_description(line.item, m.version)
    for qualifier, quantity in (
        ("21", line.ordered_qty),
        ("113", line.confirmed_qty),
        ("83", line.backorder_qty),
    ):
        if quantity is not None:
            segments.append(write_quantity(m.units, qualifier, quantity, line.line_no))
    if line.promised_date:
        # Only a rescheduled line states a promised date that differs from the requested one;
        # for every other status the date is confirmed as requested (DTM+2).
        qualifier = "69" if line.status == LineStatus.RESCHEDULED else "2"
        segments.append(dtm(qualifier, line.promised_date))
    segments += write_notes("AAI", line.note, m.version)
    if line.unit_price is not None:
        segments.append(
            write_price(line.unit_price.amount, Decimal(1), line.ordered_qty, m.units, line.line_no)
        )
    return segments
