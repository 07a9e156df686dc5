"""997/999 in and out: the sample 997 decodes to its expected ack and encodes to its bytes."""

from __future__ import annotations

from datetime import datetime

import pytest
from canonical_view import compare, functional_ack_view
from x12_support import STEELWORKS_TO_ACME, decode_ctx, encode_ctx, expected, sample

from procurelink.codecs.x12 import X12Codec
from procurelink.domain.acknowledgment import AckStatus, FunctionalAck
from procurelink.errors import InvalidDocument

codec = X12Codec()
ACK_997 = sample("997_ack_850.x12").decode()
SENT = datetime(2024, 3, 4, 9, 30)
# A 999 rejecting one of two sets: an element error under an IK3, a segment error, IK5 codes.
ACK_999 = sample("999_rejects_850.x12").decode()


def _ack(text: str) -> FunctionalAck:
    [document] = codec.decode(text.encode(), decode_ctx())
    assert isinstance(document, FunctionalAck)
    return document


def test_997_decodes_to_the_expected_ack() -> None:
    wanted = expected("functional_ack_997_PO00042.json")
    del wanted["matches"]  # documentation, not a fact of the ack
    assert compare(wanted, functional_ack_view(_ack(ACK_997))) == []


def test_997_encodes_the_sample_bytes() -> None:
    encoded = codec.encode(_ack(ACK_997), encode_ctx(SENT, 501, 5001, **STEELWORKS_TO_ACME))
    assert encoded.body == sample("997_ack_850.x12")
    assert encoded.filename == "997_1001_000000501.x12"


def test_999_decodes_errors_with_their_places() -> None:
    ack = _ack(ACK_999)
    assert (ack.ack_type, ack.status, ack.group_version) == (
        "999",
        AckStatus.PARTIALLY_ACCEPTED,
        "005010",
    )
    rejected = ack.details[1]
    assert rejected.status == AckStatus.REJECTED
    assert [
        (e.code, e.segment_id, e.segment_position, e.element_position) for e in rejected.errors
    ] == [
        ("6", "PO1", 17, 2),
        ("1", "ZZZ", 19, None),
        ("5", None, None, None),
    ]
    assert rejected.errors[0].component_position == 1
    assert rejected.errors[0].bad_value == "12,00"


def test_999_round_trip() -> None:
    ack = _ack(ACK_999)
    encoded = codec.encode(ack, encode_ctx(SENT, 601, 6001, **STEELWORKS_TO_ACME))
    assert b"ST*999*0001*005010X231A1~" in encoded.body
    assert b"IK4*2:1**6*12,00~" in encoded.body
    [again] = codec.decode(encoded.body, decode_ctx())
    assert again == ack


def test_997_without_ak9_is_invalid() -> None:
    text = ACK_997.replace("AK9*A*1*1*1~\n", "").replace("SE*6*", "SE*5*")
    with pytest.raises(InvalidDocument) as caught:
        codec.decode(text.encode(), decode_ctx())
    assert caught.value.details["expected"] == "AK9"
