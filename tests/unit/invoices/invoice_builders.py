"""Orders and invoices for three-way match tests (shared by workflow and service tests)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from procurelink.domain.invoice import Invoice, InvoiceKind, InvoiceLine, InvoiceTotals, Tax
from procurelink.domain.ledger import LedgerLine, LedgerOrder, OrderState
from procurelink.domain.parties import Item
from procurelink.domain.values import Money, Quantity

# Order PO42 of steelworks: line 1, 100 bolts at 0.12; line 2, 50 kg steel at 1.85.
ORDER_LINES = (("1", "100", "unit", "0.12", "ACME-10042"), ("2", "50", "kg", "1.85", "ACME-20117"))


def ledger_order(
    received: tuple[str, str] = ("0", "0"), partner: str = "steelworks"
) -> LedgerOrder:
    lines = tuple(
        LedgerLine(
            line_no=no,
            quantity=Decimal(q),
            uom=uom,
            requested_date=date(2024, 3, 18),
            original_quantity=Decimal(q),
            original_date=date(2024, 3, 18),
            odoo_line_id=100 + i,
            buyer_item=item,
            unit_price=Decimal(price),
            received_quantity=Decimal(rec),
        )
        for i, ((no, q, uom, price, item), rec) in enumerate(
            zip(ORDER_LINES, received, strict=True)
        )
    )
    return LedgerOrder(
        order_number="PO42",
        partner_id=partner,
        correlation_id="corr-42",
        state=OrderState.CONFIRMED,
        revision=1,
        currency="EUR",
        updated_at=datetime(2024, 3, 4, tzinfo=UTC),
        lines=lines,
        odoo_id=42,
        supplier_odoo_id=7,
    )


def inv_line(
    line_no: str,
    qty: str,
    price: str,
    *,
    order_line_no: str | None = None,
    uom: str = "unit",
    item: str | None = None,
    amount: str | None = None,
) -> InvoiceLine:
    value = Decimal(qty) * Decimal(price)
    return InvoiceLine(
        line_no=line_no,
        order_line_no=order_line_no if order_line_no is not None else (None if item else line_no),
        item=Item(buyer_item=item),
        quantity=Quantity(value=Decimal(qty), uom=uom),
        unit_price=Money(amount=Decimal(price), currency="EUR"),
        line_amount=Decimal(amount) if amount is not None else value.quantize(Decimal("0.01")),
    )


def invoice(
    *lines: InvoiceLine,
    number: str = "INV-1",
    kind: InvoiceKind = InvoiceKind.INVOICE,
    currency: str = "EUR",
    partner: str = "steelworks",
    order_number: str | None = "PO42",
    tax_rate: str | None = "19",
    document_id: str = "doc-1",
) -> Invoice:
    net = sum((ln.line_amount for ln in lines), Decimal(0))
    taxes = (
        (
            Tax(
                rate=Decimal(tax_rate),
                taxable=net,
                amount=(net * Decimal(tax_rate) / 100).quantize(Decimal("0.01")),
            ),
        )
        if tax_rate is not None
        else ()
    )
    tax = sum((t.amount for t in taxes), Decimal(0))
    return Invoice(
        document_id=document_id,
        partner_id=partner,
        correlation_id="x",
        kind=kind,
        invoice_number=number,
        invoice_date=date(2024, 3, 21),
        order_number=order_number,
        currency=currency,
        lines=lines,
        taxes=taxes,
        totals=InvoiceTotals(lines=net, taxable=net, tax=tax, total=net + tax),
    )
