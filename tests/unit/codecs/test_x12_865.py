"""865 answers to an order change: golden decode, echoed quantities, round trip."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from canonical_view import change_response_view, compare
from x12_support import STEELWORKS_TO_ACME, decode_ctx, encode_ctx, expected, sample

from procurelink.codecs.x12 import X12Codec
from procurelink.domain.response import OrderResponse, ResponseStatus

codec = X12Codec()
ACK_865 = sample("865_PO00042_change_ack.x12").decode()


def _response(text: str = ACK_865) -> OrderResponse:
    [document] = codec.decode(text.encode(), decode_ctx(currency="EUR"))
    assert isinstance(document, OrderResponse)
    return document


def test_865_decodes_to_the_expected_change_response() -> None:
    response = _response()
    assert (
        compare(expected("order_change_response_PO00042.json"), change_response_view(response))
        == []
    )
    assert response.responds_to == "order_change"
    assert response.change_seq == 1
    line = response.lines[0]
    assert line.ordered_qty is not None
    assert line.backorder_qty is not None
    assert (line.ordered_qty.value, line.backorder_qty.value) == (Decimal(4000), Decimal(0))


def test_865_rejection() -> None:
    response = _response(ACK_865.replace("BCA*00*AD*", "BCA*00*RD*").replace("ACK*IA*", "ACK*IR*"))
    assert response.overall == ResponseStatus.REJECTED
    assert response.lines[0].status.value == "rejected"


def test_865_round_trip() -> None:
    response = _response()
    ctx = encode_ctx(datetime(2024, 3, 7, 11, 22), 503, 5003, **STEELWORKS_TO_ACME)
    encoded = codec.encode(response, ctx)
    assert encoded.filename == "865_PO00042_000000503.x12"
    assert b"BCA*00*AD*PO00042**1*20240304~" in encoded.body
    assert b"ACK*IA*4000*EA*067*20240412~" in encoded.body
    [again] = codec.decode(encoded.body, decode_ctx(currency="EUR"))
    assert again == response
