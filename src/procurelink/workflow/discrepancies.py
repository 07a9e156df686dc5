"""Typed discrepancies of a three-way match, each located on the invoice line it concerns."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any


class DiscrepancyKind(StrEnum):
    DUPLICATE_INVOICE = "duplicate_invoice"
    UNKNOWN_ORDER = "unknown_order"
    WRONG_SUPPLIER = "wrong_supplier"
    CURRENCY_MISMATCH = "currency_mismatch"
    UNKNOWN_LINE = "unknown_line"
    UNIT_MISMATCH = "unit_mismatch"
    QUANTITY_OVER_RECEIVED = "quantity_over_received"
    CREDIT_OVER_INVOICED = "credit_over_invoiced"
    PRICE_VARIANCE = "price_variance"
    LINE_AMOUNT = "line_amount"
    TOTALS = "totals"
    TAXES = "taxes"
    TAX_RATE = "tax_rate"
    UNORDERED_CHARGES = "unordered_charges"


# No approval turns these into a correct bill: there is no order line to link, or the
# money, the sender or the document itself is wrong.
BLOCKING: frozenset[DiscrepancyKind] = frozenset(
    {
        DiscrepancyKind.DUPLICATE_INVOICE,
        DiscrepancyKind.UNKNOWN_ORDER,
        DiscrepancyKind.WRONG_SUPPLIER,
        DiscrepancyKind.CURRENCY_MISMATCH,
        DiscrepancyKind.UNKNOWN_LINE,
        DiscrepancyKind.UNIT_MISMATCH,
    }
)


# What a later goods receipt can change: received quantities. Prices, taxes, units and the
# invoice's own arithmetic stay as they are whatever arrives.
RECEIPT_CURABLE: frozenset[DiscrepancyKind] = frozenset({DiscrepancyKind.QUANTITY_OVER_RECEIVED})


def curable_by_receipt(kinds: Iterable[str]) -> bool:
    """Every discrepancy (there is at least one) is about quantities not received yet."""
    found = list(kinds)
    return bool(found) and all(k in RECEIPT_CURABLE for k in found)


@dataclass(frozen=True, slots=True)
class Discrepancy:
    kind: DiscrepancyKind
    message: str
    line_no: str | None = None  # the invoice line; None: the whole invoice
    expected: str | None = None
    actual: str | None = None

    @property
    def blocking(self) -> bool:
        return self.kind in BLOCKING

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": str(self.kind),
            "line_no": self.line_no,
            "message": self.message,
            "expected": self.expected,
            "actual": self.actual,
            "blocking": self.blocking,
        }


def fmt(value: Decimal) -> str:
    """A quantity or amount as people write it: 5000, 0.12 (no exponent, no .00)."""
    return format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")


def limits_text(pct: Decimal | None, absolute: Decimal | None) -> str:
    parts = []
    if pct is not None:
        parts.append(f"{fmt(pct)}%")
    if absolute is not None:
        parts.append(fmt(absolute))
    return "tolerance " + " and ".join(parts) if parts else "no tolerance"
