"""The ERP gateway port: what services need from Odoo (the system of record)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Protocol

from procurelink.domain.order import PurchaseOrder


@dataclass(frozen=True, slots=True)
class ErpChange:
    """A record that changed in the ERP since the last poll."""

    odoo_id: int
    write_date: str


@dataclass(frozen=True, slots=True)
class ErpOrder:
    """A purchase order as read from the ERP, mapped to the canonical model."""

    order: PurchaseOrder
    state: str  # Odoo purchase.order state: draft, sent, to approve, purchase, done, cancel
    write_date: str
    supplier_odoo_id: int


@dataclass(frozen=True, slots=True)
class LineUpdate:
    odoo_line_id: int
    date_planned: date | None = None
    product_qty: Decimal | None = None


@dataclass(frozen=True, slots=True)
class AcknowledgmentWrite:
    """Everything one acknowledgment changes in the ERP, written as one batch."""

    order_odoo_id: int
    vendor_ref: str | None
    lines: tuple[LineUpdate, ...]
    note: str


@dataclass(frozen=True, slots=True)
class ShipNoticeWrite:
    """A supplier's shipment announced to the ERP: when the receipt is now expected."""

    order_odoo_id: int
    expected_date: date
    note: str


# The change hooks an ERP may notify procurelink of (each its URL path segment and secret).
CHANGE_HOOK_KEYS: tuple[str, ...] = ("purchase-order", "receipt", "vendor-bill")


@dataclass(frozen=True, slots=True)
class HookInfo:
    """One change hook as provisioned in the ERP."""

    key: str
    model: str
    rule_id: int
    created: bool
    updated: bool


class ChangeHooks(Protocol):
    """Optional: an ERP that can push change hints (Odoo 17+ automation webhooks)."""

    async def ensure_change_hooks(
        self, base_url: str, secrets: Mapping[str, str]
    ) -> list[HookInfo]:
        """Create or update one hook per key of ``secrets`` (none where unsupported)."""
        ...


class ErpGateway(Protocol):
    async def changed_orders(self, since: datetime | None) -> list[ErpChange]:
        """Purchase orders whose write_date is at or after ``since`` (all when None)."""
        ...

    async def read_order(self, odoo_id: int) -> ErpOrder: ...

    async def apply_acknowledgment(self, write: AcknowledgmentWrite) -> None:
        """Write vendor reference, line dates and quantities, and a chatter note."""
        ...

    async def apply_ship_notice(self, write: ShipNoticeWrite) -> None:
        """Move the open incoming receipts of the order to the expected date; chatter note."""
        ...

    async def close(self) -> None: ...
