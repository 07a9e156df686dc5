"""Property: every canonical order and response in normal form survives encode -> decode."""

from __future__ import annotations

from datetime import datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import (
    change_responses,
    delivery_schedules,
    goods_receipts,
    order_changes,
    order_responses,
    purchase_orders,
    x12_functional_acks,
)
from x12_support import ACME_TO_STEELWORKS, decode_ctx, encode_ctx

from procurelink.codecs.x12 import X12Codec
from procurelink.domain.document import Document

codec = X12Codec()
envelopes = st.fixed_dictionaries(
    {
        "version": st.sampled_from(["004010", "005010"]),
        "segment_suffix": st.sampled_from(["", "\n", "\r\n"]),
    }
)
when = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31))
controls = st.integers(1, 999_999_999)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _round_trip(document: Document, options: dict[str, str], now: datetime, icn: int) -> None:
    ctx = encode_ctx(now, icn, icn % 100_000 + 1, **options, **ACME_TO_STEELWORKS)
    [decoded] = codec.decode(codec.encode(document, ctx).body, decode_ctx())
    assert decoded.document_id == f"x12:ACMEMFG:{icn:09d}:{icn % 100_000 + 1}:0001"
    assert decoded == document.model_copy(update={"document_id": decoded.document_id})


@SETTINGS
@given(purchase_orders(), envelopes, when, controls)
def test_purchase_orders_round_trip(
    order: Document, options: dict[str, str], now: datetime, icn: int
) -> None:
    _round_trip(order, options, now, icn)


@SETTINGS
@given(order_responses(), envelopes, when, controls)
def test_order_responses_round_trip(
    response: Document, options: dict[str, str], now: datetime, icn: int
) -> None:
    _round_trip(response, options, now, icn)


@SETTINGS
@given(order_changes(), envelopes, when, controls)
def test_order_changes_round_trip(
    change: Document, options: dict[str, str], now: datetime, icn: int
) -> None:
    _round_trip(change, options, now, icn)


@SETTINGS
@given(change_responses(), envelopes, when, controls)
def test_change_responses_round_trip(
    response: Document, options: dict[str, str], now: datetime, icn: int
) -> None:
    _round_trip(response, options, now, icn)


@SETTINGS
@given(goods_receipts(), envelopes, when, controls)
def test_goods_receipts_round_trip(
    receipt: Document, options: dict[str, str], now: datetime, icn: int
) -> None:
    _round_trip(receipt, options, now, icn)


@SETTINGS
@given(delivery_schedules(), envelopes, when, controls)
def test_delivery_schedules_round_trip(
    schedule: Document, options: dict[str, str], now: datetime, icn: int
) -> None:
    _round_trip(schedule, options, now, icn)


@SETTINGS
@given(x12_functional_acks(), envelopes, when, controls)
def test_functional_acks_round_trip(
    ack: Document, options: dict[str, str], now: datetime, icn: int
) -> None:
    _round_trip(ack, options, now, icn)
