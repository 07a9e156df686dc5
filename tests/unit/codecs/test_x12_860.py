"""860 order changes: the sample decodes to its expected change and encodes to its bytes."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from canonical_view import change_view, compare
from x12_support import ACME_TO_STEELWORKS, decode_ctx, encode_ctx, expected, sample

from procurelink.codecs.x12 import X12Codec
from procurelink.domain.order import ChangeAction, OrderChange
from procurelink.errors import InvalidDocument

codec = X12Codec()
CHANGE_860 = sample("860_PO00042_change.x12").decode()
SENT = datetime(2024, 3, 7, 8, 0)


def _change(text: str = CHANGE_860, **options: object) -> OrderChange:
    # The sample has no CUR: its prices are in the partner's default currency.
    [document] = codec.decode(text.encode(), decode_ctx(currency="EUR", **options))
    assert isinstance(document, OrderChange)
    return document


def test_860_decodes_to_the_expected_change() -> None:
    change = _change()
    assert compare(expected("order_change_PO00042.json"), change_view(change)) == []
    assert change.change_date == date(2024, 3, 7)  # GS04: BCH11 is absent
    assert change.document_id == "x12:ACMEMFG:000000103:1003:0001"


def test_860_encodes_the_sample_bytes() -> None:
    ctx = encode_ctx(SENT, 103, 1003, **ACME_TO_STEELWORKS)
    encoded = codec.encode(_change(), ctx)
    assert encoded.body == sample("860_PO00042_change.x12")
    assert encoded.filename == "860_PO00042_000000103.x12"


def test_860_round_trip_with_a_change_date_and_currency() -> None:
    change = _change().model_copy(update={"change_date": date(2024, 3, 6), "currency": "EUR"})
    body = codec.encode(change, encode_ctx(SENT, 5, 6, **ACME_TO_STEELWORKS)).body
    assert b"BCH*04*SA*PO00042**1*20240304*****20240306~" in body
    assert b"CUR*BY*EUR~" in body
    [again] = codec.decode(body, decode_ctx())
    assert again == change.model_copy(update={"document_id": again.document_id})


@pytest.mark.parametrize(
    ("code", "action"),
    [
        ("AI", "add"),
        ("DI", "delete"),
        ("PC", "price_change"),
        ("RS", "reschedule"),
        ("RQ", "change"),
        ("QI", "qty_increase"),
    ],
)
def test_change_types(code: str, action: str) -> None:
    change = _change(CHANGE_860.replace("POC*3*QD*", f"POC*3*{code}*"))
    assert change.lines[0].action == ChangeAction(action)


def test_unknown_change_type_and_missing_price_currency() -> None:
    with pytest.raises(InvalidDocument) as caught:
        _change(CHANGE_860.replace("POC*3*QD*", "POC*3*XX*"))
    assert caught.value.details["segment_id"] == "POC"
    assert caught.value.details["element_index"] == 2
    with pytest.raises(InvalidDocument):
        codec.decode(CHANGE_860.encode(), decode_ctx())


def test_cancellation_purpose() -> None:
    change = _change(CHANGE_860.replace("BCH*04*", "BCH*01*"))
    assert change.purpose.value == "cancel"
    assert change.lines[0].quantity is not None
    assert change.lines[0].quantity.value == Decimal(4000)
