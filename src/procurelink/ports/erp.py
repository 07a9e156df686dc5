"""The ERP gateway port: what services need from Odoo (the system of record)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Literal, Protocol

from procurelink.domain.order import PurchaseOrder
from procurelink.workflow.rfq_grouping import SourcingFacts


@dataclass(frozen=True, slots=True)
class ErpChange:
    """A record that changed in the ERP since the last poll.

    ``version`` tells apart two changes stamped in the same second (Odoo's write_date has no
    finer grain): a digest of the record's state and the values that follow its lines."""

    odoo_id: int
    write_date: str
    version: str = ""


@dataclass(frozen=True, slots=True)
class ErpOrder:
    """A purchase order as read from the ERP, mapped to the canonical model."""

    order: PurchaseOrder
    state: str  # Odoo purchase.order state: draft, sent, to approve, purchase, done, cancel
    write_date: str
    supplier_odoo_id: int
    # What each line has received so far (Odoo line id -> quantity in the line's unit),
    # however it was booked: through procurelink or directly in Odoo.
    received: Mapping[int, Decimal] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class LineUpdate:
    odoo_line_id: int
    date_planned: date | None = None
    product_qty: Decimal | None = None


RejectionPolicy = Literal["cancel", "flag"]


@dataclass(frozen=True, slots=True)
class RejectedLine:
    """An order line the supplier rejected."""

    odoo_line_id: int
    line_no: str


@dataclass(frozen=True, slots=True)
class AcknowledgmentWrite:
    """Everything one acknowledgment changes in the ERP, written as one batch.

    Rejected lines are cancelled (quantity down to what was already received, never below)
    or flagged (quantity kept, the note names them), per ``rejections``.
    """

    order_odoo_id: int
    vendor_ref: str | None
    lines: tuple[LineUpdate, ...]
    note: str
    rejected: tuple[RejectedLine, ...] = ()
    rejections: RejectionPolicy = "cancel"


@dataclass(frozen=True, slots=True)
class ShippedUnit:
    """Part of a shipped line: its quantity, lot or serial number and package, as given."""

    quantity: Decimal
    lot: str | None = None  # a lot or, for serial-tracked products, a serial (quantity 1)
    package: str | None = None  # package name in the ERP: the SSCC


@dataclass(frozen=True, slots=True)
class ShippedLine:
    """What a ship notice announces for one purchase order line, in the line's unit."""

    odoo_line_id: int
    quantity: Decimal
    units: tuple[ShippedUnit, ...] = ()  # empty: no lot or package detail


@dataclass(frozen=True, slots=True)
class ShipNoticeWrite:
    """A supplier's shipment announced to the ERP: when the receipt is now expected, and
    (when given) the shipped quantities, lots and packages on the open receipt, which is
    prepared but never validated."""

    order_odoo_id: int
    expected_date: date | None
    note: str
    lines: tuple[ShippedLine, ...] = ()


@dataclass(frozen=True, slots=True)
class ReceivedLot:
    """Part of a received quantity that carries one lot (or serial) number."""

    name: str
    quantity: Decimal


@dataclass(frozen=True, slots=True)
class ReceivedPackage:
    """Part of a received quantity that arrived in one package (with its lot, if any)."""

    name: str  # package name in the ERP: the SSCC, as for ship notices
    quantity: Decimal
    lot: str | None = None


@dataclass(frozen=True, slots=True)
class ReceivedLine:
    """What arrived for one purchase order line, in the line's unit."""

    odoo_line_id: int
    quantity: Decimal
    lots: tuple[ReceivedLot, ...] = ()  # empty: untracked; else quantities sum to ``quantity``
    held: Decimal = Decimal(0)  # part of ``quantity`` kept in quarantine, out of stock
    held_lots: tuple[ReceivedLot, ...] = ()  # which lots are held, when lots are given
    packages: tuple[ReceivedPackage, ...] = ()  # parts named by package; the rest unpacked


BackorderPolicy = Literal["create", "cancel"]


@dataclass(frozen=True, slots=True)
class ReceiptWrite:
    """A goods receipt applied to the order's open incoming receipt(s).

    Lines of the order absent here received nothing. What was not received goes to a
    backorder picking (``"create"``) or is cancelled (``"cancel"``).
    """

    order_odoo_id: int
    lines: tuple[ReceivedLine, ...]
    backorder: BackorderPolicy = "create"
    hold: QualityHold | None = None  # required when a line holds a quantity


