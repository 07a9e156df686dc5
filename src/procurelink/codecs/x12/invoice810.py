"""810 Invoice -> Invoice (edi.md sections 2.6 and 5.4).

TDS01 and SAC05 are N2 (implied two decimals), TXI02/TXI08 are R (explicit decimals):
mixing them up is the classic 810 bug, so each is read with its own element type. A TXI
inside an IT1 loop is the line's tax rate; a TXI after TDS is a tax total. SAC charges of
lines and of the invoice all become the invoice's charges (the canonical line has none).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from procurelink.codecs.x12.context import ReadContext
from procurelink.codecs.x12.elements import (
    Place,
    check_line_count,
    decimal,
    implied,
    integer,
    optional,
    required,
    required_date,
    required_decimal,
)
from procurelink.codecs.x12.envelope import TransactionSet
from procurelink.codecs.x12.lines import Po1, read_po1
from procurelink.codecs.x12.parties import read_n1_loop
from procurelink.codecs.x12.syntax import Segment
from procurelink.domain.invoice import (
    Charge,
    Invoice,
    InvoiceKind,
    InvoiceLine,
    InvoiceTotals,
    Tax,
)
from procurelink.domain.parties import Party, PartyRole
from procurelink.domain.values import Money, PaymentTerms
from procurelink.errors import InvalidDocument

# TXI01 tax type (code list 963) -> canonical tax type; other codes pass through as sent.
TAX_TYPES = {"VA": "VAT", "GS": "GST", "ST": "sales_tax", "LS": "sales_tax", "TX": "all_taxes"}
_REFS = {"VN": "vendor_ref", "SI": "asn_ref"}
_LINE_END = ("IT1", "TDS", "CTT")


@dataclass
class _Line:
    it1: Po1
    tax_rate: Decimal | None = None
    description: list[str] = field(default_factory=list)


@dataclass
class _Invoice:
    header: dict[str, Any] = field(default_factory=dict)
    parties: dict[PartyRole, Party] = field(default_factory=dict)
    lines: list[_Line] = field(default_factory=list)
    charges: list[Charge] = field(default_factory=list)
    taxes: list[Tax] = field(default_factory=list)
    total: Decimal | None = None
    count: Segment | None = None


def decode(ts: TransactionSet, ctx: ReadContext) -> Invoice:
    place, body = ts.place, ts.body
    invoice = _Invoice()
    i = 0
    while i < len(body):
        segment = body[i]
        if segment.tag == "N1":
            party, i = read_n1_loop(body, i)
            if party is not None:
                invoice.parties.setdefault(party.role, party)
            continue
        if segment.tag == "IT1":
            i = _read_line(place, ctx, body, i, invoice)
            continue
        _read_heading_or_summary(place, segment, invoice)
        i += 1
    return _build(place, ctx, invoice)


def _read_heading_or_summary(place: Place, segment: Segment, invoice: _Invoice) -> None:
    header, tag = invoice.header, segment.tag
    if tag == "BIG":
        header["invoice_date"] = required_date(place, segment, 1)
        header["invoice_number"] = required(place, segment, 2)
        header["order_number"] = optional(segment, 4)
        header["kind"] = InvoiceKind.CREDIT_NOTE if segment.get(7) == "CR" else InvoiceKind.INVOICE
    elif tag == "CUR" and "currency" not in header:
        header["currency"] = required(place, segment, 2)
    elif tag == "REF" and segment.get(1) in _REFS:
        header.setdefault(_REFS[segment.get(1)], optional(segment, 2))
    elif tag == "ITD":
        header["payment_terms"] = PaymentTerms(
            net_days=integer(place, segment, 7), description=optional(segment, 12)
        )
    elif tag == "TDS":
        invoice.total = implied(place, segment, 1)
        if invoice.total is None:
            required(place, segment, 1)
    elif tag == "TXI":
        invoice.taxes.append(_tax(place, segment))
    elif tag == "SAC":
        invoice.charges += _charge(place, segment)
    elif tag == "CTT":
        invoice.count = segment


def _read_line(
    place: Place, ctx: ReadContext, body: tuple[Segment, ...], i: int, invoice: _Invoice
) -> int:
    line = _Line(read_po1(place, ctx.units, body[i], quantity_required=True))
    if line.it1.unit_price is None:
        required_decimal(place, body[i], 4)
    i += 1
    while i < len(body) and body[i].tag not in _LINE_END:
        segment = body[i]
        if segment.tag == "PID" and segment.get(5):
            line.description.append(segment.get(5))
        elif segment.tag == "TXI":
            line.tax_rate = decimal(place, segment, 3)
        elif segment.tag == "SAC":
            invoice.charges += _charge(place, segment)
        i += 1
    invoice.lines.append(line)
    return i


def _tax(place: Place, txi: Segment) -> Tax:
    code = required(place, txi, 1)
    return Tax(
        type=TAX_TYPES.get(code, code),
        rate=required_decimal(place, txi, 3),
        taxable=required_decimal(place, txi, 8),
        amount=required_decimal(place, txi, 2),
    )


def _charge(place: Place, sac: Segment) -> list[Charge]:
    kind = {"A": "allowance", "C": "charge"}.get(sac.get(1))
    amount = implied(place, sac, 5)
    if kind is None or amount is None:
        return []  # SAC01 N ("no allowance or charge") or an informational SAC
    return [
        Charge(
            kind="allowance" if kind == "allowance" else "charge",
            code=optional(sac, 2),
            description=optional(sac, 15),
            amount=amount,
        )
    ]


def _build(place: Place, ctx: ReadContext, invoice: _Invoice) -> Invoice:
    header = invoice.header
    if "invoice_number" not in header:
        raise place.error(
            InvalidDocument, "810 without BIG", expected="BIG", rule="missing_segment"
        )
    if not invoice.lines:
        raise place.error(
            InvalidDocument, "810 without IT1 lines", expected="IT1", rule="missing_segment"
        )
    if invoice.total is None:
        raise place.error(
            InvalidDocument, "810 without TDS", expected="TDS", rule="missing_segment"
        )
    check_line_count(place, invoice.count, len(invoice.lines), "IT1")
    currency = header.pop("currency", None) or ctx.default_currency
    if currency is None:
        raise place.error(InvalidDocument, "810 without CUR and no default currency")
    lines = tuple(_invoice_line(line, currency) for line in invoice.lines)
    line_total = sum((ln.line_amount for ln in lines), Decimal(0))
    charges = sum(
        (c.amount if c.kind == "charge" else -c.amount for c in invoice.charges), Decimal(0)
    )
    taxable = sum((t.taxable for t in invoice.taxes), Decimal(0)) if invoice.taxes else None
    tax = sum((t.amount for t in invoice.taxes), Decimal(0))
    return Invoice(
        **ctx.ids,
        **header,
        currency=currency,
        seller=invoice.parties.get(PartyRole.SUPPLIER),
        buyer=invoice.parties.get(PartyRole.BUYER),
        lines=lines,
        charges=tuple(invoice.charges),
        taxes=tuple(invoice.taxes),
        totals=InvoiceTotals(
            lines=line_total,
            charges=charges,
            taxable=taxable if taxable is not None else line_total + charges,
            tax=tax,
            total=invoice.total,
        ),
    )


def _invoice_line(line: _Line, currency: str) -> InvoiceLine:
    it1 = line.it1
    assert it1.quantity is not None
    assert it1.unit_price is not None
    return InvoiceLine(
        line_no=it1.line_no,
        # IT101 is the buyer's PO line number, echoed from the 850 (edi.md 5.4).
        order_line_no=it1.line_no,
        item=it1.item.model_copy(update={"description": " ".join(line.description) or None}),
        quantity=it1.quantity,
        unit_price=Money(amount=it1.unit_price, currency=currency),
        line_amount=it1.quantity.value * it1.unit_price / it1.price_basis_qty,
        tax_rate=line.tax_rate,
    )
