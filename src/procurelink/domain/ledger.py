"""The procurement ledger: procurelink's projection of open orders and their lines.

It keeps both the original commitment (what the buyer ordered) and what stands now (after
applied acknowledgments), so every change can be judged against the original.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum


class OrderState(StrEnum):
    """procurelink's lifecycle of an order (workflow.lifecycle holds transitions)."""

    RELEASED = "released"
    SENT = "sent"
    ACKNOWLEDGED = "acknowledged"
    CHANGE_PENDING = "change_pending"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"
    CANCELLED = "cancelled"
    CLOSED = "closed"


@dataclass(frozen=True, slots=True)
class LedgerLine:
    line_no: str
    quantity: Decimal
    uom: str
    requested_date: date | None
    original_quantity: Decimal
    original_date: date | None
    odoo_line_id: int | None = None
    buyer_item: str | None = None
    supplier_item: str | None = None
    description: str | None = None
    unit_price: Decimal | None = None
    received_quantity: Decimal = Decimal(0)


@dataclass(frozen=True, slots=True)
class LedgerOrder:
    """procurelink's projection of an open order: what was committed and what stands now."""

    order_number: str
    partner_id: str
    correlation_id: str
    state: OrderState
    revision: int
    currency: str
    updated_at: datetime
    lines: tuple[LedgerLine, ...]
    odoo_id: int | None = None
    supplier_odoo_id: int | None = None
    plant: str | None = None
    vendor_ref: str | None = None
    erp_write_date: str | None = None

    def line(self, line_no: str) -> LedgerLine | None:
        return next((ln for ln in self.lines if ln.line_no == line_no), None)


class ShipmentState(StrEnum):
    ANNOUNCED = "announced"  # ship notice received
    PICKED_UP = "picked_up"
    IN_TRANSIT = "in_transit"
    DELAYED = "delayed"
    DELIVERED = "delivered"
    EXCEPTION = "exception"


@dataclass(frozen=True, slots=True)
class ShipmentLine:
    order_number: str
    line_no: str
    quantity: Decimal
    uom: str
    lot: str | None = None
    sscc: str | None = None


@dataclass(frozen=True, slots=True)
class LedgerShipment:
    """A supplier's ship notice as procurelink tracks it, until the goods are received."""

    partner_id: str
    asn_number: str
    correlation_id: str
    state: ShipmentState
    ship_date: date
    expected_date: date | None
    updated_at: datetime
    lines: tuple[ShipmentLine, ...]
    tracking_number: str | None = None
    carrier: str | None = None
    ssccs: tuple[str, ...] = ()

    @property
    def order_numbers(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(line.order_number for line in self.lines))

    def lookup_refs(self) -> tuple[str, ...]:
        """Keys a carrier event can name this shipment by."""
        refs = [f"sscc:{s}" for s in self.ssccs]
        if self.tracking_number:
            refs.append(f"tracking:{self.tracking_number}")
        return tuple(refs)
