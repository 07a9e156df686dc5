"""855 line answers: several ACKs per line, partial backorders, dates, default status."""

from __future__ import annotations

from decimal import Decimal

import pytest
from x12_support import decode_ctx, sample

from procurelink.codecs.x12 import X12Codec
from procurelink.domain.response import LineStatus, OrderResponse
from procurelink.errors import ConfigurationError

codec = X12Codec()
ACK_855 = sample("855_PO00042.x12").decode()


def _decode(old: str, new: str, se_delta: int = 0, **options: object) -> OrderResponse:
    assert old in ACK_855
    text = ACK_855.replace(old, new).replace("SE*13*", f"SE*{13 + se_delta}*")
    [response] = codec.decode(text.encode(), decode_ctx(**options))
    assert isinstance(response, OrderResponse)
    return response


def _quantities(response: OrderResponse, line_no: str) -> tuple[Decimal, Decimal]:
    line = response.line(line_no)
    assert line is not None
    assert line.confirmed_qty is not None
    assert line.backorder_qty is not None
    return line.confirmed_qty.value, line.backorder_qty.value


def test_accepted_now_and_backordered_later() -> None:
    response = _decode(
        "ACK*IB*5000*EA*067*20240412~",
        "ACK*IA*3000*EA*067*20240322~\nACK*IB*2000*EA*067*20240412~",
        se_delta=1,
    )
    line = response.line("3")
    assert line is not None
    assert line.status == LineStatus.BACKORDERED
    assert _quantities(response, "3") == (3000, 2000)
    assert line.promised_date is not None
    assert line.promised_date.isoformat() == "2024-03-22"


def test_partial_shipment_balance_backordered() -> None:
    response = _decode("ACK*IB*5000*EA*067*20240412~", "ACK*BP*4000*EA~")
    assert _quantities(response, "3") == (4000, 1000)


def test_ack_without_quantity_speaks_for_the_ordered_quantity() -> None:
    response = _decode("ACK*IA*5000*EA*067*20240322~", "ACK*IA~")
    assert _quantities(response, "1") == (5000, 0)
    line = response.line("1")
    assert line is not None
    assert line.promised_date is None


def test_ship_date_is_the_fallback_promise() -> None:
    response = _decode("ACK*IA*5000*EA*067*20240322~", "ACK*IA*5000*EA*068*20240320~")
    line = response.line("1")
    assert line is not None
    assert line.promised_date is not None
    assert line.promised_date.isoformat() == "2024-03-20"


def test_rejection_confirms_nothing() -> None:
    response = _decode("ACK*DR*1200*KG*067*20240322~", "ACK*R2*1200*KG~")
    assert response.line("2") is not None
    assert _quantities(response, "2") == (0, 0)


def test_response_date_falls_back_to_gs04() -> None:
    response = _decode("*SO-77812*20240305~", "*SO-77812~")
    assert response.response_date.isoformat() == "2024-03-05"
    assert response.vendor_ref == "SO-77812"


def test_vendor_reference_from_ref_vn() -> None:
    response = _decode("*SO-77812*20240305~", "**20240305~\nREF*VN*SO-1~", se_delta=1)
    assert response.vendor_ref == "SO-1"


def test_bad_ack_status_map() -> None:
    with pytest.raises(ConfigurationError):
        _decode("CTT*3", "CTT*3", ack_status_map={"IS": "swapped"})
