"""861 receiving advice and 830/862 schedules: what the segments say, and refusals."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from x12_support import ACME_TO_STEELWORKS, decode_ctx, encode_ctx

from procurelink.codecs.x12 import X12Codec
from procurelink.domain.parties import Item, Party, PartyRole
from procurelink.domain.receipt import GoodsReceipt, ReceiptLine
from procurelink.domain.schedule import (
    Commitment,
    DeliverySchedule,
    ScheduleBucket,
    ScheduleKind,
    ScheduleLine,
)
from procurelink.domain.values import Quantity
from procurelink.errors import InvalidDocument

codec = X12Codec()
IDS = {"document_id": "doc", "partner_id": "steelworks", "correlation_id": "corr-1"}
NOW = datetime(2024, 3, 22, 16, 5)
BOLTS = Item(buyer_item="ACME-10042", supplier_item="SW-HB-M10X40-ZN", gtin="9520002000101")
RECEIPT = GoodsReceipt(
    **IDS,
    receipt_number="GR-24-0311",
    order_number="PO00042",
    plant="WERK2",
    received_at=datetime(2024, 3, 22, 15, 40),
    asn_number="ASN-240320-01",
    lines=(
        ReceiptLine(
            order_line_no="1",
            item=BOLTS,
            quantity=Quantity(value=Decimal(3000)),
            lot="L240311-A",
            sscc="395200020000000010",
        ),
        ReceiptLine(order_line_no="2", quantity=Quantity(value=Decimal(1200), uom="kg")),
    ),
)
SCHEDULE = DeliverySchedule(
    **IDS,
    kind=ScheduleKind.FORECAST,
    schedule_number="FC-2024-12",
    issue_date=date(2024, 3, 18),
    horizon_start=date(2024, 3, 25),
    horizon_end=date(2024, 6, 30),
    lines=(
        ScheduleLine(
            line_no="1",
            item=BOLTS,
            ship_to=Party(role=PartyRole.SHIP_TO, id="9520001000027", name="Werk 2"),
            order_number="BK-2024-7",
            cumulative_received=Quantity(value=Decimal(15000)),
            last_receipt_date=date(2024, 3, 22),
            buckets=(
                ScheduleBucket(
                    quantity=Quantity(value=Decimal(5000)),
                    from_date=date(2024, 3, 25),
                    commitment=Commitment.FIRM,
                ),
                ScheduleBucket(
                    quantity=Quantity(value=Decimal(20000)),
                    from_date=date(2024, 4, 1),
                    to_date=date(2024, 4, 30),
                ),
            ),
        ),
    ),
)


def _segments(document: object, **options: object) -> list[str]:
    body = codec.encode(document, encode_ctx(NOW, 9, 9, **ACME_TO_STEELWORKS, **options)).body  # type: ignore[arg-type]
    return [s.strip() for s in body.decode().split("~") if s.strip()][2:-3]


def test_861_segments_and_round_trip() -> None:
    assert _segments(RECEIPT) == [
        "ST*861*0001",
        "BRA*GR-24-0311*20240322*00*1*1540",
        "REF*PO*PO00042",
        "REF*SI*ASN-240320-01",
        "N1*ST**92*WERK2",
        "RCD*1*3000*EA",
        "LIN**BP*ACME-10042*VP*SW-HB-M10X40-ZN*EN*9520002000101",
        "REF*LT*L240311-A",
        "MAN*GM*395200020000000010",
        "RCD*2*1200*KG",
        "CTT*2*4200",
    ]
    body = codec.encode(RECEIPT, encode_ctx(NOW, 9, 9, **ACME_TO_STEELWORKS)).body
    assert b"GS*RC*" in body
    [again] = codec.decode(body, decode_ctx())
    assert again == RECEIPT.model_copy(update={"document_id": again.document_id})


def test_861_receipt_time_in_utc() -> None:
    receipt = RECEIPT.model_copy(
        update={"received_at": datetime(2024, 3, 22, 15, 40, 12, tzinfo=UTC)}
    )
    assert "DTM*050*20240322*154012*UT" in _segments(receipt)


def test_830_segments_and_862_heading() -> None:
    assert _segments(SCHEDULE) == [
        "ST*830*0001",
        "BFR*00*FC-2024-12**DL*A*20240325*20240630*20240318",
        "LIN*1*BP*ACME-10042*VP*SW-HB-M10X40-ZN*EN*9520002000101",
        "UIT*EA",
        "REF*PO*BK-2024-7",
        "N1*ST*Werk 2*ZZ*9520001000027",
        "SHP*02*15000*050*20240322",
        "FST*5000*C*D*20240325",
        "FST*20000*D*F*20240401*20240430",
        "CTT*1*25000",
    ]
    shipping = SCHEDULE.model_copy(update={"kind": ScheduleKind.SHIPPING})
    assert _segments(shipping)[1] == "BSS*00*FC-2024-12*20240318*DL*20240325*20240630"


def test_schedule_line_needs_one_unit() -> None:
    line = SCHEDULE.lines[0]
    bucket = line.buckets[0].model_copy(update={"quantity": Quantity(value=Decimal(1), uom="kg")})
    odd = SCHEDULE.model_copy(update={"lines": (line.model_copy(update={"buckets": (bucket,)}),)})
    with pytest.raises(InvalidDocument):
        _segments(odd)
