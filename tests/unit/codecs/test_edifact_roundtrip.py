"""Properties: canonical documents in normal form survive encode -> decode, escapes included."""

from __future__ import annotations

from datetime import datetime

from edifact_strategies import ALPHABET, order_changes, order_responses, purchase_orders
from edifact_support import ACME_TO_STEELWORKS, codec, decode_ctx, encode_ctx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from procurelink.codecs.edifact.syntax import DEFAULT_SERVICE, ServiceChars, interchanges
from procurelink.codecs.edifact.writer import render
from procurelink.domain.document import Document

envelopes = st.fixed_dictionaries(
    {
        "version": st.sampled_from(["D96A", "D01B"]),
        "segment_suffix": st.sampled_from(["", "\n", "\r\n"]),
        "syntax": st.sampled_from(["UNOC:3", "UNOY:3", "UNOW:4"]),
        "ack_requested": st.booleans(),
    }
)
when = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31))
controls = st.integers(1, 10**14 - 1)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _round_trip(document: Document, options: dict[str, object], now: datetime, icn: int) -> None:
    ctx = encode_ctx(now, icn, **options, **ACME_TO_STEELWORKS)
    [decoded] = codec.decode(codec.encode(document, ctx).body, decode_ctx())
    assert decoded.document_id == f"edifact:9520001000010:{icn}:1"
    assert decoded == document.model_copy(update={"document_id": decoded.document_id})


@SETTINGS
@given(purchase_orders(), envelopes, when, controls)
def test_purchase_orders_round_trip(
    order: Document, options: dict[str, object], now: datetime, icn: int
) -> None:
    _round_trip(order, options, now, icn)


@SETTINGS
@given(order_changes(), envelopes, when, controls)
def test_order_changes_round_trip(
    change: Document, options: dict[str, object], now: datetime, icn: int
) -> None:
    _round_trip(change, options, now, icn)


@SETTINGS
@given(order_responses(), envelopes, when, controls)
def test_order_responses_round_trip(
    response: Document, options: dict[str, object], now: datetime, icn: int
) -> None:
    _round_trip(response, options, now, icn)


_SERVICE = st.sampled_from(
    [
        DEFAULT_SERVICE,
        ServiceChars(component=">", element="*", decimal=",", release="#", segment="~"),
        ServiceChars(repetition="*"),
    ]
)
values = st.text(ALPHABET + "?+:'*#~>", max_size=40)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(values, min_size=1, max_size=4), min_size=1, max_size=5), _SERVICE)
def test_any_text_survives_escaping(elements: list[list[str]], service: ServiceChars) -> None:
    segment = ("FTX", *(tuple(components) for components in elements))
    text = render([("UNB", ("UNOC", "3"), "a", "b", ("240101", "1010"), "1"), segment], service)
    [raw] = interchanges(service.una() + text)
    ftx = raw.segments[1]
    for index, components in enumerate(elements, start=1):
        written = list(components)
        while written and not written[-1]:
            written.pop()
        assert ftx.components(index)[: len(written)] == written or (
            not written and ftx.components(index) in ([], [""])
        )
