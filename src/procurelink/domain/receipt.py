"""Goods receipt at a plant and quality inspection results."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Literal

from pydantic import Field, model_validator

from procurelink.domain.document import Document
from procurelink.domain.parties import Item
from procurelink.domain.values import Dec, Frozen, Quantity


class ReceiptLine(Frozen):
    order_line_no: str = Field(min_length=1)
    item: Item | None = None
    quantity: Quantity
    lot: str | None = None
    sscc: str | None = None
    # Part of ``quantity`` the plant holds for quality (same unit): received into
    # quarantine, never into stock.
    held_quantity: Dec = Field(default=Decimal(0), ge=0)
    hold_reason: str | None = None

    @model_validator(mode="after")
    def _held_within_received(self) -> ReceiptLine:
        if self.held_quantity > self.quantity.value:
            raise ValueError(
                f"line {self.order_line_no}: {self.held_quantity} held of "
                f"{self.quantity.value} received"
            )
        return self


class GoodsReceipt(Document):
    document_type: Literal["goods_receipt"] = "goods_receipt"
    receipt_number: str = Field(min_length=1)
    order_number: str = Field(min_length=1)
    plant: str | None = None
    received_at: datetime
    asn_number: str | None = None
    lines: tuple[ReceiptLine, ...] = Field(min_length=1)


class QualityVerdict(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    HOLD = "hold"


class QualityResult(Document):
    document_type: Literal["quality_result"] = "quality_result"
    inspection_number: str = Field(min_length=1)
    order_number: str = Field(min_length=1)
    order_line_no: str | None = None
    item: Item | None = None
    lot: str | None = None
    verdict: QualityVerdict
    inspected_qty: Quantity | None = None
    rejected_qty: Quantity | None = None
    defect_codes: tuple[str, ...] = ()
    inspected_at: datetime
    note: str | None = None
