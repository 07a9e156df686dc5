"""Projection of canonical documents onto the shape of shared/samples/edi/expected/*.json.

The expected files follow edi.md section 5 (flat items, decimal strings, ISO dates); the
canonical model nests items and quantities. Comparison is numeric for decimals and textual
for dates, and a fact the expected file does not list must be empty in the document.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from procurelink.domain.order import OrderLine, PurchaseOrder
from procurelink.domain.parties import Item, Party
from procurelink.domain.response import OrderResponse, ResponseLine
from procurelink.domain.values import Money, Quantity

DECIMAL_KEYS = {
    "qty",
    "unit_price",
    "price_basis_qty",
    "total_amount",
    "ordered_qty",
    "confirmed_qty",
    "backorder_qty",
}


def order_view(order: PurchaseOrder) -> dict[str, Any]:
    return {
        "kind": "order",
        "purpose": order.purpose.value,
        "order_number": order.order_number,
        "order_date": order.order_date.isoformat(),
        "contract_ref": order.contract_ref,
        "vendor_code_at_buyer": order.vendor_code_at_buyer,
        "vendor_ref": order.vendor_ref,
        "currency": order.currency,
        "parties": [_party(p) for p in order.parties],
        "contact": order.contact.model_dump(exclude_none=True) if order.contact else None,
        "requested_date": _iso(order.requested_date),
        "payment_terms": (
            order.payment_terms.model_dump(exclude_none=True) if order.payment_terms else None
        ),
        "incoterms": order.incoterms,
        "lines": [_order_line(line) for line in order.lines],
        "total_amount": order.total_amount,
        "line_count": len(order.lines),
    }


def response_view(response: OrderResponse) -> dict[str, Any]:
    return {
        "kind": "order_response",
        "order_number": response.order_number,
        "vendor_ref": response.vendor_ref,
        "response_number": response.response_number,
        "response_date": response.response_date.isoformat(),
        "overall": response.overall.value,
        "note": response.note,
        "lines": [_response_line(line) for line in response.lines],
    }


def _party(party: Party) -> dict[str, Any]:
    view: dict[str, Any] = {
        "role": party.role.value,
        "id": party.id,
        "id_scheme": party.id_scheme.value if party.id_scheme else None,
        "name": party.name,
        "vat_id": party.vat_id,
    }
    if party.address:
        view.update(party.address.model_dump())
    if party.contact:
        view["contact"] = party.contact.model_dump(exclude_none=True)
    return {k: v for k, v in view.items() if v is not None}


def _item(item: Item | None) -> dict[str, Any]:
    item = item or Item()
    return {
        "buyer_item": item.buyer_item,
        "supplier_item": item.supplier_item,
        "gtin": item.gtin,
        "description": item.description,
    }


def _order_line(line: OrderLine) -> dict[str, Any]:
    return {
        "line_no": line.line_no,
        **_item(line.item),
        "qty": line.quantity.value,
        "uom": line.quantity.uom,
        "unit_price": _amount(line.unit_price),
        "price_basis_qty": line.price_basis_qty,
        "requested_date": _iso(line.requested_date),
    }


def _response_line(line: ResponseLine) -> dict[str, Any]:
    return {
        "line_no": line.line_no,
        **_item(line.item),
        "status": line.status.value,
        "ordered_qty": _value(line.ordered_qty),
        "confirmed_qty": _value(line.confirmed_qty),
        "backorder_qty": _value(line.backorder_qty),
        "uom": next((q.uom for q in (line.ordered_qty, line.confirmed_qty) if q), None),
        "unit_price": _amount(line.unit_price),
        "promised_date": _iso(line.promised_date),
        "note": line.note,
    }


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _value(quantity: Quantity | None) -> Decimal | None:
    return quantity.value if quantity else None


def _amount(money: Money | None) -> Decimal | None:
    return money.amount if money else None


def expected_shape(data: Any, key: str = "") -> Any:
    """The expected JSON with decimal strings as Decimal and parties ordered by role."""
    if isinstance(data, dict):
        return {k: expected_shape(v, k) for k, v in data.items()}
    if isinstance(data, list):
        items = [expected_shape(v) for v in data]
        return sorted(items, key=lambda p: p["role"]) if key == "parties" else items
    if key in DECIMAL_KEYS and isinstance(data, str):
        return Decimal(data)
    return data


def mismatches(expected: Any, actual: Any, path: str = "$") -> list[str]:
    """Differences; keys only the actual view has must hold None (nothing unexpected)."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        found = [m for k in expected for m in mismatches(expected[k], actual.get(k), f"{path}.{k}")]
        extra = [
            f"{path}.{k}: unexpected {v!r}"
            for k, v in actual.items()
            if k not in expected and v is not None
        ]
        return found + extra
    if isinstance(expected, list) and isinstance(actual, list):
        if len(expected) != len(actual):
            return [f"{path}: {len(actual)} items, expected {len(expected)}"]
        return [
            m
            for i, (e, a) in enumerate(zip(expected, actual, strict=True))
            for m in mismatches(e, a, f"{path}[{i}]")
        ]
    return [] if expected == actual else [f"{path}: {actual!r} != {expected!r}"]


def compare(expected_document: dict[str, Any], view: dict[str, Any]) -> list[str]:
    view = dict(view)
    if "parties" in view:
        view["parties"] = sorted(view["parties"], key=lambda p: p["role"])
    return mismatches(expected_shape(expected_document), view)
