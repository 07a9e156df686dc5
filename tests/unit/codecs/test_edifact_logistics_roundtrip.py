"""Properties: despatch advices and invoices survive DESADV/INVOIC encode -> decode, goods
receipts and schedules RECADV/DELFOR, in both directories and every envelope variant."""

from __future__ import annotations

from datetime import datetime

from edifact_logistics_strategies import (
    delivery_schedules,
    despatch_advices,
    goods_receipts,
    invoices,
)
from edifact_support import ACME_TO_STEELWORKS, codec, decode_ctx, encode_ctx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from procurelink.domain.document import Document

envelopes = st.fixed_dictionaries(
    {
        "version": st.sampled_from(["D96A", "D01B"]),
        "segment_suffix": st.sampled_from(["", "\n", "\r\n"]),
        "syntax": st.sampled_from(["UNOC:3", "UNOY:3", "UNOW:4"]),
    }
)
when = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31))
controls = st.integers(1, 10**14 - 1)
SETTINGS = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def _round_trip(document: Document, options: dict[str, object], now: datetime, icn: int) -> None:
    encoded = codec.encode(document, encode_ctx(now, icn, **options, **ACME_TO_STEELWORKS))
    [decoded] = codec.decode(encoded.body, decode_ctx())
    assert decoded.document_id == f"edifact:9520001000010:{icn}:1"
    assert decoded == document.model_copy(update={"document_id": decoded.document_id})


@SETTINGS
@given(despatch_advices(), envelopes, when, controls)
def test_despatch_advices_round_trip(
    asn: Document, options: dict[str, object], now: datetime, icn: int
) -> None:
    _round_trip(asn, options, now, icn)


@SETTINGS
@given(invoices(), envelopes, when, controls)
def test_invoices_round_trip(
    invoice: Document, options: dict[str, object], now: datetime, icn: int
) -> None:
    _round_trip(invoice, options, now, icn)


@SETTINGS
@given(goods_receipts(), envelopes, when, controls)
def test_goods_receipts_round_trip(
    receipt: Document, options: dict[str, object], now: datetime, icn: int
) -> None:
    _round_trip(receipt, options, now, icn)


@SETTINGS
@given(delivery_schedules(), envelopes, when, controls)
def test_delivery_schedules_round_trip(
    schedule: Document, options: dict[str, object], now: datetime, icn: int
) -> None:
    _round_trip(schedule, options, now, icn)
