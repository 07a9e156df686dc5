"""860 Purchase Order Change Request - Buyer Initiated <-> OrderChange (edi.md 2.3, 5.1).

BCH11 (change request date) is written only when the change date differs from the
interchange date, and read back with GS04 as the fallback, so the sample's BCH stays as is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from procurelink.codecs.x12.context import ReadContext
from procurelink.codecs.x12.elements import (
    Place,
    check_line_count,
    date8,
    decimal,
    format_date,
    format_decimal,
    hash_total,
    integer,
    required,
)
from procurelink.codecs.x12.envelope import TransactionSet
from procurelink.codecs.x12.lines import (
    read_basis,
    read_item,
    read_quantity,
    write_basis,
    write_item,
    write_quantity,
)
from procurelink.codecs.x12.parties import read_n1_loop, write_n1_loops
from procurelink.codecs.x12.syntax import Segment
from procurelink.codecs.x12.units import UnitMap
from procurelink.domain.order import ChangeAction, OrderChange, OrderChangeLine, OrderPurpose
from procurelink.domain.parties import Item, Party
from procurelink.domain.values import Quantity
from procurelink.errors import InvalidDocument

_PURPOSES = {
    "01": OrderPurpose.CANCEL,
    "04": OrderPurpose.CHANGE,
    "05": OrderPurpose.REPLACE,
    "00": OrderPurpose.ORIGINAL,
}
_WRITE_PURPOSES = {purpose: code for code, purpose in _PURPOSES.items()}
# POC02 (code list 670). Combined changes (RQ, PQ, RZ) and NC carry their new values in
# the line; the canonical "change" means exactly that.
ACTIONS = {
    "AI": ChangeAction.ADD,
    "CA": ChangeAction.CHANGE,
    "DI": ChangeAction.DELETE,
    "PC": ChangeAction.PRICE_CHANGE,
    "QD": ChangeAction.QTY_DECREASE,
    "QI": ChangeAction.QTY_INCREASE,
    "RS": ChangeAction.RESCHEDULE,
    "RQ": ChangeAction.CHANGE,
    "PQ": ChangeAction.CHANGE,
    "RZ": ChangeAction.CHANGE,
    "NC": ChangeAction.CHANGE,
}
_WRITE_ACTIONS = {
    ChangeAction.ADD: "AI",
    ChangeAction.CHANGE: "CA",
    ChangeAction.DELETE: "DI",
    ChangeAction.PRICE_CHANGE: "PC",
    ChangeAction.QTY_DECREASE: "QD",
    ChangeAction.QTY_INCREASE: "QI",
    ChangeAction.RESCHEDULE: "RS",
}
_LINE_END = ("POC", "CTT", "AMT")


@dataclass(frozen=True, slots=True)
class Poc:
    """A POC segment read: the changed line as 860 and 865 both carry it."""

    segment: Segment
    line_no: str
    code: str
    quantity: Quantity | None
    left_to_receive: Quantity | None
    unit_price: Decimal | None
    price_basis_qty: Decimal
    item: Item


def read_poc(place: Place, units: UnitMap, poc: Segment) -> Poc:
    return Poc(
        segment=poc,
        line_no=required(place, poc, 1),
        code=required(place, poc, 2),
        quantity=read_quantity(place, units, poc, 3, 5),
        # POC04 shares POC05's unit.
        left_to_receive=read_quantity(place, units, poc, 4, 5),
        unit_price=decimal(place, poc, 6),
        price_basis_qty=read_basis(poc, 7),
        item=read_item(poc, 8),
    )


@dataclass
class _Line:
    poc: Poc
    description: list[str] = field(default_factory=list)
    requested_date: date | None = None


def decode(ts: TransactionSet, ctx: ReadContext) -> OrderChange:
    place, body = ts.place, ts.body
    header: dict[str, Any] = {}
    parties: list[Party] = []
    lines: list[_Line] = []
    count: Segment | None = None
    i = 0
    while i < len(body):
        segment = body[i]
        if segment.tag == "N1":
            party, i = read_n1_loop(body, i)
            parties += [party] if party else []
            continue
        if segment.tag == "POC":
            line, i = _read_line(place, ctx.units, body, i)
            lines.append(line)
            continue
        if segment.tag == "BCH":
            header.update(_read_bch(place, segment))
        elif segment.tag == "CUR" and "currency" not in header:
            header["currency"] = required(place, segment, 2)
        elif segment.tag == "CTT":
            count = segment
        i += 1
    if "order_number" not in header:
        raise place.error(
            InvalidDocument, "860 without BCH", expected="BCH", rule="missing_segment"
        )
    check_line_count(place, count, len(lines), "POC")
    currency = header.get("currency")
    change_date = header.pop("change_date", None) or ctx.group_date
    return OrderChange(
        **ctx.ids,
        **header,
        change_date=change_date,
        parties=tuple(parties),
        lines=tuple(_change_line(place, ctx, line, currency) for line in lines),
    )


def _read_bch(place: Place, bch: Segment) -> dict[str, Any]:
    purpose = _PURPOSES.get(bch.get(1))
    if purpose is None:
        raise place.error(
            InvalidDocument, "unknown BCH01 purpose", bch, 1, found=bch.get(1), rule="invalid_code"
        )
    seq = integer(place, bch, 5)
    if seq is None:
        required(place, bch, 5)
    return {
        "purpose": purpose,
        "order_number": required(place, bch, 3),
        "change_seq": seq,
        "order_date": date8(place, bch, 6),
        "change_date": date8(place, bch, 11),
    }


def _read_line(
    place: Place, units: UnitMap, body: tuple[Segment, ...], i: int
) -> tuple[_Line, int]:
    line = _Line(read_poc(place, units, body[i]))
    i += 1
    while i < len(body) and body[i].tag not in _LINE_END:
        segment = body[i]
        if segment.tag == "PID" and segment.get(5):
            line.description.append(segment.get(5))
        elif segment.tag == "DTM" and segment.get(1) == "002":
            line.requested_date = line.requested_date or date8(place, segment, 2)
        elif segment.tag == "SCH" and segment.get(5) == "002":
            line.requested_date = line.requested_date or date8(place, segment, 6)
        i += 1
    return line, i


def _change_line(
    place: Place, ctx: ReadContext, line: _Line, currency: str | None
) -> OrderChangeLine:
    poc = line.poc
    action = ACTIONS.get(poc.code)
    if action is None:
        raise place.error(
            InvalidDocument,
            "POC02 change type not supported",
            poc.segment,
            2,
            found=poc.code[:10],
            rule="invalid_code",
        )
    item = poc.item.model_copy(update={"description": " ".join(line.description) or None})
    return OrderChangeLine(
        line_no=poc.line_no,
        action=action,
        item=item if item.model_dump(exclude_none=True) else None,
        quantity=poc.quantity,
        qty_left_to_receive=poc.left_to_receive,
        unit_price=ctx.money(place, poc.unit_price, currency, poc.segment),
        requested_date=line.requested_date,
    )


def encode(change: OrderChange, units: UnitMap, sent_on: date) -> list[tuple[str, ...]]:
    bch11 = format_date(change.change_date) if change.change_date != sent_on else ""
    segments: list[tuple[str, ...]] = [
        (
            "BCH",
            _WRITE_PURPOSES[change.purpose],
            "SA",
            change.order_number,
            "",
            str(change.change_seq),
            format_date(change.order_date) if change.order_date else "",
            "",
            "",
            "",
            "",
            bch11,
        )
    ]
    if change.currency:
        segments.append(("CUR", "BY", change.currency))
    segments += write_n1_loops(change.parties)
    for line in change.lines:
        segments += _encode_line(line, change.currency, units)
    quantities = [ln.quantity.value for ln in change.lines if ln.quantity]
    segments.append(("CTT", str(len(change.lines)), hash_total(quantities)))
    return segments


def write_poc(units: UnitMap, line: OrderChangeLine, code: str) -> tuple[str, ...]:
    quantity = line.quantity or line.qty_left_to_receive
    qty, uom = write_quantity(units, line.quantity, line.line_no)
    left, left_uom = write_quantity(units, line.qty_left_to_receive, line.line_no)
    if line.quantity and line.qty_left_to_receive and left_uom != uom:
        raise InvalidDocument(
            "POC03 and POC04 share one unit", line_no=line.line_no, found=[uom, left_uom]
        )
    price = line.unit_price.amount if line.unit_price else None
    return (
        "POC",
        line.line_no,
        code,
        qty,
        left,
        uom or left_uom,
        format_decimal(price) if price is not None else "",
        write_basis(line.line_no, quantity, price, Decimal(1)),
        *write_item(line.item),
    )


def _encode_line(
    line: OrderChangeLine, currency: str | None, units: UnitMap
) -> list[tuple[str, ...]]:
    # Without CUR the partner's default currency applies (the sample 860 has none).
    if line.unit_price and currency and line.unit_price.currency != currency:
        raise InvalidDocument(
            "line price currency differs from the change's currency (CUR)",
            line_no=line.line_no,
            expected=currency,
            found=line.unit_price.currency,
        )
    segments = [write_poc(units, line, _WRITE_ACTIONS[line.action])]
    if line.item and line.item.description:
        segments.append(("PID", "F", "", "", "", line.item.description))
    if line.requested_date:
        segments.append(("DTM", "002", format_date(line.requested_date)))
    return segments
