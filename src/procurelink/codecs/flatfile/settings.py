"""Options of a flat-file partner, validated from the profile's ``codec.options``."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from procurelink.domain.response import LineStatus
from procurelink.errors import ConfigurationError

# Canonical fields a column can feed, per document kind; * marks the required ones.
FIELDS: dict[str, tuple[str, ...]] = {
    "order_response": (
        "order_number*",
        "line_no*",
        "status",
        "confirmed_qty",
        "uom",
        "promised_date",
        "unit_price",
        "currency",
        "vendor_ref",
        "response_number",
        "note",
    ),
    "despatch_advice": (
        "asn_number*",
        "order_number*",
        "line_no*",
        "quantity*",
        "uom",
        "ship_date*",
        "estimated_delivery",
        "sscc",
        "lot",
        "tracking_number",
        "carrier",
        "supplier_item",
        "buyer_item",
    ),
    "price_list": (
        "supplier_item*",
        "price*",
        "buyer_item",
        "description",
        "currency",
        "uom",
        "min_qty",
        "lead_time_days",
        "valid_from",
        "valid_to",
    ),
}
ORDER_COLUMNS = (
    "order_number",
    "order_date",
    "line_no",
    "buyer_item",
    "supplier_item",
    "description",
    "quantity",
    "uom",
    "unit_price",
    "currency",
    "requested_date",
)


class FlatFileOptions(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    document: Literal["order_response", "despatch_advice", "price_list"] = "order_response"
    delimiter: str = Field(default=",", min_length=1, max_length=1)
    decimal_separator: str = Field(default=".", min_length=1, max_length=1)
    thousands_separator: str | None = None
    date_format: str = "%Y-%m-%d"
    encoding: str | None = None
    currency: str = Field(default="EUR", pattern=r"^[A-Z]{3}$")
    columns: dict[str, str] = Field(default_factory=dict)
    status_map: dict[str, LineStatus] = Field(default_factory=dict)
    uom_map: dict[str, str] = Field(default_factory=dict)
    # The day the file arrived: the response date when the file has none.
    received_on: date | None = None
    order_columns: dict[str, str] = Field(default_factory=lambda: {c: c for c in ORDER_COLUMNS})

    @field_validator("columns")
    @classmethod
    def _known(cls, value: dict[str, str]) -> dict[str, str]:
        known = {f.rstrip("*") for names in FIELDS.values() for f in names}
        unknown = sorted(set(value) - known)
        if unknown:
            raise ValueError(f"unknown canonical field(s) {unknown}")
        return value

    def header(self, field: str) -> str:
        """The supplier's header for a canonical field (the field name when unmapped)."""
        return self.columns.get(field, field)

    def required(self) -> list[str]:
        return [f.rstrip("*") for f in FIELDS[self.document] if f.endswith("*")]


def parse_options(options: dict[str, Any]) -> FlatFileOptions:
    try:
        return FlatFileOptions.model_validate(options)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()
        )
        raise ConfigurationError(f"flat-file codec options: {problems}") from exc
