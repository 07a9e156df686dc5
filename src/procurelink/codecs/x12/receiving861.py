"""861 Receiving Advice/Acceptance Certificate <-> GoodsReceipt.

Written by us to tell a supplier what a plant received; read back for tests and for
partners that report receipts themselves. Layout (partner guides may differ):

    BRA*<receipt number>*<date>*00*1*<time>        receiving advice, original
    DTM*050*<date>*<time>*UT                       only for a receipt time in UTC
    REF*PO*<order number>   REF*SI*<ASN number>
    N1*ST**92*<plant>
    RCD*<order line>*<quantity>*<unit>             one loop per received line, with
    LIN**BP*...*VP*...*EN*...   PID   REF*LT*<lot>   MAN*GM*<SSCC>
    CTT*<lines>*<quantity hash>
"""

from __future__ import annotations

from datetime import UTC, datetime, time

from procurelink.codecs.x12.context import ReadContext
from procurelink.codecs.x12.elements import (
    Place,
    check_line_count,
    format_date,
    format_decimal,
    format_time,
    hash_total,
    optional,
    required,
    required_date,
    sscc,
    time_of_day,
)
from procurelink.codecs.x12.envelope import TransactionSet
from procurelink.codecs.x12.lines import read_item, read_quantity, write_item, write_unit
from procurelink.codecs.x12.syntax import Segment
from procurelink.codecs.x12.units import UnitMap
from procurelink.domain.parties import Item
from procurelink.domain.receipt import GoodsReceipt, ReceiptLine
from procurelink.errors import InvalidDocument

_REFS = {"PO": "order_number", "SI": "asn_number"}


def encode(receipt: GoodsReceipt, units: UnitMap) -> list[tuple[str, ...]]:
    at = receipt.received_at
    utc = at.tzinfo is not None
    if utc:
        at = at.astimezone(UTC)
    segments: list[tuple[str, ...]] = [
        ("BRA", receipt.receipt_number, format_date(at.date()), "00", "1", format_time(at.time()))
    ]
    if utc:
        segments.append(("DTM", "050", format_date(at.date()), format_time(at.time()), "UT"))
    segments.append(("REF", "PO", receipt.order_number))
    if receipt.asn_number:
        segments.append(("REF", "SI", receipt.asn_number))
    if receipt.plant:
        segments.append(("N1", "ST", "", "92", receipt.plant))
    for line in receipt.lines:
        segments += _encode_line(units, line)
    quantities = [line.quantity.value for line in receipt.lines]
    segments.append(("CTT", str(len(receipt.lines)), hash_total(quantities)))
    return segments


def _encode_line(units: UnitMap, line: ReceiptLine) -> list[tuple[str, ...]]:
    uom = write_unit(units, line.quantity, line.order_line_no)
    segments: list[tuple[str, ...]] = [
        ("RCD", line.order_line_no, format_decimal(line.quantity.value), uom)
    ]
    pairs = write_item(line.item)
    if pairs:
        segments.append(("LIN", "", *pairs))
    if line.item and line.item.description:
        segments.append(("PID", "F", "", "", "", line.item.description))
    if line.lot:
        segments.append(("REF", "LT", line.lot))
    if line.sscc:
        segments.append(("MAN", "GM", line.sscc))
    return segments


def decode(ts: TransactionSet, ctx: ReadContext) -> GoodsReceipt:
    place, body = ts.place, ts.body
    header: dict[str, str | None] = {}
    received_at: datetime | None = None
    lines: list[ReceiptLine] = []
    count: Segment | None = None
    i = 0
    while i < len(body):
        segment = body[i]
        if segment.tag == "RCD":
            line, i = _read_line(place, ctx.units, body, i)
            lines.append(line)
            continue
        if segment.tag == "BRA":
            header["receipt_number"] = required(place, segment, 1)
            received_at = received_at or _moment(place, segment, 2, 5)
        elif segment.tag == "DTM" and segment.get(1) == "050" and segment.get(4) == "UT":
            received_at = _moment(place, segment, 2, 3).replace(tzinfo=UTC)
        elif segment.tag == "REF" and segment.get(1) in _REFS:
            header.setdefault(_REFS[segment.get(1)], optional(segment, 2))
        elif segment.tag == "N1" and segment.get(1) == "ST":
            header["plant"] = optional(segment, 4) or optional(segment, 2)
        elif segment.tag == "CTT":
            count = segment
        i += 1
    if received_at is None:
        raise place.error(
            InvalidDocument, "861 without BRA", expected="BRA", rule="missing_segment"
        )
    check_line_count(place, count, len(lines), "RCD")
    return GoodsReceipt(**ctx.ids, **header, received_at=received_at, lines=tuple(lines))


def _moment(place: Place, segment: Segment, date_index: int, time_index: int) -> datetime:
    day = required_date(place, segment, date_index)
    return datetime.combine(day, time_of_day(place, segment, time_index) or time())


def _read_line(
    place: Place, units: UnitMap, body: tuple[Segment, ...], i: int
) -> tuple[ReceiptLine, int]:
    rcd = body[i]
    required(place, rcd, 2)
    quantity = read_quantity(place, units, rcd, 2, 3)
    assert quantity is not None  # RCD02 is required above
    values: dict[str, str | None] = {}
    item = None
    description: list[str] = []
    i += 1
    while i < len(body) and body[i].tag not in ("RCD", "CTT"):
        segment = body[i]
        if segment.tag == "LIN":
            item = read_item(segment, 2)
        elif segment.tag == "PID" and segment.get(5):
            description.append(segment.get(5))
        elif segment.tag == "REF" and segment.get(1) == "LT":
            values["lot"] = optional(segment, 2)
        elif segment.tag == "MAN" and segment.get(1) == "GM":
            values["sscc"] = sscc(place, segment, 2)
        i += 1
    if description:
        item = (item or Item()).model_copy(update={"description": " ".join(description)})
    line = ReceiptLine(
        order_line_no=required(place, rcd, 1), item=item, quantity=quantity, **values
    )
    return line, i
