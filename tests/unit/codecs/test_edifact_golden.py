"""Golden tests: every EDIFACT sample against its expected canonical JSON (tests/fixtures/edi)."""

from __future__ import annotations

import copy
from datetime import datetime
from typing import Any

import pytest
from canonical_view import compare, order_view, response_view
from edifact_support import (
    ACME_TO_STEELWORKS,
    FIXTURES,
    SAMPLES,
    STEELWORKS_TO_ACME,
    codec,
    compare_numeric,
    decode_ctx,
    decode_one,
    despatch_view,
    encode_ctx,
    expected_file,
    invoice_view,
    sample,
)

from procurelink.codecs.edifact.validation import validate
from procurelink.codecs.x12 import X12Codec
from procurelink.domain.acknowledgment import AckStatus, FunctionalAck
from procurelink.domain.despatch import DespatchAdvice
from procurelink.domain.invoice import Invoice
from procurelink.domain.order import PurchaseOrder
from procurelink.domain.parties import Address, PartyRole
from procurelink.domain.response import OrderResponse

ORDERS = ["ORDERS_PO00042.edi", "ORDERS_PO00042_D01B.edi"]


def _order(name: str) -> PurchaseOrder:
    document = decode_one(sample(name))
    assert isinstance(document, PurchaseOrder)
    return document


def _expected_order() -> dict[str, Any]:
    """The order every syntax yields, plus the addresses only the EDIFACT files carry."""
    data = expected_file("order_PO00042.json")
    document = copy.deepcopy(data["document"])
    extra = data["syntax_specific"]["edifact"]
    for party in document["parties"]:
        address = extra.get(f"{party['role']}_address")
        if address:
            party.update(address)
    return document


@pytest.mark.parametrize("name", ORDERS)
def test_orders_decode_to_the_expected_order(name: str) -> None:
    assert compare(_expected_order(), order_view(_order(name))) == []


def test_orders_raw_units_and_envelope_facts() -> None:
    order = _order("ORDERS_PO00042.edi")
    assert order.document_id == "edifact:9520001000010:101:1"
    assert order.contact is not None and order.contact.phone == "+49 231 555010"
    assert _order("ORDERS_PO00042_D01B.edi").document_id == "edifact:9520001000010:102:1"


def test_d96a_and_d01b_and_x12_give_the_same_order() -> None:
    d96a, d01b = _order(ORDERS[0]), _order(ORDERS[1])
    assert d96a.model_copy(update={"document_id": "x"}) == d01b.model_copy(
        update={"document_id": "x"}
    )
    x12_bytes = (FIXTURES / "x12" / "850_PO00042.x12").read_bytes()
    [x12] = X12Codec().decode(x12_bytes, decode_ctx())
    # The X12 sample names buyer and supplier without address; EDIFACT's NADs carry one.
    parties = tuple(
        p if p.role == PartyRole.SHIP_TO else p.model_copy(update={"address": None})
        for p in d96a.parties
    )
    stripped = d96a.model_copy(update={"parties": parties, "document_id": x12.document_id})
    assert compare(expected_file("order_PO00042.json")["document"], order_view(x12)) == []
    by_role = sorted(stripped.parties, key=lambda p: p.role.value)
    x12_by_role = sorted(x12.parties, key=lambda p: p.role.value)
    assert by_role == x12_by_role
    assert stripped.model_copy(update={"parties": ()}) == x12.model_copy(update={"parties": ()})


def test_ordrsp_decodes_to_the_expected_response() -> None:
    response = decode_one(sample("ORDRSP_PO00042.edi"))
    assert isinstance(response, OrderResponse)
    data = expected_file("order_response_PO00042.json")
    edifact = data["syntax_specific"]["edifact"]
    document = {
        **data["document"],
        "response_number": edifact["response_number"],
        "lines": [
            {**line, "note": edifact["notes"].get(line["line_no"])}
            for line in data["document"]["lines"]
        ],
    }
    assert compare(document, response_view(response)) == []
    assert response.order_date is not None and response.order_date.isoformat() == "2024-03-04"


def test_desadv_decodes_to_the_expected_despatch_advice() -> None:
    asn = decode_one(sample("DESADV_ASN-240320-01.edi"))
    assert isinstance(asn, DespatchAdvice)
    data = expected_file("despatch_advice_ASN-240320-01.json")
    assert compare_numeric(data["document"], despatch_view(asn)) == []
    assert {p.package_type for p in asn.packages} == {
        data["syntax_specific"]["edifact"]["package_type"]
    }
    assert asn.ship_to is not None
    assert asn.ship_to.address == Address(
        street="Industriestrasse 5", city="Dortmund", postcode="44147", country="DE"
    )


