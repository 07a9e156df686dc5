"""The list of canonical document types, parsing by type, and JSON Schema export."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, TypeAdapter

from procurelink.domain.acknowledgment import ApplicationResponse, FunctionalAck
from procurelink.domain.despatch import DespatchAdvice, ShipmentEvent
from procurelink.domain.document import SCHEMA_VERSION, Document
from procurelink.domain.events import AnyEvent
from procurelink.domain.invoice import Invoice
from procurelink.domain.order import OrderChange, PurchaseOrder
from procurelink.domain.price_list import PriceList
from procurelink.domain.receipt import GoodsReceipt, QualityResult
from procurelink.domain.response import OrderResponse
from procurelink.domain.schedule import DeliverySchedule

DOCUMENT_TYPES: dict[str, type[Document]] = {
    "purchase_order": PurchaseOrder,
    "order_change": OrderChange,
    "order_response": OrderResponse,
    "despatch_advice": DespatchAdvice,
    "shipment_event": ShipmentEvent,
    "goods_receipt": GoodsReceipt,
    "quality_result": QualityResult,
    "invoice": Invoice,
    "functional_ack": FunctionalAck,
    "application_response": ApplicationResponse,
    "delivery_schedule": DeliverySchedule,
    "price_list": PriceList,
}

AnyDocument = Annotated[
    PurchaseOrder
    | OrderChange
    | OrderResponse
    | DespatchAdvice
    | ShipmentEvent
    | GoodsReceipt
    | QualityResult
    | Invoice
    | FunctionalAck
    | ApplicationResponse
    | DeliverySchedule
    | PriceList,
    Field(discriminator="document_type"),
]

_any_document: TypeAdapter[AnyDocument] = TypeAdapter(AnyDocument)
_any_event: TypeAdapter[AnyEvent] = TypeAdapter(AnyEvent)


def parse_document(data: dict[str, Any] | str | bytes) -> Document:
    """Parse canonical JSON (object, str or bytes) into its document class."""
    if isinstance(data, dict):
        return _any_document.validate_python(data)
    return _any_document.validate_json(data)


def json_schemas() -> dict[str, dict[str, Any]]:
    """JSON Schema of each published type, keyed by a file-friendly name."""
    schemas: dict[str, dict[str, Any]] = {}
    for name, cls in DOCUMENT_TYPES.items():
        schema = cls.model_json_schema(mode="serialization")
        schema["$id"] = f"https://procurelink.dev/schema/v{SCHEMA_VERSION}/{name}.json"
        schemas[name] = schema
    schemas["business_event"] = _any_event.json_schema(mode="serialization")
    return schemas
