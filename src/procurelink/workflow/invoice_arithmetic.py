"""The invoice's own arithmetic: line amounts, totals, taxes and charges agree."""

from __future__ import annotations

from decimal import Decimal

from procurelink.domain.invoice import Invoice
from procurelink.domain.tolerances import MatchTolerances
from procurelink.workflow.discrepancies import Discrepancy, DiscrepancyKind, fmt


def arithmetic_checks(invoice: Invoice, tol: MatchTolerances) -> list[Discrepancy]:
    """The invoice's own arithmetic: lines, charges, taxes and total agree."""
    out: list[Discrepancy] = []
    totals = invoice.totals
    slack = tol.rounding + Decimal("0.005") * len(invoice.lines)

    def check(kind: DiscrepancyKind, what: str, stated: Decimal, computed: Decimal) -> None:
        if abs(abs(stated) - abs(computed)) > slack:
            out.append(
                Discrepancy(
                    kind,
                    f"{what}: stated {fmt(stated)}, computed {fmt(computed)}",
                    expected=fmt(computed),
                    actual=fmt(stated),
                )
            )

    lines = sum((abs(ln.line_amount) for ln in invoice.lines), Decimal(0))
    check(DiscrepancyKind.TOTALS, "line total", totals.lines, lines)
    check(
        DiscrepancyKind.TOTALS, "taxable amount", totals.taxable, abs(totals.lines) + totals.charges
    )
    for tax in invoice.taxes:
        check(
            DiscrepancyKind.TAXES,
            f"{tax.type} {fmt(tax.rate)}% on {fmt(tax.taxable)}",
            tax.amount,
            (abs(tax.taxable) * tax.rate / 100).quantize(Decimal("0.01")),
        )
    if invoice.taxes:
        check(
            DiscrepancyKind.TAXES,
            "tax total",
            totals.tax,
            sum((abs(t.amount) for t in invoice.taxes), Decimal(0)),
        )
    check(
        DiscrepancyKind.TOTALS, "invoice total", totals.total, abs(totals.taxable) + abs(totals.tax)
    )
    if invoice.charges:
        out.append(
            Discrepancy(
                DiscrepancyKind.UNORDERED_CHARGES,
                f"{len(invoice.charges)} charge(s)/allowance(s) of {fmt(totals.charges)} "
                "are not on the order (the bill covers the goods lines only)",
                actual=fmt(totals.charges),
            )
        )
    return out
