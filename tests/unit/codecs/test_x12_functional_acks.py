"""The 997/999 (and TA1) an inbound file deserves, built from the validator's problems."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from x12_support import decode_ctx, encode_ctx, sample

from procurelink.codecs.x12 import X12Codec
from procurelink.codecs.x12.functional_acks import functional_acks, generate_functional_acks
from procurelink.codecs.x12.validation import validate
from procurelink.domain.acknowledgment import AckStatus, FunctionalAck

codec = X12Codec()
PO_4010 = sample("850_PO00042.x12").decode()
NOW = datetime(2024, 3, 4, 9, 30)


def _replace(*pairs: tuple[str, str], text: str = PO_4010) -> bytes:
    for old, new in pairs:
        assert old in text
        text = text.replace(old, new)
    return text.encode()


def _acks(data: bytes, **options: Any) -> list[bytes]:
    return generate_functional_acks(data, encode_ctx(NOW, 501, 5001, **options))


def _segments(ack: bytes) -> list[str]:
    return [s.strip() for s in ack.decode().split("~") if s.strip()]


def test_the_sample_order_gets_the_sample_997() -> None:
    assert _acks(sample("850_PO00042.x12")) == [sample("997_ack_850.x12")]
    assert codec.generate_functional_acks(
        sample("850_PO00042.x12"), encode_ctx(NOW, 501, 5001)
    ) == [sample("997_ack_850.x12")]


def test_every_inbound_sample_is_accepted_and_acks_are_not_acknowledged() -> None:
    for name in ("855_PO00042.x12", "856_ASN-240320-01.x12", "810_SW-INV-24-0815.x12"):
        [ack] = _acks(sample(name))
        assert "AK9*A*1*1*1" in _segments(ack)
    assert _acks(sample("997_ack_850.x12")) == []


def test_wrong_segment_count_rejects_the_set() -> None:
    [ack] = _acks(_replace(("SE*25*0001", "SE*24*0001")))
    assert _segments(ack)[3:7] == ["AK1*PO*1001", "AK2*850*0001", "AK5*R*4", "AK9*R*1*1*0"]


def test_element_errors_are_located() -> None:
    data = _replace(("DTM*002*20240318", "DTM*002*20241318"), ("PO1*2*1200*", "PO1*2*1,200*"))
    segments = _segments(_acks(data)[0])
    assert segments[5:11] == [
        "AK3*PO1*17**8",
        "AK4*2**6*1,200",
        "AK3*DTM*19**8",
        "AK4*2**8*20241318",
        "AK5*R*5",
        "AK9*R*1*1*0",
    ]


def test_group_errors_and_partial_acceptance() -> None:
    st_to_se = PO_4010[PO_4010.index("ST*850") : PO_4010.index("GE*")]
    second = st_to_se.replace("0001", "0002").replace("SE*25*", "SE*26*")
    text = PO_4010.replace(st_to_se, st_to_se + second).replace("GE*1*1001", "GE*3*1001")
    [ack] = _acks(text.encode())
    assert _segments(ack)[4:9] == [
        "AK2*850*0001",
        "AK5*A",
        "AK2*850*0002",
        "AK5*R*4",
        "AK9*R*3*2*1*5",
    ]
    fixed = text.replace("GE*3*1001", "GE*2*1001")
    assert "AK9*P*2*2*1" in _segments(_acks(fixed.encode())[0])


def test_999_for_5010_partners_on_request() -> None:
    [ack] = _acks(sample("850_PO00042_5010.x12"), functional_ack="auto")
    segments = _segments(ack)
    assert segments[2:5] == ["ST*999*0001*005010X231A1", "AK1*PO*1002*005010", "AK2*850*0001"]
    assert segments[0].endswith("*^*00501*000000501*0*P*:")
    [ack] = _acks(_replace(("PO1*2*1200*", "PO1*2*1,200*")), functional_ack="999")
    assert "IK4*2**6*1,200" in _segments(ack)
    [ack_4010] = _acks(sample("850_PO00042_5010.x12"))
    assert _segments(ack_4010)[2] == "ST*997*0001"


def test_reply_goes_back_to_the_sender_with_its_usage() -> None:
    [ack] = _acks(_replace(("*0*P*>~", "*0*T*>~")), usage="T")
    isa = _segments(ack)[0]
    assert "*ZZ*STEELWORKS     *ZZ*ACMEMFG        *" in isa
    assert isa.endswith("*T*>")


def test_broken_interchange_gets_a_ta1_and_truncated_file_a_negative_ack() -> None:
    acks = _acks(_replace(("IEA*1*000000101", "IEA*1*000000109")))
    assert len(acks) == 2
    assert "TA1*000000101*240304*0915*R*001" in _segments(acks[1])
    assert _segments(acks[1])[-1] == "IEA*0*000000502"
    truncated = PO_4010[: PO_4010.index("SE*25")].encode()
    ack, ta1 = _acks(truncated)
    assert _segments(ack)[3:5] == ["AK1*PO*1001", "AK9*R*0*0*0*3"]
    assert "TA1*000000101*240304*0915*R*023" in _segments(ta1)


def test_ta1_when_the_sender_asks_for_one() -> None:
    acks = _acks(_replace(("*000000101*0*P*", "*000000101*1*P*")))
    assert "TA1*000000101*240304*0915*A*000" in _segments(acks[-1])


def test_generated_acks_decode_to_the_canonical_acks() -> None:
    data = _replace(("SE*25*0001", "SE*24*0001"), ("PO1*2*1200*", "PO1*2*1,200*"))
    ctx = encode_ctx(NOW, 501, 5001)
    [wanted] = functional_acks(validate(data), ctx)
    [decoded] = codec.decode(_acks(data)[0], decode_ctx())
    assert isinstance(decoded, FunctionalAck)
    assert decoded.status == wanted.status == AckStatus.REJECTED
    assert [(e.code, e.segment_id) for e in decoded.details[0].errors] == [
        ("6", "PO1"),
        ("4", None),
        ("5", None),
    ]
    assert wanted.interchange_ref == "000000101"
    assert codec.functional_acks(data, ctx) == [wanted]
