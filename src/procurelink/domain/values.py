"""Value types: quantities with a unit of measure, money with an ISO currency."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, StringConstraints

# Decimals travel as strings in JSON so that no float rounding ever touches a quantity or price.
Dec = Annotated[
    Decimal, PlainSerializer(lambda d: format(d, "f"), return_type=str, when_used="json")
]
CurrencyCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
# Normalised unit code (edi.md section 5.6): "unit", "kg", "dozen", "m", ... Partner codes such
# as EA, PCE or KGM are mapped to these by the codecs using the partner profile.
UomCode = Annotated[str, StringConstraints(min_length=1, max_length=16)]


class Frozen(BaseModel):
    """Base of every canonical value: immutable, no unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Quantity(Frozen):
    value: Dec
    uom: UomCode = "unit"

    def __str__(self) -> str:
        return f"{format(self.value, 'f')} {self.uom}"


class Money(Frozen):
    amount: Dec
    currency: CurrencyCode

    def __str__(self) -> str:
        return f"{format(self.amount, 'f')} {self.currency}"


class PaymentTerms(Frozen):
    net_days: int | None = Field(default=None, ge=0)
    description: str | None = None
