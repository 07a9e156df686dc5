"""Projection of canonical documents onto the shape of shared/samples/edi/expected/*.json.

The expected files follow edi.md section 5 (flat items, decimal strings, ISO dates); the
canonical model nests items and quantities. Comparison is numeric for decimals and textual
for dates, and a fact the expected file does not list must be empty in the document.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from procurelink.domain.acknowledgment import FunctionalAck, SyntaxIssue
from procurelink.domain.despatch import AsnItem, DespatchAdvice
from procurelink.domain.invoice import Invoice, InvoiceLine
from procurelink.domain.order import OrderChange, OrderChangeLine, OrderLine, PurchaseOrder
from procurelink.domain.parties import Item, Party
from procurelink.domain.response import OrderResponse, ResponseLine
from procurelink.domain.values import Money, Quantity

DECIMAL_KEYS = {
    "qty",
    "qty_left_to_receive",
    "lines",
    "line_amount",
    "rate",
    "taxable",
    "amount",
    "tax",
    "total",
    "charges",
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


def change_view(change: OrderChange) -> dict[str, Any]:
    # change_date is left out: the expected file does not carry it (it is GS04 here).
    return {
        "kind": "order_change",
        "purpose": change.purpose.value,
        "order_number": change.order_number,
        "order_date": _iso(change.order_date),
        "change_seq": str(change.change_seq),
        "currency": change.currency,
        "parties": [_party(p) for p in change.parties],
        "lines": [_change_line(line) for line in change.lines],
    }


def change_response_view(response: OrderResponse) -> dict[str, Any]:
    """An 865: like an 855 but without response_date (GS04) and the echoed quantities,
    which the expected file leaves out (tests check them apart)."""
    view = response_view(response)
    del view["response_date"]
    view.update(
        kind="order_change_response",
        order_date=_iso(response.order_date),
        change_seq=str(response.change_seq),
    )
    for line in view["lines"]:
        del line["ordered_qty"], line["backorder_qty"]
    return view


def despatch_view(asn: DespatchAdvice) -> dict[str, Any]:
    """Package type, weights and ship-from are syntax-specific in the expected file; the
    ship-to shows who it is, not its address."""
    items = [i for p in asn.packages for i in p.items]
    totals: dict[str, Decimal] = {}
    for item in items:
        key = item.order_line_no or ""
        totals[key] = totals.get(key, Decimal(0)) + item.quantity.value
    ship_to = asn.ship_to
    return {
        "kind": "despatch_advice",
        "asn_number": asn.asn_number,
        "ship_date": asn.ship_date.isoformat(),
        "estimated_delivery": _iso(asn.estimated_delivery),
        "order_numbers": list(asn.order_numbers),
        "carrier": asn.carrier.model_dump(exclude_none=True) if asn.carrier else None,
        "tracking_number": asn.tracking_number,
        "bill_of_lading": asn.bill_of_lading,
        "ship_to": (
            {"id": ship_to.id, "id_scheme": ship_to.id_scheme, "name": ship_to.name}
            if ship_to
            else None
        ),
        "packages": [
            {"sscc": p.sscc, "parent_sscc": p.parent_sscc, "items": [_asn_item(i) for i in p.items]}
            for p in asn.packages
        ],
        "shipped_totals_by_order_line": totals,
    }


def _asn_item(item: AsnItem) -> dict[str, Any]:
    return {
        "order_number": item.order_number,
        "order_line_no": item.order_line_no,
        **_item(item.item),
        "qty": item.quantity.value,
        "uom": item.quantity.uom,
        "lot": item.lot,
        "serials": list(item.serials) or None,
        "expiry_date": _iso(item.expiry_date),
    }


def invoice_view(invoice: Invoice) -> dict[str, Any]:
    """Line descriptions (PID) are left out: the expected file lists the INVOIC facts."""
    totals = invoice.totals
    return {
        "kind": invoice.kind.value,
        "invoice_number": invoice.invoice_number,
        "invoice_date": invoice.invoice_date.isoformat(),
        "order_number": invoice.order_number,
        "vendor_ref": invoice.vendor_ref,
        "asn_ref": invoice.asn_ref,
        "currency": invoice.currency,
        "seller": _role_less(invoice.seller),
        "buyer": _role_less(invoice.buyer),
        "payment_terms": (
            invoice.payment_terms.model_dump(exclude_none=True) if invoice.payment_terms else None
        ),
        "lines": [_invoice_line(line) for line in invoice.lines],
        "charges": [c.model_dump(exclude_none=True) for c in invoice.charges] or None,
        "taxes": [t.model_dump(exclude_none=True) for t in invoice.taxes],
        "totals": {
            "lines": totals.lines,
            "charges": totals.charges or None,
            "tax": totals.tax,
            "total": totals.total,
        },
    }


def _role_less(party: Party | None) -> dict[str, Any] | None:
    if party is None:
        return None
    view = _party(party)
    del view["role"]
    return view


def _invoice_line(line: InvoiceLine) -> dict[str, Any]:
    item = _item(line.item)
    del item["description"]
    return {
        "line_no": line.line_no,
        "order_line_no": line.order_line_no,
        **item,
        "qty": line.quantity.value,
        "uom": line.quantity.uom,
        "unit_price": line.unit_price.amount,
        "line_amount": line.line_amount,
        "tax_rate": line.tax_rate,
        "tax_category": line.tax_category,
    }


def functional_ack_view(ack: FunctionalAck) -> dict[str, Any]:
    return {
        "kind": "functional_ack",
        "syntax": ack.syntax.upper(),
        "acknowledged": {"functional_id": ack.functional_id, "group_control": ack.group_ref},
        "status": ack.status.value,
        "counts": ack.counts.model_dump() if ack.counts else None,
        "details": [
            {
                "type": d.type,
                "control": d.ref,
                "status": d.status.value,
                "errors": [_issue(e) for e in d.errors],
            }
            for d in ack.details
        ],
        "errors": [_issue(e) for e in ack.errors] or None,
    }


def _issue(issue: SyntaxIssue) -> dict[str, Any]:
    return issue.model_dump(exclude_none=True)


def _change_line(line: OrderChangeLine) -> dict[str, Any]:
    return {
        "line_no": line.line_no,
        **_item(line.item),
        "action": line.action.value,
        "qty": _value(line.quantity),
        "qty_left_to_receive": _value(line.qty_left_to_receive),
        "uom": next((q.uom for q in (line.quantity, line.qty_left_to_receive) if q), None),
        "unit_price": _amount(line.unit_price),
        "requested_date": _iso(line.requested_date),
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
    if isinstance(data, dict) and key != "shipped_totals_by_order_line":
        return {k: expected_shape(v, k) for k, v in data.items()}
    if isinstance(data, list):
        items = [expected_shape(v) for v in data]
        return sorted(items, key=lambda p: p["role"]) if key == "parties" else items
    if key in DECIMAL_KEYS and isinstance(data, str):
        return Decimal(data)
    if key == "shipped_totals_by_order_line":
        return {k: Decimal(v) for k, v in data.items()}
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
