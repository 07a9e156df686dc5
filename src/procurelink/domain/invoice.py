"""Supplier invoice and credit note (X12 810, EDIFACT INVOIC)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Literal

from pydantic import Field

from procurelink.domain.document import Document
from procurelink.domain.parties import Item, Party
from procurelink.domain.values import Dec, Frozen, Money, PaymentTerms, Quantity


class InvoiceKind(StrEnum):
    INVOICE = "invoice"
    CREDIT_NOTE = "credit_note"


class InvoiceLine(Frozen):
    line_no: str = Field(min_length=1)
    order_line_no: str | None = None
    item: Item
    quantity: Quantity
    unit_price: Money
    line_amount: Dec
    tax_rate: Dec | None = None
    tax_category: str | None = None


class Charge(Frozen):
    kind: Literal["allowance", "charge"]
    code: str | None = None
    description: str | None = None
    amount: Dec


class Tax(Frozen):
    type: str = "VAT"
    rate: Dec
    category: str | None = None
    taxable: Dec
    amount: Dec


class InvoiceTotals(Frozen):
    lines: Dec
    charges: Dec = Decimal(0)
    taxable: Dec
    tax: Dec
    total: Dec


class Invoice(Document):
    document_type: Literal["invoice"] = "invoice"
    kind: InvoiceKind = InvoiceKind.INVOICE
    invoice_number: str = Field(min_length=1)
    invoice_date: date
    order_number: str | None = None
    vendor_ref: str | None = None
    asn_ref: str | None = None
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    seller: Party | None = None
    buyer: Party | None = None
    payment_terms: PaymentTerms | None = None
    lines: tuple[InvoiceLine, ...] = Field(min_length=1)
    charges: tuple[Charge, ...] = ()
    taxes: tuple[Tax, ...] = ()
    totals: InvoiceTotals

    def total(self) -> Money:
        return Money(amount=self.totals.total, currency=self.currency)
