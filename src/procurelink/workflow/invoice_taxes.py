"""Tax rates: what the supplier charges on a line against the taxes on its order line."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from procurelink.domain.invoice import Invoice, InvoiceLine
from procurelink.workflow.discrepancies import Discrepancy, DiscrepancyKind, fmt

if TYPE_CHECKING:  # the match imports this module: only its types are needed here
    from procurelink.workflow.invoice_match import LineBilling, MatchedLine


def invoice_line_rate(invoice: Invoice, iline: InvoiceLine) -> Decimal | None:
    """The line's own rate, else the invoice's single rate; None when the invoice is silent.

    An invoice with several rates but none on its lines cannot say which line bears which.
    """
    if iline.tax_rate is not None:
        return iline.tax_rate
    rates = {t.rate for t in invoice.taxes}
    return rates.pop() if len(rates) == 1 else None


def tax_rate_checks(
    invoice: Invoice, planned: Sequence[MatchedLine], billing: Mapping[str, LineBilling]
) -> list[Discrepancy]:
    """One discrepancy per invoice line whose rate differs from its order line's taxes.

    Approvable: the bill takes the order line's taxes in the ERP, so a buyer who accepts it
    bills at the ordered rate; the difference is for accounting to settle with the supplier.
    """
    lines = {ln.line_no: ln for ln in invoice.lines}
    out: list[Discrepancy] = []
    for m in planned:
        ordered = billing[m.order_line_no].tax_rate if m.order_line_no in billing else None
        charged = invoice_line_rate(invoice, lines[m.invoice_line_no])
        if ordered is None or charged is None or charged == ordered:
            continue
        out.append(
            Discrepancy(
                DiscrepancyKind.TAX_RATE,
                f"line {m.invoice_line_no}: tax {fmt(charged)}%, order line "
                f"{m.order_line_no} is taxed at {fmt(ordered)}%",
                line_no=m.invoice_line_no,
                expected=fmt(ordered),
                actual=fmt(charged),
            )
        )
    return out
