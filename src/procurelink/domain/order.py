"""Purchase order and buyer-initiated order change."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Literal

from pydantic import Field

from procurelink.domain.document import Document
from procurelink.domain.parties import Contact, Item, Party, PartyRole
from procurelink.domain.values import Dec, Frozen, Money, PaymentTerms, Quantity


class OrderPurpose(StrEnum):
    ORIGINAL = "original"
    CHANGE = "change"
    CANCEL = "cancel"
    REPLACE = "replace"


class OrderLine(Frozen):
    line_no: str = Field(min_length=1)
    item: Item
    quantity: Quantity
    unit_price: Money | None = None
    price_basis_qty: Dec = Decimal(1)
    requested_date: date | None = None
    odoo_line_id: int | None = None


class PurchaseOrder(Document):
    document_type: Literal["purchase_order"] = "purchase_order"
    order_number: str = Field(min_length=1)
    revision: int = Field(default=0, ge=0)
    purpose: OrderPurpose = OrderPurpose.ORIGINAL
    order_date: date
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    parties: tuple[Party, ...] = ()
    contact: Contact | None = None
    contract_ref: str | None = None
    vendor_code_at_buyer: str | None = None
    vendor_ref: str | None = None
    requested_date: date | None = None
    payment_terms: PaymentTerms | None = None
    incoterms: str | None = None
    plant: str | None = None
    lines: tuple[OrderLine, ...] = Field(min_length=1)
    total_amount: Dec | None = None
    odoo_id: int | None = None

    def party(self, role: PartyRole) -> Party | None:
        return next((p for p in self.parties if p.role == role), None)

    def line(self, line_no: str) -> OrderLine | None:
        return next((ln for ln in self.lines if ln.line_no == line_no), None)


class ChangeAction(StrEnum):
    """What a change does to a line (X12 POC02, EDIFACT LIN 1229)."""

    ADD = "add"
    CHANGE = "change"
    DELETE = "delete"
    QTY_INCREASE = "qty_increase"
    QTY_DECREASE = "qty_decrease"
    PRICE_CHANGE = "price_change"
    RESCHEDULE = "reschedule"


class OrderChangeLine(Frozen):
    line_no: str = Field(min_length=1)
    action: ChangeAction
    item: Item | None = None
    quantity: Quantity | None = None
    qty_left_to_receive: Quantity | None = None
    unit_price: Money | None = None
    requested_date: date | None = None


class OrderChange(Document):
    """A buyer-initiated change of an order already sent (X12 860, EDIFACT ORDCHG)."""

    document_type: Literal["order_change"] = "order_change"
    order_number: str = Field(min_length=1)
    change_seq: int = Field(ge=1)
    order_date: date | None = None
    change_date: date
    purpose: OrderPurpose = OrderPurpose.CHANGE
    parties: tuple[Party, ...] = ()
    currency: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    lines: tuple[OrderChangeLine, ...] = ()
