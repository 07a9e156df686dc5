"""Encoding rules: options, units, refused values."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest
from x12_support import ACME_TO_STEELWORKS, decode_ctx, encode_ctx, sample

from procurelink.codecs.x12 import X12Codec
from procurelink.domain.order import PurchaseOrder
from procurelink.domain.parties import Item
from procurelink.domain.values import Quantity
from procurelink.errors import ConfigurationError, InvalidDocument

codec = X12Codec()
NOW = datetime(2024, 3, 4, 9, 15)
[_SAMPLE] = codec.decode(sample("850_PO00042.x12"), decode_ctx())
assert isinstance(_SAMPLE, PurchaseOrder)
ORDER: PurchaseOrder = _SAMPLE


def _encode(order: PurchaseOrder = ORDER, **options: Any) -> str:
    merged = {**ACME_TO_STEELWORKS, **options}
    return codec.encode(order, encode_ctx(NOW, 7, 8, **merged)).body.decode()


def _with_line(**changes: Any) -> PurchaseOrder:
    line = ORDER.lines[0].model_copy(update=changes)
    return ORDER.model_copy(update={"lines": (line, *ORDER.lines[1:])})


def test_envelope_options() -> None:
    text = _encode(
        sender_qualifier="01",
        sender_id="123456789",
        usage="T",
        ack_requested=True,
        application_sender_code="ACME-APP",
        segment_suffix="",
    )
    isa = text[: text.index("~") + 1]
    assert len(isa) == 106
    assert isa.startswith("ISA*00*          *00*          *01*123456789      *ZZ*STEELWORKS")
    assert isa.endswith("*240304*0915*U*00401*000000007*1*T*>~")
    assert "~GS*PO*ACME-APP*STEELWORKS*20240304*0915*8*X*004010~" in text
    assert "\n" not in text


@pytest.mark.parametrize(
    "options",
    [
        {"sender_id": ""},
        {"receiver_id": "X" * 16},
        {"version": "003020"},
        {"usage": "X"},
        {"element_separator": "A"},
        {"segment_terminator": "*"},
        {"sender_id": "ACME*MFG"},
    ],
)
def test_bad_options_are_configuration_errors(options: dict[str, Any]) -> None:
    with pytest.raises(ConfigurationError):
        _encode(**options)


def test_control_numbers_out_of_range() -> None:
    with pytest.raises(ConfigurationError):
        codec.encode(ORDER, encode_ctx(NOW, 1_000_000_000, 1, **ACME_TO_STEELWORKS))


def test_a_delimiter_in_data_is_refused_not_altered() -> None:
    order = _with_line(item=Item(buyer_item="A*B"))
    with pytest.raises(InvalidDocument) as caught:
        _encode(order)
    assert caught.value.details == {
        "segment_id": "PO1",
        "element_index": 7,
        "character": "'*'",
    }


def test_non_ascii_needs_the_partners_consent() -> None:
    order = _with_line(item=Item(description="Schraube Größe M10"))
    with pytest.raises(InvalidDocument):
        _encode(order)
    [decoded] = codec.decode(_encode(order, charset="utf-8").encode(), decode_ctx())
    assert isinstance(decoded, PurchaseOrder)
    assert decoded.lines[0].item.description == "Schraube Größe M10"


def test_units_use_the_partner_map_first() -> None:
    order = _with_line(quantity=Quantity(value=Decimal(4), uom="case"))
    assert "PO1*1*4*CA*0.12**" in _encode(order)
    assert "PO1*1*4*CS*0.12**" in _encode(order, uom_map={"CS": "case"})
    assert "PO1*1*4*PC*0.12*PE*" in _encode(
        _with_line(quantity=Quantity(value=Decimal(4), uom="unit")), uom_map={"PC": "unit"}
    )


def test_unit_without_x12_code() -> None:
    order = _with_line(quantity=Quantity(value=Decimal(2), uom="t"))
    with pytest.raises(InvalidDocument) as caught:
        _encode(order)
    assert caught.value.details == {"line_no": "1", "uom": "t"}
    assert "PO1*1*2*MT*" in _encode(order, uom_map={"MT": "t"})


def test_price_basis() -> None:
    assert "PO1*1*5000*EA*12*HP*" in _encode(
        _with_line(
            unit_price=ORDER.lines[0].unit_price.model_copy(update={"amount": Decimal(12)})
            if ORDER.lines[0].unit_price
            else None,
            price_basis_qty=Decimal(100),
        )
    )
    with pytest.raises(InvalidDocument):
        _encode(_with_line(price_basis_qty=Decimal(7)))


def test_hash_total_ignores_decimal_points() -> None:
    order = _with_line(quantity=Quantity(value=Decimal("1.5"), uom="kg"))
    # 1.5 -> 15, plus 1200 and 5000 (edi.md section 1.5).
    assert "CTT*3*6215~" in _encode(order)


def test_cannot_encode_other_documents() -> None:
    from procurelink.domain.despatch import Carrier, ShipmentEvent, ShipmentStatus

    event = ShipmentEvent(
        document_id="e",
        partner_id="p",
        correlation_id="c",
        carrier=Carrier(code="RHFL"),
        status=ShipmentStatus.DELIVERED,
        occurred_at=NOW,
    )
    with pytest.raises(InvalidDocument):
        codec.encode(event, encode_ctx(NOW, **ACME_TO_STEELWORKS))
