"""Judging a supplier acknowledgment against the open order and the partner's tolerances.

The result says which line values would change in Odoo and which of those changes break a
tolerance. Changes inside tolerance are applied automatically; anything else waits for a buyer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from procurelink.domain.ledger import LedgerLine, LedgerOrder
from procurelink.domain.partner_profile import Tolerances
from procurelink.domain.response import LineStatus, OrderResponse, ResponseLine, ResponseStatus
from procurelink.errors import UnknownOrderLine, UomMismatch, WrongSupplier


class ChangeKind(StrEnum):
    DATE = "date"
    QUANTITY = "quantity"
    PRICE = "price"
    REJECT = "reject"


@dataclass(frozen=True, slots=True)
class LineChange:
    line_no: str
    kind: ChangeKind
    before: str | None
    after: str | None
    odoo_line_id: int | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "line_no": self.line_no,
            "kind": str(self.kind),
            "before": self.before,
            "after": self.after,
            "odoo_line_id": self.odoo_line_id,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LineChange:
        return cls(
            line_no=str(data["line_no"]),
            kind=ChangeKind(data["kind"]),
            before=data.get("before"),
            after=data.get("after"),
            odoo_line_id=data.get("odoo_line_id"),
        )


@dataclass(frozen=True, slots=True)
class Violation:
    line_no: str | None
    rule: str
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {"line_no": self.line_no, "rule": self.rule, "message": self.message}


@dataclass(frozen=True, slots=True)
class Assessment:
    changes: tuple[LineChange, ...]
    violations: tuple[Violation, ...]

    @property
    def needs_approval(self) -> bool:
        return bool(self.violations)

    def summary(self) -> str:
        if not self.violations:
            return f"{len(self.changes)} change(s) within tolerance"
        return "; ".join(v.message for v in self.violations)


def check_sender(order: LedgerOrder, partner_id: str) -> None:
    if order.partner_id != partner_id:
        raise WrongSupplier(
            f"order {order.order_number} belongs to partner {order.partner_id!r}, "
            f"not to {partner_id!r}",
            order_number=order.order_number,
            expected_partner=order.partner_id,
            sender=partner_id,
        )


def assess(order: LedgerOrder, response: OrderResponse, tolerances: Tolerances) -> Assessment:
    """Changes and tolerance violations of ``response`` against ``order``.

    Raises WrongSupplier or UnknownOrderLine when the response cannot belong to the order,
    UomMismatch when a quantity is in another unit than its line.
    """
    check_sender(order, response.partner_id)
    changes: list[LineChange] = []
    violations: list[Violation] = []
    if response.overall == ResponseStatus.REJECTED and not response.lines:
        violations.append(Violation(None, "order_rejected", "the supplier rejected the order"))
    for rline in response.lines:
        lline = order.line(rline.line_no)
        if lline is None:
            raise UnknownOrderLine(
                f"order {order.order_number} has no line {rline.line_no!r}",
                order_number=order.order_number,
                line_no=rline.line_no,
            )
        _check_units(order, lline, rline)
        line_changes = _line_changes(lline, rline)
        changes.extend(line_changes)
        violations.extend(_violations(lline, line_changes, tolerances))
    return Assessment(tuple(changes), tuple(violations))


def _check_units(order: LedgerOrder, lline: LedgerLine, rline: ResponseLine) -> None:
    # Units are normalised by the codecs (partner tables included); a unit that still differs
    # has no agreed conversion here, and writing its number as the line's unit would order
    # the wrong amount.
    for qty in (rline.ordered_qty, rline.confirmed_qty):
        if qty is not None and qty.uom != lline.uom:
            raise UomMismatch(
                f"order {order.order_number} line {lline.line_no} is in {lline.uom!r}; "
                f"the acknowledgment gives {qty} ({qty.uom!r})",
                order_number=order.order_number,
                line_no=lline.line_no,
                expected=lline.uom,
                got=qty.uom,
            )


def _line_changes(lline: LedgerLine, rline: ResponseLine) -> list[LineChange]:
    out: list[LineChange] = []

    def add(kind: ChangeKind, before: object, after: object) -> None:
        out.append(
            LineChange(
                lline.line_no,
                kind,
                None if before is None else str(before),
                None if after is None else str(after),
                lline.odoo_line_id,
            )
        )

    if rline.status == LineStatus.REJECTED:
        add(ChangeKind.REJECT, lline.quantity, lline.received_quantity)
        return out
    if rline.promised_date is not None and rline.promised_date != lline.requested_date:
        add(ChangeKind.DATE, lline.requested_date, rline.promised_date)
    # A backorder keeps the full quantity (it only moves the date); otherwise the confirmed
    # quantity is what the supplier commits to deliver.
    confirmed = rline.confirmed_qty
    if (
        rline.status != LineStatus.BACKORDERED
        and confirmed is not None
        and confirmed.value != lline.quantity
    ):
        add(ChangeKind.QUANTITY, lline.quantity, confirmed.value)
    if (
        rline.unit_price is not None
        and lline.unit_price is not None
        and rline.unit_price.amount != lline.unit_price
    ):
        add(ChangeKind.PRICE, lline.unit_price, rline.unit_price.amount)
    return out


def _pct(before: Decimal, after: Decimal) -> Decimal:
    if before == 0:
        return Decimal(0) if after == 0 else Decimal(100)
    return abs(after - before) * 100 / before


def _violations(lline: LedgerLine, changes: list[LineChange], tol: Tolerances) -> list[Violation]:
    found: list[Violation] = []
    for ch in changes:
        where = f"line {ch.line_no}"
        if ch.kind == ChangeKind.DATE and ch.after is not None:
            before = lline.requested_date
            shift = (date.fromisoformat(ch.after) - before).days if before else None
            if shift is None or abs(shift) > tol.date_shift_days:
                found.append(
                    Violation(
                        ch.line_no,
                        "date_shift",
                        f"{where}: date moves {before} -> {ch.after} "
                        f"({shift:+d} days, tolerance {tol.date_shift_days})"
                        if shift is not None
                        else f"{where}: date set to {ch.after} where none was requested",
                    )
                )
        elif ch.kind == ChangeKind.QUANTITY and ch.after is not None:
            after = Decimal(ch.after)
            if after < lline.received_quantity:
                found.append(
                    Violation(
                        ch.line_no,
                        "below_received",
                        f"{where}: quantity {after} is below the {lline.received_quantity} "
                        "already received",
                    )
                )
            elif _pct(lline.quantity, after) > tol.quantity_change_pct:
                found.append(
                    Violation(
                        ch.line_no,
                        "quantity_change",
                        f"{where}: quantity {lline.quantity} -> {after} "
                        f"(tolerance {tol.quantity_change_pct}%)",
                    )
                )
        elif ch.kind == ChangeKind.PRICE and ch.after is not None and ch.before is not None:
            if _pct(Decimal(ch.before), Decimal(ch.after)) > tol.price_change_pct:
                found.append(
                    Violation(
                        ch.line_no,
                        "price_change",
                        f"{where}: price {ch.before} -> {ch.after} "
                        f"(tolerance {tol.price_change_pct}%)",
                    )
                )
        elif ch.kind == ChangeKind.REJECT and not tol.auto_apply_rejections:
            found.append(Violation(ch.line_no, "line_rejected", f"{where}: rejected by supplier"))
    return found
