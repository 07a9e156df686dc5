"""The values one decode shares between its messages and lines (``codecs/edifact/memo``)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from edifact_support import codec, decode_ctx, decode_one, sample

from procurelink.codecs.edifact.items import shared_quantity
from procurelink.codecs.edifact.memo import LIMIT, Memo, remember
from procurelink.codecs.edifact.problems import Place
from procurelink.codecs.edifact.reader import LineData
from procurelink.codecs.edifact.syntax import DEFAULT_SERVICE, Segment
from procurelink.codecs.edifact.units import UnitMap
from procurelink.domain.order import PurchaseOrder
from procurelink.domain.parties import Item
from procurelink.domain.values import Quantity
from procurelink.errors import InvalidDocument


def segment(text: str) -> Segment:
    tag, *elements = text.split("+")
    return Segment(tag, elements, 1, 0, DEFAULT_SERVICE, escaped=False)


def _orders(*prices: str) -> bytes:
    """The sample ORDERS once per price in one interchange (UNH 0062 1, 2, ...), line 1
    priced at each price in turn."""
    text = sample("ORDERS_PO00042.edi").decode("latin-1")
    head, rest = text.split("UNH+1+", 1)
    body, tail = rest.split("UNZ+1+", 1)
    messages = [
        ("UNH+1+" + body)
        .replace("UNH+1+", f"UNH+{n}+")
        .replace("UNT+36+1", f"UNT+36+{n}")
        .replace("PRI+AAA:0.12'", f"PRI+AAA:{price}'")
        for n, price in enumerate(prices, start=1)
    ]
    return (head + "".join(messages) + f"UNZ+{len(prices)}+" + tail).encode("latin-1")


def test_messages_of_one_decode_share_equal_values() -> None:
    first, second, third = codec.decode(_orders("0.12", "0.12", "0.12"), decode_ctx())
    assert isinstance(first, PurchaseOrder)
    assert isinstance(second, PurchaseOrder) and isinstance(third, PurchaseOrder)
    for mine, theirs in zip(second.parties, third.parties, strict=True):
        assert mine is theirs
    assert first.contact is second.contact
    assert first.payment_terms is second.payment_terms
    assert first.requested_date is second.requested_date
    # Quantities and prices are shared from their second sight on: 5000 PCE is on lines 1
    # and 3 of each order, the price of line 1 once in each.
    assert first.lines[2].quantity is second.lines[0].quantity is third.lines[2].quantity
    assert second.lines[0].unit_price is third.lines[0].unit_price
    assert first.lines[0].requested_date is second.lines[2].requested_date


def test_a_value_seen_once_is_validated_with_its_document() -> None:
    memo = Memo(UnitMap({}))
    line = LineData(segment("LIN+1"))
    line.quantities["21"] = segment("QTY+21:7:PCE")
    # The first time: the plain fields (validated with the order, as without the memo).
    assert shared_quantity(memo, Place(), line, "21") == {"value": Decimal(7), "uom": "unit"}
    second = shared_quantity(memo, Place(), line, "21")
    assert isinstance(second, Quantity) and second == Quantity(value=Decimal(7), uom="unit")
    assert shared_quantity(memo, Place(), line, "21") is second


def test_shared_values_are_those_a_message_decoded_alone_gets() -> None:
    alone = decode_one(sample("ORDERS_PO00042.edi"), currency="EUR")
    documents = codec.decode(_orders("0.12", "0.13", "0.12"), decode_ctx())
    for document in documents[0], documents[2]:
        assert document == alone.model_copy(update={"document_id": document.document_id})
    second = documents[1]
    assert isinstance(second, PurchaseOrder)
    assert str(second.lines[0].unit_price) == "0.13 EUR"
    assert second.lines[1:] == alone.lines[1:]


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


def _order_with_lines(*lines: str) -> bytes:
    """The sample ORDERS with its three lines replaced by ``lines`` (segments without LIN)."""
    text = sample("ORDERS_PO00042.edi").decode("latin-1")
    head, rest = text.split("LIN+1++", 1)
    tail = "UNS+S'" + rest.split("UNS+S'", 1)[1].replace("CNT+2:3'", f"CNT+2:{len(lines)}'")
    body = "".join(f"LIN+{n}'\n{segments}" for n, segments in enumerate(lines, start=1))
    text = head + body + tail
    message = text[text.index("UNH+") : text.index("UNT+36+1'")]
    return text.replace("UNT+36+1", f"UNT+{message.count(chr(39)) + 1}+1").encode("latin-1")


def test_line_values_read_on_every_path_of_the_line_mapper() -> None:
    order = decode_one(
        _order_with_lines(
            "PIA+5+SW-1:SA'QTY+21:5:PCE'PRI+AAA:12.5'DTM+2:20240322:102'",
            "PIA+5+SW-2:VN+B-2:IN'QTY+21:5:PCE'PRI+AAA:12,5'",  # comma mark; QTY again
            "PIA+5+SW-3:SA'QTY+21:5:PCE'PRI+AAA:7:::10'",  # per 10; QTY shared from here
            "QTY+21:5:PCE'PRI+AAB:3.25'DTM+2:20240322:102'",  # no AAA: AAB
            "QTY+21:3:K?GM'PRI+AAA:1?.5'",  # release characters take the general path
            "QTY+21:5:PCE'PRI+AAA:12.5'PRI+AAB:1'",  # price seen before; AAA wins
            "QTY+21:5:PCE'PRI+AAA:12.5'",  # third sight: one shared Money
        ),
        currency="EUR",
    )
    assert isinstance(order, PurchaseOrder)
    lines = order.lines
    assert [ln.line_no for ln in lines] == ["1", "2", "3", "4", "5", "6", "7"]
    assert [ln.item.supplier_item for ln in lines[:3]] == ["SW-1", "SW-2", "SW-3"]
    assert lines[1].item.buyer_item == "B-2"
    assert lines[3].item == Item()
    assert [ln.unit_price.amount if ln.unit_price else None for ln in lines] == [
        Decimal("12.5"),
        Decimal("12.5"),
        Decimal("7"),
        Decimal("3.25"),
        Decimal("1.5"),
        Decimal("12.5"),
        Decimal("12.5"),
    ]
    assert [ln.price_basis_qty for ln in lines] == [1, 1, 10, 1, 1, 1, 1]
    assert lines[4].quantity == Quantity(value=Decimal(3), uom="kg")
    shared = lines[1].quantity
    assert all(ln.quantity is shared for ln in (lines[2], lines[3], lines[5], lines[6]))
    assert lines[5].unit_price is lines[6].unit_price
    assert lines[0].requested_date is lines[3].requested_date is order.requested_date
    assert [ln.requested_date for ln in (lines[1], lines[2], lines[4])] == [None] * 3


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("PRI+AAA:12.5'", "order line without QTY\\+21"),
        ("QTY+21:5:PCE'PRI+AAA:1.2.3'", "not a decimal number"),
        ("QTY+21:5:PCE'PRI+AAA'", "mandatory number is empty"),
        ("QTY+21:5:PCE'DTM+2:20240230:102'", "not a calendar date"),
    ],
)
def test_a_line_mapper_error_is_the_general_paths(line: str, message: str) -> None:
    with pytest.raises(InvalidDocument, match=message):
        decode_one(_order_with_lines("QTY+21:5:PCE'", line), currency="EUR")
