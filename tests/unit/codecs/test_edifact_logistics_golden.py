"""Golden tests of the DESADV/INVOIC encoders and the RECADV/DELFOR decoders.

DESADV and INVOIC: the sample decoded and encoded again writes the sample's own segments, in
the sample's order, leaving out only what the canonical model does not hold (listed here).
RECADV and DELFOR have no shared sample: the project's files (tests/fixtures/edi/edifact)
are hand-written in the sample scenario, with variants the encoder never writes (RFF+LI, an
SSCC with its ``00`` AI, a 718 period), and checked field by field.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from edifact_support import STEELWORKS_TO_ACME, codec, decode_ctx, decode_one, encode_ctx, sample

from procurelink.codecs.edifact.syntax import interchanges
from procurelink.domain.despatch import DespatchAdvice
from procurelink.domain.document import Document
from procurelink.domain.receipt import GoodsReceipt
from procurelink.domain.schedule import Commitment, DeliverySchedule
from procurelink.domain.values import Quantity
from procurelink.errors import InvalidDate, InvalidDocument

ACME_TO_STEELWORKS = {"sender_id": "9520001000010", "recipient_id": "9520002000019"}


def _body(data: bytes) -> list[str]:
    """The message's segments between UNH and UNT as written (the sample's UNA: ``+``, ``:``)."""
    [raw] = interchanges(data.decode("latin-1"))
    return ["+".join([s.tag, *s.elements]) for s in raw.segments[2:-2]]


def _encode(document: Document, control: int, envelope: dict[str, str]) -> bytes:
    return codec.encode(
        document, encode_ctx(datetime(2024, 3, 20, 14, 31), control, **envelope)
    ).body


def _left_out(sample_body: list[str], written: list[str]) -> list[str]:
    """The sample segments ``written`` skips, asserting it keeps the sample's order."""
    missing: list[str] = []
    position = 0
    for segment in written:
        assert segment in sample_body[position:], f"{segment} is not in the sample after here"
        found = sample_body.index(segment, position)
        missing += sample_body[position:found]
        position = found + 1
    return missing + sample_body[position:]


# What DespatchAdvice / Invoice do not hold: the message date, the order date, the parties
# the model has no slot for, the consignment's own packaging.
DESADV_LEFT_OUT = [
    "DTM+137:202403201430:203",
    "DTM+171:20240304:102",
    "NAD+SU+9520002000019::9++Steelworks GmbH+Hafenstrasse 12+Duisburg++47119+DE",
    "NAD+BY+9520001000010::9++ACME Manufacturing+Westfalendamm 100+Dortmund++44141+DE",
    "PAC+2++PX",
]
INVOIC_LEFT_OUT = [
    "DTM+35:20240322:102",
    "DTM+171:20240304:102",
    "NAD+DP+9520001000027::9++ACME Manufacturing Werk 2+Industriestrasse 5+Dortmund++44147+DE",
]


@pytest.mark.parametrize(
    ("name", "control", "left_out"),
    [
        ("DESADV_ASN-240320-01.edi", 504, DESADV_LEFT_OUT),
        ("INVOIC_SW-INV-24-0815.edi", 505, INVOIC_LEFT_OUT),
    ],
)
def test_sample_encodes_back_to_its_own_segments(
    name: str, control: int, left_out: list[str]
) -> None:
    decoded = decode_one(sample(name))
    encoded = _encode(decoded, control, STEELWORKS_TO_ACME)
    sample_body = _body(sample(name))
    written = _body(encoded)
    assert _left_out(sample_body, written) == left_out
    [again] = codec.decode(encoded, decode_ctx())
    assert again == decoded


def test_desadv_writes_gross_weight_serials_and_expiry() -> None:
    asn = decode_one(sample("DESADV_ASN-240320-01.edi"))
    assert isinstance(asn, DespatchAdvice)
    pallet = asn.packages[0]
    item = pallet.items[0].model_copy(
        update={"serials": ("S1", "S2", "S3", "S4", "S5", "S6"), "expiry_date": date(2026, 1, 31)}
    )
    heavier = pallet.model_copy(
        update={"gross_weight": Quantity(value=Decimal(190), uom="kg"), "items": (item,)}
    )
    changed = asn.model_copy(update={"packages": (heavier, *asn.packages[1:])})
    body = _body(_encode(changed, 9, STEELWORKS_TO_ACME))
    assert "MEA+AAE+G+KGM:190" in body
    assert "GIN+BN+S1+S2+S3+S4+S5" in body
    assert "GIN+BN+S6" in body
    assert "DTM+36:20260131:102" in body


