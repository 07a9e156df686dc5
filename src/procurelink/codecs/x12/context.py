"""What a transaction-set mapper gets besides its segments: units, options, envelope facts."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from procurelink.codecs.x12.elements import Place
from procurelink.codecs.x12.syntax import Segment
from procurelink.codecs.x12.units import UnitMap
from procurelink.domain.values import Money
from procurelink.errors import InvalidDocument


@dataclass(frozen=True, slots=True)
class ReadContext:
    units: UnitMap
    options: Mapping[str, Any]
    # GS04: the date a set without its own document date was sent on.
    group_date: date
    # document_id, partner_id, correlation_id of the canonical document.
    ids: Mapping[str, str]

    @property
    def default_currency(self) -> str | None:
        currency = self.options.get("currency")
        return str(currency) if currency else None

    def money(
        self, place: Place, amount: Decimal | None, currency: str | None, segment: Segment
    ) -> Money | None:
        """A price in the set's currency (CUR02), else the partner's default currency."""
        if amount is None:
            return None
        currency = currency or self.default_currency
        if currency is None:
            raise place.error(InvalidDocument, "price without CUR and no default currency", segment)
        return Money(amount=amount, currency=currency)
