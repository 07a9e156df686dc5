"""Supplier acknowledgment of an order (X12 855, EDIFACT ORDRSP, JSON)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Literal

from pydantic import Field

from procurelink.domain.document import Document
from procurelink.domain.parties import Item
from procurelink.domain.values import Frozen, Money, Quantity


class ResponseStatus(StrEnum):
    ACCEPTED = "accepted"
    ACCEPTED_WITH_CHANGES = "accepted_with_changes"
    REJECTED = "rejected"


class LineStatus(StrEnum):
    ACCEPTED = "accepted"
    RESCHEDULED = "rescheduled"
    QUANTITY_CHANGED = "quantity_changed"
    PRICE_CHANGED = "price_changed"
    BACKORDERED = "backordered"
    REJECTED = "rejected"


class ResponseLine(Frozen):
    """The supplier's answer for one order line, with the values it proposes."""

    line_no: str = Field(min_length=1)
    status: LineStatus
    item: Item | None = None
    ordered_qty: Quantity | None = None
    confirmed_qty: Quantity | None = None
    backorder_qty: Quantity | None = None
    unit_price: Money | None = None
    promised_date: date | None = None
    note: str | None = None


class OrderResponse(Document):
    document_type: Literal["order_response"] = "order_response"
    # An answer to the order itself (855, ORDRSP) or to a buyer's change (865, ORDRSP to
    # ORDCHG); change_seq names the change answered.
    responds_to: Literal["order", "order_change"] = "order"
    change_seq: int | None = Field(default=None, ge=1)
    order_number: str = Field(min_length=1)
    vendor_ref: str | None = None
    response_number: str | None = None
    response_date: date
    # The order date the supplier echoes (X12 BAK04 is mandatory, EDIFACT DTM+171 after RFF+ON).
    order_date: date | None = None
    overall: ResponseStatus
    lines: tuple[ResponseLine, ...] = ()
    note: str | None = None

    def line(self, line_no: str) -> ResponseLine | None:
        return next((ln for ln in self.lines if ln.line_no == line_no), None)
