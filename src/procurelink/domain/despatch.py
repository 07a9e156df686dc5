"""Ship notice (ASN: X12 856, EDIFACT DESADV) and carrier shipment events."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Literal

from pydantic import Field

from procurelink.domain.document import Document
from procurelink.domain.parties import Item, Party
from procurelink.domain.values import Frozen, Quantity


class Carrier(Frozen):
    code: str | None = None
    name: str | None = None


class AsnItem(Frozen):
    order_number: str | None = None
    order_line_no: str | None = None
    item: Item
    quantity: Quantity
    lot: str | None = None
    serials: tuple[str, ...] = ()
    expiry_date: date | None = None


class AsnPackage(Frozen):
    sscc: str | None = None
    package_type: str | None = None
    parent_sscc: str | None = None
    gross_weight: Quantity | None = None
    items: tuple[AsnItem, ...] = ()


class DespatchAdvice(Document):
    document_type: Literal["despatch_advice"] = "despatch_advice"
    asn_number: str = Field(min_length=1)
    ship_date: date
    estimated_delivery: date | None = None
    order_numbers: tuple[str, ...] = ()
    carrier: Carrier | None = None
    tracking_number: str | None = None
    bill_of_lading: str | None = None
    ship_from: Party | None = None
    ship_to: Party | None = None
    packages: tuple[AsnPackage, ...] = ()


class ShipmentStatus(StrEnum):
    PICKED_UP = "picked_up"
    IN_TRANSIT = "in_transit"
    DELAYED = "delayed"
    DELIVERED = "delivered"
    EXCEPTION = "exception"


class ShipmentEvent(Document):
    """A carrier milestone, linked to a ship notice by tracking number or SSCC."""

    document_type: Literal["shipment_event"] = "shipment_event"
    carrier: Carrier
    status: ShipmentStatus
    occurred_at: datetime
    tracking_number: str | None = None
    sscc: str | None = None
    asn_number: str | None = None
    new_eta: date | None = None
    location: str | None = None
    note: str | None = None
