"""Invoice -> INVOIC (BGM 380, credit notes 381), the mirror of ``invoic`` (which decodes).

For a buyer that self-bills or forwards supplier invoices to another system: heading DTM+137,
RFF+ON/VN/AAK, NAD+SU (seller) and NAD+BY (buyer) with RFF+VA, CUX, PAT and the heading ALC
groups (one MOA+8 each). Lines: LIN/PIA/IMD, QTY+47, MOA+203, PRI+AAA per one unit, RFF+ON
with the order line (RFF+LI without an order number), TAX with the line's rate. Summary: UNS+S,
CNT+2, MOA 79 (lines), 125 (taxable, only when it is not the sum the TAX groups or the lines
and charges give), 176 (tax), 77 (total) before the TAX groups, so that each TAX group's
MOA+125/124 stay the group's own (how the decoder reads them).
"""

from __future__ import annotations

from decimal import Decimal

from procurelink.codecs.edifact.common import (
    MessageContext,
    dtm,
    write_payment_terms,
)
from procurelink.codecs.edifact.elements import format_amount, format_decimal
from procurelink.codecs.edifact.items import (
    write_description,
    write_item_ids,
    write_price,
    write_quantity,
)
from procurelink.codecs.edifact.parties import write_party
from procurelink.codecs.edifact.writer import OutSegment
from procurelink.domain.invoice import Charge, Invoice, InvoiceKind, InvoiceLine, Tax
from procurelink.domain.parties import Party, PartyRole

_DOCUMENT_CODES = {InvoiceKind.INVOICE: "380", InvoiceKind.CREDIT_NOTE: "381"}


def encode(m: MessageContext, invoice: Invoice) -> list[OutSegment]:
    segments: list[OutSegment] = [
        ("BGM", _DOCUMENT_CODES[invoice.kind], invoice.invoice_number, "9"),
        dtm("137", invoice.invoice_date),
    ]
    for qualifier, value in (
        ("ON", invoice.order_number),
        ("VN", invoice.vendor_ref),
        ("AAK", invoice.asn_ref),
    ):
        if value:
            segments.append(("RFF", (qualifier, value)))
    segments += _party(invoice.seller, PartyRole.SUPPLIER)
    segments += _party(invoice.buyer, PartyRole.BUYER)
    segments.append(("CUX", ("2", invoice.currency, "4")))
    if invoice.payment_terms is not None:
        segments.append(write_payment_terms(invoice.payment_terms))
    for charge in invoice.charges:
        segments += _charge(charge)
    for line in invoice.lines:
        segments += _line(m, invoice, line)
    totals = invoice.totals
    segments += [
        ("UNS", "S"),
        ("CNT", ("2", str(len(invoice.lines)))),
        _moa("79", totals.lines),
    ]
    if totals.taxable != _implied_taxable(invoice):
        segments.append(_moa("125", totals.taxable))
    segments += [_moa("176", totals.tax), _moa("77", totals.total)]
    for tax in invoice.taxes:
        segments += _tax(tax)
    return segments


def _implied_taxable(invoice: Invoice) -> Decimal:
    """The taxable amount a receiver computes without MOA+125 (as ``invoic`` does)."""
    if invoice.taxes:
        return sum((t.taxable for t in invoice.taxes), Decimal(0))
    return invoice.totals.lines + sum(
        (c.amount if c.kind == "charge" else -c.amount for c in invoice.charges), Decimal(0)
    )


def _party(party: Party | None, role: PartyRole) -> list[OutSegment]:
    return write_party(party.model_copy(update={"role": role})) if party else []


def _moa(qualifier: str, amount: Decimal) -> OutSegment:
    return ("MOA", (qualifier, format_amount(amount)))


def _charge(charge: Charge) -> list[OutSegment]:
    indicator = "A" if charge.kind == "allowance" else "C"
    service = (charge.code or "", "", "", charge.description or "")
    return [("ALC", indicator, "", "", "", service), _moa("8", abs(charge.amount))]


def _line(m: MessageContext, invoice: Invoice, line: InvoiceLine) -> list[OutSegment]:
    segments = write_item_ids(line.line_no, "", line.item)
    segments += write_description(line.item, m.version)
    segments.append(write_quantity(m.units, "47", line.quantity, line.line_no))
    segments.append(_moa("203", line.line_amount))
    segments.append(
        write_price(line.unit_price.amount, Decimal(1), line.quantity, m.units, line.line_no)
    )
    if invoice.order_number:
        order_line = (line.order_line_no,) if line.order_line_no else ()
        segments.append(("RFF", ("ON", invoice.order_number, *order_line)))
    elif line.order_line_no:
        segments.append(("RFF", ("LI", line.order_line_no)))
    if line.tax_rate is not None or line.tax_category:
        rate = format_decimal(line.tax_rate) if line.tax_rate is not None else ""
        segments.append(("TAX", "7", "VAT", "", "", ("", "", "", rate), line.tax_category or ""))
    return segments


def _tax(tax: Tax) -> list[OutSegment]:
    return [
        ("TAX", "7", tax.type, "", "", ("", "", "", format_decimal(tax.rate)), tax.category or ""),
        _moa("125", tax.taxable),
        _moa("124", tax.amount),
    ]
