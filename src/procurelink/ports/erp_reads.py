"""The ERP read port: master data, receipts and bills as procurelink needs them from Odoo.

Values are Odoo's as read, mapped to plain types: quantities are ``Decimal`` in the unit
named beside them, dates are ``date``/``datetime`` (naive UTC, as Odoo stores them).
Bank account numbers are ``SecretStr``: they print, log and serialise as ``**********``
and only ``get_secret_value()`` shows them (changing vendor bank data is the classic
payment-fraud vector; reference section 3.1).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Protocol

from pydantic import SecretStr

from procurelink.domain.price_list import PriceListLine
from procurelink.ports.erp import ReceivedLine


@dataclass(frozen=True, slots=True)
class BankAccount:
    """A vendor's bank account (``res.partner.bank``)."""

    odoo_id: int
    number: SecretStr
    holder: str | None
    bank: str | None
    bic: str | None
    currency: str | None
    trusted: bool  # allow_out_payment: trusted for outgoing payments


@dataclass(frozen=True, slots=True)
class Vendor:
    """A supplier (``res.partner`` with ``supplier_rank`` > 0)."""

    odoo_id: int
    name: str
    ref: str | None  # the buyer's vendor code
    vat: str | None
    is_company: bool
    supplier_rank: int
    email: str | None
    bank_accounts: tuple[BankAccount, ...]


@dataclass(frozen=True, slots=True)
class Unit:
    """A unit of measure; map supplier units to Odoo units by ``odoo_id``, never by factor.

    ``reference_qty`` is how many reference units one of this unit holds (kg per tonne:
    1000), whatever the version's own ``factor`` means (inverted in 19).
    """

    odoo_id: int
    name: str
    code: str  # normalised (edi.md 5.6): "unit", "kg", "dozen"...
    category: str  # 16-18: uom.category name; 19: the name of the root of its unit tree
    reference_qty: Decimal
    rounding: Decimal
    is_reference: bool


@dataclass(frozen=True, slots=True)
class Product:
    """A product variant (``product.product``; order lines reference these)."""

    odoo_id: int
    template_id: int
    name: str
    default_code: str | None
    barcode: str | None
    uom: str  # stock unit name
    purchase_uom: str  # 16-18 uom_po_id; 19 the stock unit (vendor units are per price)
    tracking: str  # none, lot, serial
    storable: bool
    purchase_ok: bool


@dataclass(frozen=True, slots=True)
class VendorPrice:
    """One vendor price-list entry (``product.supplierinfo``) and its canonical line."""

    odoo_id: int
    line: PriceListLine
    discount: Decimal  # percent, 17+ (0 on 16)
    sequence: int


@dataclass(frozen=True, slots=True)
class PickingType:
    """An operation type of a plant (``stock.picking.type``)."""

    odoo_id: int
    name: str
    code: str  # incoming, outgoing, internal...
    sequence_code: str
    create_backorder: str  # ask, always, never
    use_create_lots: bool
    use_existing_lots: bool


@dataclass(frozen=True, slots=True)
class Plant:
    """A warehouse; routing an order to it = its ``receipt_type_id`` on the order."""

    odoo_id: int
    name: str
    code: str
    company: str
    company_id: int
    reception_steps: str  # one_step, two_steps, three_steps
    receipt_type_id: int | None
    picking_types: tuple[PickingType, ...]


@dataclass(frozen=True, slots=True)
class IncomingMove:
    """A stock move of a receipt: demand and what is reserved/received so far."""

    odoo_id: int
    odoo_line_id: int | None  # purchase.order.line
    product_id: int
    demand: Decimal
    quantity: Decimal  # 17+: quantity (reserved until done); 16: quantity_done
    uom: str
    state: str
    date: datetime | None


@dataclass(frozen=True, slots=True)
class IncomingPicking:
    """A receipt (``stock.picking`` of an incoming type) of a purchase order."""

    odoo_id: int
    name: str
    origin: str | None
    state: str
    picking_type_id: int
    scheduled_date: datetime | None
    date_deadline: datetime | None
    date_done: datetime | None
    backorder_of: int | None
    moves: tuple[IncomingMove, ...]


@dataclass(frozen=True, slots=True)
class DoneReceipt:
    """A validated receipt: received quantities per order line (in the line's move unit)
    with their lots or serials (``stock.move.line``)."""

    odoo_id: int
    name: str
    date_done: datetime | None
    lines: tuple[ReceivedLine, ...]


@dataclass(frozen=True, slots=True)
class VendorBillLine:
    odoo_id: int
    odoo_line_id: int | None  # purchase.order.line billed, when linked
    product_id: int | None
    description: str | None
    quantity: Decimal
    price_unit: Decimal


@dataclass(frozen=True, slots=True)
class VendorBill:
    """A vendor bill or credit note (``account.move`` in_invoice / in_refund)."""

    odoo_id: int
    name: str | None
    move_type: str  # in_invoice, in_refund
    state: str  # draft, posted, cancel
    payment_state: str  # not_paid, in_payment, paid, partial, reversed...
    vendor_ref: str | None  # ``ref``: the supplier's invoice number
    invoice_date: date | None
    vendor_odoo_id: int | None
    currency: str
    amount_untaxed: Decimal
    amount_total: Decimal
    lines: tuple[VendorBillLine, ...]


class ErpReads(Protocol):
    """Reads an integration needs beyond orders (``ErpGateway``)."""

    async def vendors(self, refs: Sequence[str] = (), odoo_ids: Sequence[int] = ()) -> list[Vendor]:
        """Vendors by ``ref`` or id (all vendors when both are empty)."""
        ...

    async def products(self, default_codes: Sequence[str]) -> list[Product]: ...

    async def vendor_prices(self, vendor_odoo_id: int) -> list[VendorPrice]:
        """The vendor's price list, in Odoo's seller order (sequence, min_qty desc...)."""
        ...

    async def units(self) -> list[Unit]: ...

    async def plants(self) -> list[Plant]:
        """Warehouses and their operation types."""
        ...

    async def incoming_pickings(self, order_odoo_id: int) -> list[IncomingPicking]:
        """The order's receipts (all states) with their moves."""
        ...

    async def done_receipts(self, order_odoo_id: int) -> list[DoneReceipt]:
        """The order's validated receipts: quantities per order line and lots."""
        ...

    async def vendor_bills(
        self, *, order_odoo_id: int | None = None, vendor_odoo_id: int | None = None
    ) -> list[VendorBill]:
        """Vendor bills and credit notes of an order (linked lines) or of a vendor."""
        ...
