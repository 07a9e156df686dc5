"""The values one decode shares between its messages and lines (``codecs/edifact/memo``)."""

from __future__ import annotations

import pytest
from edifact_support import codec, decode_ctx, decode_one, sample

from procurelink.codecs.edifact.memo import LIMIT, remember
from procurelink.domain.order import PurchaseOrder
from procurelink.errors import InvalidDocument


def _two_orders(second_price: str = "0.12") -> bytes:
    """The sample ORDERS twice in one interchange (UNH 0062 1 and 2)."""
    text = sample("ORDERS_PO00042.edi").decode("latin-1")
    head, rest = text.split("UNH+1+", 1)
    body, tail = rest.split("UNZ+1+", 1)
    message = "UNH+1+" + body
    other = message.replace("UNH+1+", "UNH+2+").replace("UNT+36+1", "UNT+36+2")
    other = other.replace("PRI+AAA:0.12'", f"PRI+AAA:{second_price}'")
    return (head + message + other + "UNZ+2+" + tail).encode("latin-1")


def test_messages_of_one_decode_share_equal_values() -> None:
    first, second = codec.decode(_two_orders(), decode_ctx(currency="EUR"))
    assert isinstance(first, PurchaseOrder) and isinstance(second, PurchaseOrder)
    for mine, theirs in zip(first.parties, second.parties, strict=True):
        assert mine is theirs
    assert first.contact is second.contact
    assert first.payment_terms is second.payment_terms
    # Lines 1 and 3 order 5000 PCE: one Quantity; the same price of line 1 in both orders.
    assert first.lines[0].quantity is first.lines[2].quantity
    assert first.lines[0].unit_price is second.lines[0].unit_price
    assert first.lines[0].requested_date is second.lines[2].requested_date


def test_shared_values_are_those_a_message_decoded_alone_gets() -> None:
    alone = decode_one(sample("ORDERS_PO00042.edi"), currency="EUR")
    first, second = codec.decode(_two_orders("0.13"), decode_ctx(currency="EUR"))
    assert first == alone.model_copy(update={"document_id": first.document_id})
    assert isinstance(second, PurchaseOrder)
    assert str(second.lines[0].unit_price) == "0.13 EUR"
    assert second.lines[2] == alone.lines[2]


def test_an_invalid_value_is_reported_by_the_document_as_before() -> None:
    # A unit the canonical model refuses (longer than 16 characters) is not made into a
    # Quantity on its own: the whole order reports it, at its place in the order.
    with pytest.raises(InvalidDocument) as raised:
        decode_one(sample("ORDERS_PO00042.edi"), uom_map={"PCE": "x" * 17})
    errors = raised.value.details["errors"]
    assert [e["loc"] for e in errors] == ["lines.0.quantity.uom", "lines.2.quantity.uom"]


def test_a_full_table_starts_again() -> None:
    table: dict[tuple[object, ...], int] = {}
    for n in range(LIMIT):
        remember(table, (n,), n)
    assert len(table) == LIMIT
    assert remember(table, ("one more",), -1) == -1
    assert table == {("one more",): -1}
