"""INVOIC -> Invoice, credit notes included (edi.md sections 4.6 and 5.4).

Taxes come from the summary TAX groups (one per rate and category, MOA+125 taxable and
MOA+124 tax); allowances and charges from the heading ALC groups (summary ALC totals only
when the heading has none, so nothing is counted twice). Totals prefer what the sender
stated (MOA 79, 131, 125, 176, 77) and fall back to sums, so that the three-way match later
compares the supplier's own figures.
"""

from __future__ import annotations

from decimal import Decimal

from procurelink.codecs.edifact.common import (
    MessageContext,
    check_line_count,
    currency,
    document_number,
    payment_terms,
    required_date,
)
from procurelink.codecs.edifact.elements import decimal, optional, required
from procurelink.codecs.edifact.items import read_item, read_price, read_quantity
from procurelink.codecs.edifact.parties import read_party
from procurelink.codecs.edifact.problems import MISSING
from procurelink.codecs.edifact.reader import Amounts, LineData, MessageData
from procurelink.domain.invoice import Charge, Invoice, InvoiceKind, InvoiceLine, InvoiceTotals, Tax
from procurelink.domain.parties import Party, PartyRole
from procurelink.domain.values import Money

# BGM 1001: credit notes (381) and their variants; everything else invoices or debits.
_CREDIT_NOTES = ("381", "396", "532")
_CHARGE_AMOUNTS = ("8", "23", "204", "131", "25")


def decode(m: MessageContext, data: MessageData) -> Invoice:
    number = document_number(m, data)
    check_line_count(m, data)
    assert data.bgm is not None
    invoice_currency = currency(m, data)
    if invoice_currency is None:
        raise m.place.error("INVOIC without CUX and no default currency", syntax_error=MISSING)
    lines = tuple(_line(m, line, invoice_currency) for line in data.lines)
    taxes = tuple(_tax(m, group) for group in data.taxes if group.summary)
    charges = _charges(m, data)
    refs = data.refs
    return Invoice(
        **m.ids,
        kind=InvoiceKind.CREDIT_NOTE
        if data.bgm.get(1, 1) in _CREDIT_NOTES
        else InvoiceKind.INVOICE,
        invoice_number=number,
        invoice_date=required_date(m, data, "137", "3"),
        order_number=refs["ON"].value if "ON" in refs else None,
        vendor_ref=refs["VN"].value if "VN" in refs else None,
        asn_ref=refs["AAK"].value if "AAK" in refs else None,
        currency=invoice_currency,
        seller=_party(data, PartyRole.SUPPLIER),
        buyer=_party(data, PartyRole.BUYER),
        payment_terms=payment_terms(m, data),
        lines=lines,
        charges=charges,
        taxes=taxes,
        totals=_totals(data, lines, charges, taxes),
    )


def _party(data: MessageData, role: PartyRole) -> Party | None:
    for group in data.parties:
        party = read_party(group)
        if party is not None and party.role == role:
            return party
    return None


def _line(m: MessageContext, line: LineData, invoice_currency: str) -> InvoiceLine:
    quantity = read_quantity(m.place, m.units, line, "47")
    if quantity is None:
        raise m.place.error("invoice line without QTY+47", line.lin, syntax_error=MISSING)
    price = read_price(m.place, line, "AAA", "AAB")
    if price is None:
        raise m.place.error("invoice line without PRI", line.lin, syntax_error=MISSING)
    # The canonical unit price is per one unit; a price per 100 (5284) is divided exactly.
    unit_price = price[0] if price[1] == 1 else price[0] / price[1]
    order_ref = line.refs.get("ON")
    order_line = order_ref.line if order_ref else None
    if order_line is None and "LI" in line.refs:
        order_line = line.refs["LI"].value
    tax = line.tax
    return InvoiceLine(
        line_no=required(m.place, line.lin, 1),
        order_line_no=order_line,
        item=read_item(line),
        quantity=quantity,
        unit_price=Money(amount=unit_price, currency=invoice_currency),
        line_amount=line.amounts.get("203", quantity.value * unit_price),
        tax_rate=decimal(m.place, tax, 5, 4) if tax else None,
        tax_category=optional(tax, 6) if tax else None,
    )


def _tax(m: MessageContext, group: Amounts) -> Tax:
    segment = group.segment
    rate = decimal(m.place, segment, 5, 4)
    if rate is None:
        raise m.place.error("TAX without a rate", segment, 5, 4, syntax_error=MISSING)
    for qualifier in ("125", "124"):
        if qualifier not in group.amounts:
            raise m.place.error(f"TAX group without MOA+{qualifier}", segment, syntax_error=MISSING)
    return Tax(
        type=segment.get(2, 1) or "VAT",
        rate=rate,
        category=optional(segment, 6),
        taxable=group.amounts["125"],
        amount=group.amounts["124"],
    )


def _charges(m: MessageContext, data: MessageData) -> tuple[Charge, ...]:
    groups = [g for g in data.charges if not g.summary] or data.charges
    charges: list[Charge] = []
    for group in groups:
        segment = group.segment
        amount = next((group.amounts[q] for q in _CHARGE_AMOUNTS if q in group.amounts), None)
        if amount is None:
            raise m.place.error("ALC group without an amount", segment, syntax_error=MISSING)
        charges.append(
            Charge(
                kind="allowance" if segment.get(1) == "A" else "charge",
                code=optional(segment, 5, 1),
                description=optional(segment, 5, 4),
                amount=abs(amount),
            )
        )
    return tuple(charges)


def _totals(
    data: MessageData,
    lines: tuple[InvoiceLine, ...],
    charges: tuple[Charge, ...],
    taxes: tuple[Tax, ...],
) -> InvoiceTotals:
    stated = data.totals
    lines_total = stated.get("79", sum((ln.line_amount for ln in lines), Decimal(0)))
    charges_total = sum(
        (c.amount if c.kind == "charge" else -c.amount for c in charges), Decimal(0)
    )
    taxable = stated.get("125", sum((t.taxable for t in taxes), Decimal(0)) if taxes else None)
    if taxable is None:
        taxable = lines_total + charges_total
    tax = stated.get("176", sum((t.amount for t in taxes), Decimal(0)))
    total = next(
        (stated[q] for q in ("77", "86", "9") if q in stated),
        taxable + tax,
    )
    return InvoiceTotals(
        lines=lines_total, charges=charges_total, taxable=taxable, tax=tax, total=total
    )
