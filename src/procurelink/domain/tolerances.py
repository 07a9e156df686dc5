"""How far a supplier invoice may stray from its order and receipts (three-way match).

A limit left unset (None) allows nothing beyond the exact value; where both the percentage
and the absolute limit of a check are set, a difference must stay within both: a cheap part
is protected by the percentage, an expensive one by the absolute amount.
"""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from procurelink.domain.values import Dec


class MatchTolerances(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    price_pct: Dec | None = Field(
        default=None, ge=0, description="unit price may differ from the order by this percentage"
    )
    price_abs: Dec | None = Field(
        default=None, ge=0, description="unit price may differ by this amount, order currency"
    )
    quantity_pct: Dec | None = Field(
        default=None, ge=0, description="billed quantity may exceed the received by this %"
    )
    quantity_abs: Dec | None = Field(
        default=None, ge=0, description="billed quantity may exceed the received by this much"
    )
    rounding: Dec = Field(
        default=Decimal("0.01"),
        ge=0,
        description="amounts and taxes may differ from their recomputation by this much "
        "(plus half a cent per line, for per-line rounding)",
    )
    receipt_grace_days: Dec = Field(
        default=Decimal(5),
        ge=0,
        description="an invoice for goods still on their way waits this long for the receipt "
        "before its quantity becomes an exception",
    )


def within(
    difference: Decimal, base: Decimal, pct: Decimal | None, absolute: Decimal | None
) -> bool:
    """Is a non-negative ``difference`` from ``base`` inside the limits that are set?"""
    if difference <= 0:
        return True
    if pct is None and absolute is None:
        return False
    if pct is not None and difference > abs(base) * pct / 100:
        return False
    return absolute is None or difference <= absolute