def test_invoic_decodes_to_the_expected_invoice() -> None:
    invoice = decode_one(sample("INVOIC_SW-INV-24-0815.edi"))
    assert isinstance(invoice, Invoice)
    data = expected_file("invoice_SW-INV-24-0815.json")
    assert compare_numeric(data["document"], invoice_view(invoice)) == []
    line_tax = data["syntax_specific"]["edifact"]["line_tax"]
    for line in invoice.lines:
        assert str(line.tax_rate) == line_tax[line.line_no]["rate"]
        assert line.tax_category == line_tax[line.line_no]["category"]
    assert [t.category for t in invoice.taxes] == ["S"]
    assert str(invoice.totals.taxable) == "2820.00"


def test_contrl_decodes_to_the_expected_functional_ack() -> None:
    ack = decode_one(sample("CONTRL_ack_ORDERS.edi"))
    assert isinstance(ack, FunctionalAck)
    expected = expected_file("functional_ack_CONTRL_PO00042.json")["document"]
    assert ack.interchange_ref == expected["acknowledged"]["interchange_ref"]
    assert ack.sender == expected["acknowledged"]["sender"]
    assert ack.recipient == expected["acknowledged"]["recipient"]
    assert ack.status.value == expected["status"]
    assert ack.action_code == expected["action_code"]
    assert [
        {"ref": d.ref, "type": d.type, "status": d.status.value, "errors": list(d.errors)}
        for d in ack.details
    ] == expected["details"]


@pytest.mark.parametrize(
    ("name", "version", "interchange"), [(ORDERS[0], "D96A", 101), (ORDERS[1], "D01B", 102)]
)
def test_orders_encode_to_the_sample_bytes(name: str, version: str, interchange: int) -> None:
    order = _order(name)
    ctx = encode_ctx(
        datetime(2024, 3, 4, 9, 15),
        interchange,
        version=version,
        ack_requested=True,
        **ACME_TO_STEELWORKS,
    )
    encoded = codec.encode(order, ctx)
    written, original = encoded.body.decode().splitlines(), sample(name).decode().splitlines()
    # The sample cuts two 39-character descriptions after "8.8" / "grade 8"; the encoder cuts
    # at the last space within 35 characters. Everything else is byte for byte the sample.
    differing = [(a, b) for a, b in zip(written, original, strict=True) if a != b]
    assert [a[:3] for a, _ in differing] == ["IMD", "IMD"]
    assert encoded.filename == f"ORDERS_PO00042_{interchange}.edi"
    assert decode_one(encoded.body).model_copy(update={"document_id": "x"}) == order.model_copy(
        update={"document_id": "x"}
    )


def test_d01b_writes_long_descriptions_in_one_component() -> None:
    ctx = encode_ctx(datetime(2024, 3, 4, 9, 15), 102, version="D01B", **ACME_TO_STEELWORKS)
    text = codec.encode(_order(ORDERS[0]), ctx).body.decode()
    assert "IMD+F++:::Hex bolt M10x40 DIN 933 8.8 zinc plated'" in text


def test_ordrsp_encodes_and_decodes_to_the_same_response() -> None:
    response = decode_one(sample("ORDRSP_PO00042.edi"))
    ctx = encode_ctx(datetime(2024, 3, 5, 10, 10), 502, **STEELWORKS_TO_ACME)
    again = decode_one(codec.encode(response, ctx).body)
    assert again.model_copy(update={"document_id": "x"}) == response.model_copy(
        update={"document_id": "x"}
    )


def test_contrl_generated_for_the_sample_order_is_the_sample_contrl() -> None:
    from procurelink.codecs.edifact.validation import acknowledgments

    [ack] = acknowledgments(sample(ORDERS[0]), decode_ctx())
    assert ack.status == AckStatus.ACCEPTED
    ctx = encode_ctx(datetime(2024, 3, 4, 9, 30), 501, application_ref="", **STEELWORKS_TO_ACME)
    assert codec.encode(ack, ctx).body == sample("CONTRL_ack_ORDERS.edi")


@pytest.mark.parametrize("name", SAMPLES)
def test_every_sample_validates_cleanly(name: str) -> None:
    [report] = validate(sample(name), decode_ctx())
    assert report.interchange is not None
    assert report.problems == []
