from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from pydantic import TypeAdapter, ValidationError

from procurelink.domain.catalog import DOCUMENT_TYPES, json_schemas, parse_document
from procurelink.domain.events import AnyEvent, BillCreated
from procurelink.domain.order import OrderLine, PurchaseOrder
from procurelink.domain.parties import Item, Party, PartyRole
from procurelink.domain.response import LineStatus, OrderResponse, ResponseLine, ResponseStatus
from procurelink.domain.values import Money, Quantity


def make_order(**over: object) -> PurchaseOrder:
    data: dict[str, object] = {
        "document_id": "PO1:r0",
        "partner_id": "steelworks",
        "correlation_id": "c-1",
        "order_number": "PO00042",
        "order_date": date(2024, 3, 4),
        "currency": "EUR",
        "parties": (Party(role=PartyRole.SUPPLIER, name="Steelworks", odoo_id=7),),
        "lines": (
            OrderLine(
                line_no="1",
                item=Item(buyer_item="ACME-10042", supplier_item="SW-1"),
                quantity=Quantity(value=Decimal("5000"), uom="unit"),
                unit_price=Money(amount=Decimal("0.12"), currency="EUR"),
                requested_date=date(2024, 3, 22),
            ),
        ),
    }
    data.update(over)
    return PurchaseOrder.model_validate(data)


def test_decimals_travel_as_exact_strings() -> None:
    order = make_order()
    body = json.loads(order.model_dump_json())
    assert body["lines"][0]["quantity"]["value"] == "5000"
    assert body["lines"][0]["unit_price"]["amount"] == "0.12"
    assert body["schema_version"] == "1"


def test_parse_document_round_trips_by_type() -> None:
    order = make_order()
    again = parse_document(order.model_dump_json())
    assert isinstance(again, PurchaseOrder)
    assert again == order
    assert again.party(PartyRole.SUPPLIER) is not None
    assert again.line("1") is not None and again.line("9") is None


def test_order_needs_lines_and_a_currency_code() -> None:
    with pytest.raises(ValidationError) as err:
        make_order(lines=(), currency="euro")
    fields = {e["loc"][0] for e in err.value.errors()}
    assert fields == {"lines", "currency"}


def test_unknown_fields_are_refused() -> None:
    data = json.loads(make_order().model_dump_json())
    data["surprise"] = 1
    with pytest.raises(ValidationError):
        parse_document(data)


def test_response_lines_carry_proposals() -> None:
    response = OrderResponse(
        document_id="r1",
        partner_id="steelworks",
        correlation_id="c-1",
        order_number="PO00042",
        response_date=date(2024, 3, 5),
        overall=ResponseStatus.ACCEPTED_WITH_CHANGES,
        lines=(
            ResponseLine(
                line_no="2", status=LineStatus.RESCHEDULED, promised_date=date(2024, 3, 22)
            ),
        ),
    )
    assert response.line("2") is not None
    assert response.line("2").promised_date == date(2024, 3, 22)  # type: ignore[union-attr]


def test_json_schema_for_every_document_type() -> None:
    schemas = json_schemas()
    assert set(DOCUMENT_TYPES) <= set(schemas)
    order_schema = schemas["purchase_order"]
    assert "order_number" in order_schema["required"]
    assert order_schema["$id"].endswith("/v1/purchase_order.json")
    assert "business_event" in schemas


def test_a_bill_created_event_travels_as_any_business_event() -> None:
    sent = BillCreated(
        event_id="e1",
        occurred_at=datetime(2025, 4, 21, tzinfo=UTC),
        correlation_id="corr-42",
        data={"bill_id": 7, "state": "posted"},
    )
    received = TypeAdapter(AnyEvent).validate_json(sent.model_dump_json())
    assert isinstance(received, BillCreated)
    assert received.event_type == "bill_created" and received.data["state"] == "posted"
