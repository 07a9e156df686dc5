"""Crashes found by the atheris harnesses (fuzz/), reduced: each input must now give a
procurelink error naming the bad value (or, for a group count, a negative ack).

edifact_decode found the first (a latin-1 ``²`` in a DESADV SSCC): ``str.isdigit()`` is true
for superscripts and other Unicode digits, which ``int()`` then refuses. The X12 three are the
same mistake, found by looking for every ``isdigit()`` followed by ``int()`` in the codecs.
"""

from __future__ import annotations

from datetime import datetime

import pytest
from edifact_support import decode_one
from edifact_support import sample as edifact_sample
from x12_support import decode_ctx, encode_ctx
from x12_support import sample as x12_sample

from procurelink.codecs.x12 import X12Codec
from procurelink.errors import InvalidDocument, ProcurelinkError

SUPERSCRIPT_TWO = "\u00b2"


def _x12(name: str, old: str, new: str) -> bytes:
    text = x12_sample(name).decode()
    assert old in text
    return text.replace(old, new, 1).encode()


def test_edifact_sscc_with_a_superscript_digit() -> None:
    """Found by edifact_decode: GIN+BJ of the DESADV sample with a latin-1 ``²``."""
    data = edifact_sample("DESADV_ASN-240320-01.edi").replace(
        b"GIN+BJ+395200020000000010", b"GIN+BJ+39520002000000001\xb2"
    )
    with pytest.raises(InvalidDocument, match="SSCC") as caught:
        decode_one(data)
    assert caught.value.details["segment_id"] == "GIN"


def test_x12_sscc_with_a_superscript_digit() -> None:
    data = _x12(
        "856_ASN-240320-01.x12",
        "MAN*GM*00395200020000000010",
        f"MAN*GM*003952000200000000{SUPERSCRIPT_TWO}0",
    )
    with pytest.raises(InvalidDocument, match="SSCC") as caught:
        X12Codec().decode(data, decode_ctx())
    assert caught.value.details["segment_id"] == "MAN"


def test_x12_999_element_position_with_a_superscript_digit() -> None:
    data = _x12("999_rejects_850.x12", "IK4*2:1*", f"IK4*{SUPERSCRIPT_TWO}:1*")
    with pytest.raises(InvalidDocument, match="position") as caught:
        X12Codec().decode(data, decode_ctx())
    assert caught.value.details["found"] == SUPERSCRIPT_TWO


def test_x12_group_count_with_a_superscript_digit_still_gets_its_ack() -> None:
    data = _x12("850_PO00042.x12", "GE*1*1001~", f"GE*{SUPERSCRIPT_TWO}*1001~")
    try:
        acks = X12Codec().generate_functional_acks(data, encode_ctx(datetime(2024, 3, 4), 7, 7))
    except ProcurelinkError:
        pytest.fail("a wrong GE01 deserves a negative 997, not a refusal")
    assert len(acks) == 1
    assert b"AK9*R" in acks[0] or b"AK9*E" in acks[0]
