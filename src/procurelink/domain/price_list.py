"""A supplier's price list (vendor prices, minimum quantities, lead times)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import Field

from procurelink.domain.document import Document
from procurelink.domain.parties import Item
from procurelink.domain.values import Dec, Frozen, Money


class PriceListLine(Frozen):
    item: Item
    price: Money
    price_basis_qty: Dec = Decimal(1)
    uom: str = "unit"
    min_qty: Dec = Decimal(0)
    lead_time_days: int | None = Field(default=None, ge=0)
    valid_from: date | None = None
    valid_to: date | None = None


class PriceList(Document):
    document_type: Literal["price_list"] = "price_list"
    price_list_number: str = Field(min_length=1)
    issue_date: date
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    lines: tuple[PriceListLine, ...] = Field(min_length=1)
