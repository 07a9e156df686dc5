"""Judging a ship notice against the open orders it names."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal

from procurelink.domain.despatch import DespatchAdvice
from procurelink.domain.ledger import LedgerOrder, ShipmentLine
from procurelink.domain.partner_profile import Tolerances
from procurelink.errors import InvalidDocument, PolicyViolation, UnknownOrder, UnknownOrderLine
from procurelink.workflow.acknowledgment import check_sender


def shipment_lines(
    asn: DespatchAdvice, orders: Mapping[str, LedgerOrder], tolerances: Tolerances
) -> tuple[ShipmentLine, ...]:
    """The lines a ship notice announces, checked against the orders.

    Raises UnknownOrder, WrongSupplier, UnknownOrderLine, or PolicyViolation when more is
    shipped than is still open (beyond the partner's over-delivery tolerance).
    """
    lines: list[ShipmentLine] = []
    shipped: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for package in asn.packages:
        for item in package.items:
            order_number = item.order_number or _only(asn)
            order = orders.get(order_number)
            if order is None:
                raise UnknownOrder(
                    f"ship notice {asn.asn_number} names order {order_number!r}, "
                    "which procurelink never sent",
                    order_number=order_number,
                    asn_number=asn.asn_number,
                )
            check_sender(order, asn.partner_id)
            if item.order_line_no is None or order.line(item.order_line_no) is None:
                raise UnknownOrderLine(
                    f"ship notice {asn.asn_number}: order {order_number} has no line "
                    f"{item.order_line_no!r}",
                    order_number=order_number,
                    line_no=item.order_line_no,
                )
            shipped[(order_number, item.order_line_no)] += item.quantity.value
            lines.append(
                ShipmentLine(
                    order_number,
                    item.order_line_no,
                    item.quantity.value,
                    item.quantity.uom,
                    item.lot,
                    package.sscc,
                )
            )
    if not lines:
        raise InvalidDocument(f"ship notice {asn.asn_number} ships nothing")
    for (order_number, line_no), quantity in shipped.items():
        line = orders[order_number].line(line_no)
        assert line is not None
        still_open = line.quantity - line.received_quantity
        limit = still_open * (1 + tolerances.over_delivery_pct / 100)
        if quantity > limit:
            raise PolicyViolation(
                f"ship notice {asn.asn_number}: {quantity} {line.uom} on {order_number} line "
                f"{line_no}, but only {still_open} are still open "
                f"(tolerance {tolerances.over_delivery_pct}%)",
                order_number=order_number,
                line_no=line_no,
            )
    return tuple(lines)


def _only(asn: DespatchAdvice) -> str:
    if len(asn.order_numbers) == 1:
        return asn.order_numbers[0]
    raise InvalidDocument(
        f"ship notice {asn.asn_number}: an item names no order and the notice names "
        f"{len(asn.order_numbers)} orders",
        asn_number=asn.asn_number,
    )
