"""ACK segments of an 855 line: line status, confirmed and backordered quantities, dates.

Several ACKs may answer one PO1 (3 000 accepted now, 2 000 backordered): quantities are
summed by what each code means, and the line takes the first status that is not plain
acceptance.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from procurelink.codecs.x12.elements import Place, date8, decimal, format_date, format_decimal
from procurelink.codecs.x12.lines import read_unit, write_unit
from procurelink.codecs.x12.syntax import Segment
from procurelink.codecs.x12.units import UnitMap
from procurelink.domain.response import LineStatus, ResponseLine
from procurelink.domain.values import Quantity
from procurelink.errors import ConfigurationError, InvalidDocument

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


@dataclass
class Ack:
    segment: Segment
    status: LineStatus
    quantity: Quantity | None
    date_qualifier: str
    date: date | None


def status_table(options: Mapping[str, Any]) -> dict[str, LineStatus]:
    """The default table with the partner's ``ack_status_map`` over it."""
    raw = options.get("ack_status_map") or {}
    try:
        overrides = {str(code): LineStatus(status) for code, status in dict(raw).items()}
    except (TypeError, ValueError) as exc:
        raise ConfigurationError(
            "ack_status_map must map ACK01 codes to line statuses", option="ack_status_map"
        ) from exc
    return {**ACK_STATUS, **overrides}


def read_ack(place: Place, units: UnitMap, statuses: Mapping[str, LineStatus], ack: Segment) -> Ack:
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
    return Ack(ack, status, quantity, ack.get(4), date8(place, ack, 5))


def line_status(acks: list[Ack], overall_rejected: bool) -> LineStatus:
    status = next((a.status for a in acks if a.status != LineStatus.ACCEPTED), None)
    if status is not None:
        return status
    # A PO1 echoed without ACK follows the whole acknowledgment.
    return LineStatus.REJECTED if not acks and overall_rejected else LineStatus.ACCEPTED


def quantities(
    acks: list[Ack], ordered: Quantity | None
) -> tuple[Quantity | None, Quantity | None]:
    """Confirmed and backordered quantity: sums over the ACKs by what each code means."""
    confirmed: Quantity | None = None
    backorder: Quantity | None = None
    for ack in acks:
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


def promised_date(acks: list[Ack]) -> date | None:
    for qualifiers in (_DELIVERY_DATES, _SHIP_DATES):
        found = next((a.date for a in acks if a.date and a.date_qualifier in qualifiers), None)
        if found is not None:
            return found
    return None


def write_acks(line: ResponseLine, units: UnitMap) -> list[tuple[str, ...]]:
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