@dataclass(frozen=True, slots=True)
class QualityHold:
    """Where held goods go and what the buyer is told (chatter note and To-Do activity)."""

    quarantine: str | None  # stock.location full name or XML id; None: "<WH>/Quarantine"
    reason: str
    correlation_id: str
    # What the hold answers (an inspection number): names its transfer in Odoo, so a
    # retried hold finds the transfer it started instead of moving the goods twice.
    reference: str | None = None


@dataclass(frozen=True, slots=True)
class HeldLine:
    """Received goods of one order line put on hold after the receipt (quality result)."""

    odoo_line_id: int
    quantity: Decimal
    lot: str | None = None


@dataclass(frozen=True, slots=True)
class QualityHoldWrite:
    """Move already received goods of an order to quarantine (an internal transfer)."""

    order_odoo_id: int
    lines: tuple[HeldLine, ...]
    hold: QualityHold


@dataclass(frozen=True, slots=True)
class BillLine:
    """One vendor bill line, linked to the purchase order line it bills."""

    odoo_line_id: int  # purchase.order.line
    quantity: Decimal
    price_unit: Decimal
    description: str | None = None  # default: the order line's description


BillType = Literal["in_invoice", "in_refund"]


@dataclass(frozen=True, slots=True)
class BillWrite:
    """A supplier invoice (or credit note) recorded as a draft vendor bill (refund)."""

    vendor_odoo_id: int
    vendor_ref: str  # the supplier's invoice number: account.move ``ref``
    invoice_date: date
    currency: str  # ISO 4217 code
    lines: tuple[BillLine, ...]
    move_type: BillType = "in_invoice"
    origin: str | None = None  # the order name(s): account.move ``invoice_origin``


@dataclass(frozen=True, slots=True)
class ErpBill:
    """A vendor bill as the ERP holds it."""

    odoo_id: int
    name: str  # "/" until posted, then its sequence number
    state: str  # draft, posted, cancel
    move_type: str
    ref: str | None
    payment_state: str


@dataclass(frozen=True, slots=True)
class ErpLineBilling:
    """One order line's three-way facts in the ERP: ordered, received and billed so far."""

    odoo_line_id: int
    ordered: Decimal
    received: Decimal
    invoiced: Decimal  # drafts included, refunds subtracted (Odoo's qty_invoiced)
    # Sum of the line's percentage taxes (19 for 19 % VAT, 0 without taxes); None when a
    # fixed or otherwise computed tax makes a rate meaningless.
    tax_rate: Decimal | None = None


@dataclass(frozen=True, slots=True)
class RfqLine:
    product_odoo_id: int
    quantity: Decimal  # in the product's purchase unit
    date_planned: date


@dataclass(frozen=True, slots=True)
class RfqWrite:
    """A draft request for quotation (purchase.order in state draft) for one vendor and plant."""

    vendor_odoo_id: int
    picking_type_id: int | None  # the plant's receipt type; None: the ERP's default
    origin: str  # source document: the planning batch, also the key to find it again
    lines: tuple[RfqLine, ...]


@dataclass(frozen=True, slots=True)
class ErpRfq:
    odoo_id: int
    name: str
    created: bool  # False: an RFQ of the same origin, vendor and plant was already there


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

    async def apply_receipt(self, write: ReceiptWrite) -> None:
        """Validate the order's open incoming receipt for the received quantities (held
        quantities into quarantine, with a note and an activity for the buyer)."""
        ...

    async def apply_quality_hold(self, write: QualityHoldWrite) -> None:
        """Move received goods into quarantine; note and activity for the buyer."""
        ...

    async def create_draft_bill(self, write: BillWrite) -> int:
        """Create a draft vendor bill linked line by line to the order lines; its id."""
        ...

    async def find_bills(self, vendor_odoo_id: int, ref: str, move_type: BillType) -> list[ErpBill]:
        """The vendor's bills (of that type, not cancelled) carrying reference ``ref``."""
        ...

    async def post_bill(self, bill_odoo_id: int) -> ErpBill:
        """Post a draft bill; the bill as it stands afterwards."""
        ...

    async def order_billing(self, order_odoo_id: int) -> list[ErpLineBilling]:
        """Ordered, received and billed quantities of the order's lines."""
        ...

    async def sourcing(
        self, product_codes: Sequence[str], plants: Sequence[str], vendor_refs: Sequence[str]
    ) -> SourcingFacts:
        """Products, their vendor price lists, plants' receipt types and named vendors."""
        ...

    async def create_rfq(self, write: RfqWrite) -> ErpRfq:
        """A draft RFQ, or the one already created for the same origin, vendor and plant."""
        ...

    async def close(self) -> None: ...
