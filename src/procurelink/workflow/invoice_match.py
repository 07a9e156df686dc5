"""Three-way match: a supplier invoice against its order (ordered, price, unit) and receipts.

The result is either a bill plan (which order line each invoice line bills, at what quantity
and price) with no discrepancies, or that plan plus typed discrepancies located on the
invoice line they concern. Discrepancies of a *blocking* kind make the invoice unusable as it
stands (it cannot become a bill even with a buyer's approval); the others are judgement calls
a buyer may approve.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from procurelink.domain.invoice import Invoice, InvoiceKind, InvoiceLine
from procurelink.domain.ledger import LedgerLine, LedgerOrder
from procurelink.domain.tolerances import MatchTolerances, within
from procurelink.workflow.discrepancies import Discrepancy, DiscrepancyKind, fmt, limits_text
from procurelink.workflow.invoice_arithmetic import arithmetic_checks
from procurelink.workflow.invoice_taxes import tax_rate_checks


@dataclass(frozen=True, slots=True)
class LineBilling:
    """What Odoo (or the ledger) says about one order line: received and billed so far."""

    received: Decimal
    invoiced: Decimal  # net: bills minus credit notes, drafts included
    tax_rate: Decimal | None = None  # the order line's percentage taxes; None: unknown


@dataclass(frozen=True, slots=True)
class MatchedLine:
    """One bill line: an invoice line linked to the order line it bills."""

    invoice_line_no: str
    order_line_no: str
    odoo_line_id: int | None
    quantity: Decimal
    unit_price: Decimal
    description: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "invoice_line_no": self.invoice_line_no,
            "order_line_no": self.order_line_no,
            "odoo_line_id": self.odoo_line_id,
            "quantity": format(self.quantity, "f"),
            "unit_price": format(self.unit_price, "f"),
            "description": self.description,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> MatchedLine:
        return cls(
            invoice_line_no=str(data["invoice_line_no"]),
            order_line_no=str(data["order_line_no"]),
            odoo_line_id=data.get("odoo_line_id"),
            quantity=Decimal(str(data["quantity"])),
            unit_price=Decimal(str(data["unit_price"])),
            description=data.get("description"),
        )


@dataclass(frozen=True, slots=True)
class MatchResult:
    lines: tuple[MatchedLine, ...]
    discrepancies: tuple[Discrepancy, ...] = field(default=())
    # Invoice lines billing more than was received but no more than was ordered: a
    # receipt still on its way may cure them.
    receivable: frozenset[str] = field(default=frozenset())

    @property
    def matched(self) -> bool:
        return not self.discrepancies

    @property
    def awaits_receipt(self) -> bool:
        """Every discrepancy is goods billed before they were received (and still due)."""
        return bool(self.discrepancies) and all(
            d.kind == DiscrepancyKind.QUANTITY_OVER_RECEIVED and d.line_no in self.receivable
            for d in self.discrepancies
        )

    @property
    def approvable(self) -> bool:
        """A buyer may accept the discrepancies and have the bill created anyway."""
        return bool(self.lines) and not any(d.blocking for d in self.discrepancies)

    def summary(self) -> str:
        if self.matched:
            return f"matched ({len(self.lines)} line(s))"
        return "; ".join(d.message for d in self.discrepancies)


@dataclass(frozen=True, slots=True)
class MatchInput:
    """Everything the match needs besides the invoice, gathered by the service."""

    partner_id: str  # who sent the invoice
    order: LedgerOrder | None
    billing: Mapping[str, LineBilling]  # per order line_no; absent: nothing received/billed
    tolerances: MatchTolerances = field(default_factory=MatchTolerances)
    duplicate_of: str | None = None  # document id of an earlier invoice with this number


def match_invoice(invoice: Invoice, given: MatchInput) -> MatchResult:
    """Three-way match of ``invoice`` against ``given.order`` and what was received/billed."""
    found: list[Discrepancy] = []
    if given.duplicate_of is not None:
        found.append(
            Discrepancy(
                DiscrepancyKind.DUPLICATE_INVOICE,
                f"{_name(invoice)} {invoice.invoice_number} was already received "
                f"(document {given.duplicate_of})",
                actual=invoice.invoice_number,
            )
        )
    order = given.order
    if order is None:
        found.append(
            Discrepancy(
                DiscrepancyKind.UNKNOWN_ORDER,
                f"{_name(invoice)} refers to order {invoice.order_number!r}, "
                "which procurelink does not know",
                actual=invoice.order_number,
            )
        )
        return MatchResult((), tuple(found))
    if order.partner_id != given.partner_id:
        found.append(
            Discrepancy(
                DiscrepancyKind.WRONG_SUPPLIER,
                f"order {order.order_number} belongs to {order.partner_id!r}, "
                f"not to {given.partner_id!r}",
                expected=order.partner_id,
                actual=given.partner_id,
            )
        )
        return MatchResult((), tuple(found))
    same_currency = invoice.currency == order.currency
    if not same_currency:
        found.append(
            Discrepancy(
                DiscrepancyKind.CURRENCY_MISMATCH,
                f"invoice in {invoice.currency}, order {order.order_number} in {order.currency}",
                expected=order.currency,
                actual=invoice.currency,
            )
        )
    planned: list[MatchedLine] = []
    for iline in invoice.lines:
        lline = _order_line(order, iline)
        if lline is None:
            found.append(
                Discrepancy(
                    DiscrepancyKind.UNKNOWN_LINE,
                    f"line {iline.line_no}: order {order.order_number} has no line "
                    f"{iline.order_line_no or _item(iline)!r}",
                    line_no=iline.line_no,
                    actual=iline.order_line_no or _item(iline),
                )
            )
            continue
        found.extend(_line_checks(iline, lline, given.tolerances, same_currency))
        planned.append(
            MatchedLine(
                invoice_line_no=iline.line_no,
                order_line_no=lline.line_no,
                odoo_line_id=lline.odoo_line_id,
                quantity=abs(iline.quantity.value),
                unit_price=iline.unit_price.amount,
                description=iline.item.description,
            )
        )
    quantities, receivable = _quantity_checks(invoice, order, planned, given)
    found.extend(quantities)
    found.extend(tax_rate_checks(invoice, planned, given.billing))
    found.extend(arithmetic_checks(invoice, given.tolerances))
    return MatchResult(tuple(planned), tuple(found), frozenset(receivable))


def _name(invoice: Invoice) -> str:
    return "credit note" if invoice.kind == InvoiceKind.CREDIT_NOTE else "invoice"


def _item(iline: InvoiceLine) -> str:
    return iline.item.buyer_item or iline.item.supplier_item or "?"


def _order_line(order: LedgerOrder, iline: InvoiceLine) -> LedgerLine | None:
    """The order line by its number, else the only line carrying the invoice's item."""
    if iline.order_line_no is not None:
        return order.line(iline.order_line_no)
    for attr in ("buyer_item", "supplier_item"):
        wanted = getattr(iline.item, attr)
        if wanted is None:
            continue
        hits = [ln for ln in order.lines if getattr(ln, attr) == wanted]
        if len(hits) == 1:
            return hits[0]
    return None


