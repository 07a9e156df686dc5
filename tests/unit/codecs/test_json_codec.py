"""JsonCodec: canonical JSON both ways, the context's partner always wins."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import order_responses, purchase_orders
from x12_support import decode_ctx, encode_ctx, sample

from procurelink.codecs.json_api import JsonCodec
from procurelink.codecs.x12 import X12Codec
from procurelink.domain.document import Document
from procurelink.domain.order import PurchaseOrder
from procurelink.errors import EmptyMessage, InvalidDocument, MalformedMessage, ProcurelinkError

codec = JsonCodec()
NOW = datetime(2024, 3, 4, 9, 15)
[ORDER] = X12Codec().decode(sample("850_PO00042.x12"), decode_ctx())


def _json(document: Document) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(codec.encode(document, encode_ctx(NOW)).body)
    return data


def test_encode() -> None:
    encoded = codec.encode(ORDER, encode_ctx(NOW))
    assert encoded.content_type == "application/json"
    assert encoded.filename == "purchase_order_x12_ACMEMFG_000000101_1001_0001.json"
    data = json.loads(encoded.body)
    assert data["lines"][0]["unit_price"] == {"amount": "0.12", "currency": "EUR"}


def test_decode_an_object_and_a_list() -> None:
    assert codec.decode(json.dumps(_json(ORDER)).encode(), decode_ctx()) == [ORDER]
    both = json.dumps([_json(ORDER), _json(ORDER)]).encode()
    assert codec.decode(both, decode_ctx()) == [ORDER, ORDER]


def test_the_contexts_partner_always_wins() -> None:
    data = _json(ORDER) | {"partner_id": "someone-else", "correlation_id": "theirs"}
    [document] = codec.decode(json.dumps(data).encode(), decode_ctx())
    assert document.partner_id == "steelworks"
    assert document.correlation_id == "theirs"


def test_missing_ids_come_from_the_context() -> None:
    data = _json(ORDER)
    del data["partner_id"], data["correlation_id"], data["document_id"]
    [document] = codec.decode(json.dumps([data]).encode(), decode_ctx())
    assert (document.partner_id, document.correlation_id) == ("steelworks", "corr-1")
    assert document.document_id == "json:msg-1:0"


def test_decimals_never_become_floats() -> None:
    data = json.dumps(_json(ORDER)).replace('"0.12"', "0.1200000000000000000001")
    [document] = codec.decode(data.encode(), decode_ctx())
    assert isinstance(document, PurchaseOrder)
    price = document.lines[0].unit_price
    assert price is not None
    assert str(price.amount) == "0.1200000000000000000001"


def test_invalid_json_names_line_and_column() -> None:
    with pytest.raises(MalformedMessage) as caught:
        codec.decode(b'{\n  "document_type": "purchase_order",\n  oops\n}', decode_ctx())
    assert (caught.value.details["line"], caught.value.details["column"]) == (3, 3)


@pytest.mark.parametrize("data", [b"\xff\xfe{}", b'{"a": NaN}', b"[" * 100_000])
def test_other_malformed_input(data: bytes) -> None:
    with pytest.raises(MalformedMessage):
        codec.decode(data, decode_ctx())


@pytest.mark.parametrize("data", [b"", b"  \n", b"[]"])
def test_empty_input(data: bytes) -> None:
    with pytest.raises(EmptyMessage):
        codec.decode(data, decode_ctx())


def test_schema_violations_list_pydantic_locations() -> None:
    data = _json(ORDER)
    data["lines"][1]["quantity"]["value"] = "lots"
    del data["order_number"]
    with pytest.raises(InvalidDocument) as caught:
        codec.decode(json.dumps(data).encode(), decode_ctx())
    locations = {e["loc"] for e in caught.value.details["errors"]}
    assert locations == {"purchase_order.order_number", "purchase_order.lines.1.quantity.value"}


@pytest.mark.parametrize(
    "payload", [{"document_type": "novel"}, {"no_type": 1}, [1, 2], "text", 42]
)
def test_not_a_document(payload: Any) -> None:
    with pytest.raises(InvalidDocument):
        codec.decode(json.dumps(payload).encode(), decode_ctx())


@settings(max_examples=50, deadline=None)
@given(st.one_of(purchase_orders(), order_responses()))
def test_round_trip(document: Document) -> None:
    assert codec.decode(codec.encode(document, encode_ctx(NOW)).body, decode_ctx()) == [document]


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300) | st.text(max_size=200).map(str.encode))
def test_no_foreign_exception(data: bytes) -> None:
    try:
        codec.decode(data, decode_ctx())
    except ProcurelinkError:
        return


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=10,
)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(sorted(_json(ORDER))), json_values)
def test_any_field_value_gives_a_document_or_an_own_error(field: str, value: Any) -> None:
    data = _json(ORDER) | {field: value}
    try:
        codec.decode(json.dumps(data).encode(), decode_ctx())
    except ProcurelinkError:
        return
