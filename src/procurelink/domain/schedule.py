"""Forecasts and delivery schedules sent to suppliers (X12 830 / 862, EDIFACT DELFOR)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Literal

from pydantic import Field

from procurelink.domain.document import Document
from procurelink.domain.parties import Item, Party
from procurelink.domain.values import Frozen, Quantity


class Commitment(StrEnum):
    FIRM = "firm"
    PLANNING = "planning"


class ScheduleBucket(Frozen):
    quantity: Quantity
    from_date: date
    to_date: date | None = None
    commitment: Commitment = Commitment.PLANNING


class ScheduleLine(Frozen):
    line_no: str = Field(min_length=1)
    item: Item
    ship_to: Party | None = None
    order_number: str | None = None  # the blanket/scheduling agreement
    cumulative_received: Quantity | None = None
    last_receipt_date: date | None = None
    buckets: tuple[ScheduleBucket, ...] = Field(min_length=1)


class ScheduleKind(StrEnum):
    FORECAST = "forecast"  # 830, DELFOR
    SHIPPING = "shipping"  # 862: firm just-in-time calls


class DeliverySchedule(Document):
    document_type: Literal["delivery_schedule"] = "delivery_schedule"
    kind: ScheduleKind
    schedule_number: str = Field(min_length=1)
    issue_date: date
    horizon_start: date
    horizon_end: date
    purpose: Literal["original", "replace", "cancel"] = "original"
    parties: tuple[Party, ...] = ()
    lines: tuple[ScheduleLine, ...] = Field(min_length=1)