def _line_checks(
    iline: InvoiceLine, lline: LedgerLine, tol: MatchTolerances, same_currency: bool
) -> list[Discrepancy]:
    out: list[Discrepancy] = []
    where = f"line {iline.line_no}"
    if iline.quantity.uom != lline.uom:
        out.append(
            Discrepancy(
                DiscrepancyKind.UNIT_MISMATCH,
                f"{where}: invoiced in {iline.quantity.uom}, ordered in {lline.uom}",
                line_no=iline.line_no,
                expected=lline.uom,
                actual=iline.quantity.uom,
            )
        )
    price = iline.unit_price.amount
    if same_currency and lline.unit_price is not None:
        diff = abs(price - lline.unit_price)
        if not within(diff, lline.unit_price, tol.price_pct, tol.price_abs):
            out.append(
                Discrepancy(
                    DiscrepancyKind.PRICE_VARIANCE,
                    f"{where}: unit price {fmt(price)}, ordered at {fmt(lline.unit_price)} "
                    f"({limits_text(tol.price_pct, tol.price_abs)})",
                    line_no=iline.line_no,
                    expected=fmt(lline.unit_price),
                    actual=fmt(price),
                )
            )
    computed = abs(iline.quantity.value) * price
    if abs(computed - abs(iline.line_amount)) > tol.rounding:
        out.append(
            Discrepancy(
                DiscrepancyKind.LINE_AMOUNT,
                f"{where}: amount {fmt(iline.line_amount)} is not "
                f"quantity x price ({fmt(computed)})",
                line_no=iline.line_no,
                expected=fmt(computed),
                actual=fmt(iline.line_amount),
            )
        )
    return out


def _quantity_checks(
    invoice: Invoice, order: LedgerOrder, planned: list[MatchedLine], given: MatchInput
) -> tuple[list[Discrepancy], list[str]]:
    """Per order line, all invoice lines together: billed ≤ received, credited ≤ billed.

    Also the invoice lines over received but not over ordered: goods not received *yet*.
    """
    per_line: dict[str, list[MatchedLine]] = {}
    for m in planned:
        per_line.setdefault(m.order_line_no, []).append(m)
    tol = given.tolerances
    out: list[Discrepancy] = []
    receivable: list[str] = []
    for order_line_no, matched in per_line.items():
        lline = order.line(order_line_no)
        assert lline is not None  # planned lines were resolved against this order
        billing = given.billing.get(
            order_line_no, LineBilling(received=lline.received_quantity, invoiced=Decimal(0))
        )
        qty = sum((m.quantity for m in matched), Decimal(0))
        first = matched[0].invoice_line_no
        if invoice.kind == InvoiceKind.CREDIT_NOTE:
            if qty > billing.invoiced:
                out.append(
                    Discrepancy(
                        DiscrepancyKind.CREDIT_OVER_INVOICED,
                        f"line {first}: credits {fmt(qty)} {lline.uom} of order line "
                        f"{order_line_no}, only {fmt(billing.invoiced)} billed",
                        line_no=first,
                        expected=fmt(billing.invoiced),
                        actual=fmt(qty),
                    )
                )
            continue
        billed = billing.invoiced + qty
        if not within(
            billed - billing.received, billing.received, tol.quantity_pct, tol.quantity_abs
        ):
            out.append(
                Discrepancy(
                    DiscrepancyKind.QUANTITY_OVER_RECEIVED,
                    f"line {first}: bills {fmt(qty)} {lline.uom} of order line {order_line_no} "
                    f"(ordered {fmt(lline.quantity)}, received {fmt(billing.received)}, "
                    f"billed before {fmt(billing.invoiced)}; "
                    f"{limits_text(tol.quantity_pct, tol.quantity_abs)})",
                    line_no=first,
                    expected=fmt(billing.received - billing.invoiced),
                    actual=fmt(qty),
                )
            )
            if within(billed - lline.quantity, lline.quantity, tol.quantity_pct, tol.quantity_abs):
                receivable.append(first)
    return out, receivable