def test_desadv_refuses_a_parent_that_is_not_in_the_message() -> None:
    asn = decode_one(sample("DESADV_ASN-240320-01.edi"))
    assert isinstance(asn, DespatchAdvice)
    orphan = asn.packages[1].model_copy(update={"parent_sscc": "395200020000000034"})
    broken = asn.model_copy(update={"packages": (asn.packages[0], orphan)})
    with pytest.raises(InvalidDocument, match="parent_sscc") as caught:
        _encode(broken, 9, STEELWORKS_TO_ACME)
    assert caught.value.details["parent_sscc"] == "395200020000000034"


def test_recadv_fixture_decodes_line_by_line() -> None:
    receipt = decode_one(sample("RECADV_GR-240322-01.edi"))
    assert isinstance(receipt, GoodsReceipt)
    assert (receipt.receipt_number, receipt.order_number, receipt.asn_number, receipt.plant) == (
        "GR-240322-01",
        "PO00042",
        "ASN-240320-01",
        "WERK2",
    )
    assert receipt.received_at == datetime(2024, 3, 22, 9, 45)
    lines = [
        (ln.order_line_no, ln.quantity.value, ln.quantity.uom, ln.lot, ln.sscc)
        for ln in receipt.lines
    ]
    assert lines == [
        ("1", Decimal(3000), "unit", "L240311-A", "395200020000000010"),
        ("1", Decimal(2000), "unit", "L240312-B", "395200020000000010"),
        # RFF+LI gives the order line; the ``00`` AI before the SSCC is dropped.
        ("2", Decimal("1195.5"), "kg", "H-778812", "395200020000000027"),
    ]
    assert receipt.lines[2].item is not None
    assert receipt.lines[2].item.supplier_item == "SW-S235JR-2-1020"


def test_delfor_fixture_decodes_buckets_and_periods() -> None:
    schedule = decode_one(sample("DELFOR_DS-2024-14.edi"))
    assert isinstance(schedule, DeliverySchedule)
    assert (schedule.schedule_number, schedule.purpose) == ("DS-2024-14", "replace")
    assert (schedule.horizon_start, schedule.horizon_end) == (date(2024, 4, 1), date(2024, 6, 30))
    assert [p.role.value for p in schedule.parties] == ["buyer", "supplier"]
    first, second = schedule.lines
    assert first.ship_to is not None and first.ship_to.id == "9520001000027"
    assert first.order_number == "RV-2024-SW-01"
    assert first.cumulative_received is not None
    assert first.cumulative_received.value == 5000
    assert first.last_receipt_date == date(2024, 3, 22)
    assert first.item.description == "Hex bolt M10x40 DIN 933 8.8 zinc plated"
    buckets = [
        (b.commitment, b.quantity.value, b.quantity.uom, b.from_date, b.to_date)
        for line in schedule.lines
        for b in line.buckets
    ]
    assert buckets == [
        (Commitment.FIRM, 4000, "unit", date(2024, 4, 8), None),
        (Commitment.PLANNING, 12000, "unit", date(2024, 4, 15), date(2024, 6, 30)),
        (Commitment.PLANNING, 2400, "kg", date(2024, 5, 1), date(2024, 5, 31)),
    ]
    assert second.ship_to is None and second.order_number is None


@pytest.mark.parametrize(
    ("name", "control"), [("RECADV_GR-240322-01.edi", 106), ("DELFOR_DS-2024-14.edi", 107)]
)
def test_recadv_and_delfor_fixtures_round_trip(name: str, control: int) -> None:
    decoded = decode_one(sample(name))
    [again] = codec.decode(_encode(decoded, control, ACME_TO_STEELWORKS), decode_ctx())
    assert again == decoded


def _replaced(name: str, old: str, new: str) -> bytes:
    data = sample(name)
    assert old.encode() in data
    return data.replace(old.encode(), new.encode())


def test_recadv_line_without_an_order_line_is_refused() -> None:
    data = _replaced("RECADV_GR-240322-01.edi", "RFF+LI:2'", "RFF+XX:2'")
    with pytest.raises(InvalidDocument, match="order line") as caught:
        decode_one(data)
    assert caught.value.details["segment_id"] == "LIN"
    assert caught.value.details["segment_index"] == 20


def test_delfor_bucket_without_quantity_is_refused() -> None:
    data = _replaced("DELFOR_DS-2024-14.edi", "QTY+1:2400:KGM'", "QTY+3:2400:KGM'")
    with pytest.raises(InvalidDocument, match="QTY\\+1") as caught:
        decode_one(data)
    assert caught.value.details["segment_id"] == "SCC"


def test_delfor_period_end_must_be_a_date() -> None:
    data = _replaced("DELFOR_DS-2024-14.edi", "20240501-20240531", "20240501-20240532")
    with pytest.raises(InvalidDate) as caught:
        decode_one(data)
    assert caught.value.details["found"] == "20240532"
