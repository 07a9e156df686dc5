"""Shared helpers of the EDIFACT codec tests: samples, contexts, canonical views."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from canonical_view import expected_shape, mismatches

from procurelink.codecs.edifact import EdifactCodec
from procurelink.domain.despatch import DespatchAdvice
from procurelink.domain.document import Document
from procurelink.domain.invoice import Invoice
from procurelink.domain.parties import Party
from procurelink.ports.codec import DecodeContext, EncodeContext

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "edi"
EDIFACT = FIXTURES / "edifact"
SAMPLES = sorted(p.name for p in EDIFACT.glob("*.edi"))
codec = EdifactCodec()
# The sample envelopes (shared/samples/edi/README.md): ACME <-> Steelworks by GLN.
ACME_TO_STEELWORKS = {"sender_id": "9520001000010", "recipient_id": "9520002000019"}
STEELWORKS_TO_ACME = {"sender_id": "9520002000019", "recipient_id": "9520001000010"}


def sample(name: str) -> bytes:
    return (EDIFACT / name).read_bytes()


def expected_file(name: str) -> dict[str, Any]:
    path = EDIFACT / "expected" / name
    if not path.exists():
        path = FIXTURES / "expected" / name
    data: dict[str, Any] = json.loads(path.read_text())
    return data


def decode_ctx(**options: Any) -> DecodeContext:
    return DecodeContext(
        partner_id="steelworks", correlation_id="corr-1", message_id="msg-1", options=options
    )


def encode_ctx(now: datetime, interchange: int = 1, **options: Any) -> EncodeContext:
    return EncodeContext(
        partner_id="steelworks",
        correlation_id="corr-1",
        now=now,
        interchange_control_number=interchange,
        options=options,
    )


def decode_one(data: bytes, **options: Any) -> Document:
    [document] = codec.decode(data, decode_ctx(**options))
    return document


def party_identity(party: Party | None) -> dict[str, Any] | None:
    """The identity facts the expected files list for invoice parties and ASN ship-to."""
    if party is None:
        return None
    view = {
        "id": party.id,
        "id_scheme": party.id_scheme.value if party.id_scheme else None,
        "name": party.name,
        "vat_id": party.vat_id,
    }
    return {k: v for k, v in view.items() if v is not None}


def despatch_view(asn: DespatchAdvice) -> dict[str, Any]:
    totals: dict[str, Decimal] = {}
    packages = []
    for package in asn.packages:
        items = []
        for item in package.items:
            key = item.order_line_no or "?"
            totals[key] = totals.get(key, Decimal(0)) + item.quantity.value
            items.append(
                {
                    "order_number": item.order_number,
                    "order_line_no": item.order_line_no,
                    "buyer_item": item.item.buyer_item,
                    "supplier_item": item.item.supplier_item,
                    "gtin": item.item.gtin,
                    "qty": item.quantity.value,
                    "uom": item.quantity.uom,
                    "lot": item.lot,
                }
            )
        packages.append({"sscc": package.sscc, "parent_sscc": package.parent_sscc, "items": items})
    return {
        "kind": "despatch_advice",
        "asn_number": asn.asn_number,
        "ship_date": asn.ship_date.isoformat(),
        "estimated_delivery": asn.estimated_delivery.isoformat()
        if asn.estimated_delivery
        else None,
        "order_numbers": list(asn.order_numbers),
        "carrier": asn.carrier.model_dump() if asn.carrier else None,
        "tracking_number": asn.tracking_number,
        "bill_of_lading": asn.bill_of_lading,
        "ship_to": party_identity(asn.ship_to),
        "ship_from": party_identity(asn.ship_from),
        "packages": packages,
        "shipped_totals_by_order_line": totals,
    }


def invoice_view(invoice: Invoice) -> dict[str, Any]:
    return {
        "kind": invoice.kind.value,
        "invoice_number": invoice.invoice_number,
        "invoice_date": invoice.invoice_date.isoformat(),
        "order_number": invoice.order_number,
        "vendor_ref": invoice.vendor_ref,
        "asn_ref": invoice.asn_ref,
        "currency": invoice.currency,
        "seller": party_identity(invoice.seller),
        "buyer": party_identity(invoice.buyer),
        "payment_terms": invoice.payment_terms.model_dump(exclude_none=True)
        if invoice.payment_terms
        else None,
        "lines": [
            {
                "line_no": line.line_no,
                "buyer_item": line.item.buyer_item,
                "supplier_item": line.item.supplier_item,
                "gtin": line.item.gtin,
                "order_line_no": line.order_line_no,
                "qty": line.quantity.value,
                "uom": line.quantity.uom,
                "unit_price": line.unit_price.amount,
                "line_amount": line.line_amount,
            }
            for line in invoice.lines
        ],
        "charges": [c.model_dump() for c in invoice.charges] or None,
        "taxes": [
            {"type": t.type, "rate": t.rate, "taxable": t.taxable, "amount": t.amount}
            for t in invoice.taxes
        ],
        "totals": {
            "lines": invoice.totals.lines,
            "tax": invoice.totals.tax,
            "total": invoice.totals.total,
        },
    }


_DECIMALS = {
    "qty",
    "unit_price",
    "line_amount",
    "rate",
    "taxable",
    "amount",
    "lines",
    "tax",
    "total",
}


def numeric(data: Any, key: str = "") -> Any:
    """Expected JSON with the decimal strings of invoices and ASNs as Decimal."""
    if isinstance(data, dict):
        if key == "shipped_totals_by_order_line":
            return {k: Decimal(v) for k, v in data.items()}
        return {k: numeric(v, k) for k, v in data.items()}
    if isinstance(data, list):
        return [numeric(v) for v in data]
    if key in _DECIMALS and isinstance(data, str):
        return Decimal(data)
    return data


def compare_numeric(expected_document: dict[str, Any], view: dict[str, Any]) -> list[str]:
    return mismatches(numeric(expected_shape(expected_document)), view)
