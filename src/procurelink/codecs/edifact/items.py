"""The LIN group's article, quantities and prices, shared by every business message.

Item numbers are looked up by their type code (7143), never by position (edi.md 5.1).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import ValidationError

from procurelink.codecs.edifact.elements import (
    decimal_of,
    format_decimal,
    required_decimal,
    split_text,
)
from procurelink.codecs.edifact.memo import Memo, promote, remember, text_key
from procurelink.codecs.edifact.problems import Place
from procurelink.codecs.edifact.reader import LineData
from procurelink.codecs.edifact.syntax import Segment
from procurelink.codecs.edifact.units import UnitMap
from procurelink.codecs.edifact.writer import OutSegment
from procurelink.domain.parties import Item
from procurelink.domain.values import Money, Quantity
from procurelink.errors import InvalidDocument

BUYER = ("BP", "IN")
SUPPLIER = ("SA", "VN", "VP")
GTIN = ("EN", "SRV", "UP")
# 5284 when absent: the price is per one unit. Shared, as Decimals are immutable.
DEFAULT_PRICE_BASIS = Decimal(1)
# IMD 7008 and FTX 4440 lengths per directory (edi.md section 4.9).
TEXT_WIDTH = {"D96A": 35, "D01B": 256}
NOTE_WIDTH = {"D96A": 70, "D01B": 512}


def item_fields(line: LineData) -> dict[str, Any]:
    """The fields of the line's ``Item``, for a document validated as a whole."""
    return {
        "buyer_item": line.first_id(*BUYER),
        "supplier_item": line.first_id(*SUPPLIER),
        "gtin": line.first_id(*GTIN),
        "description": " ".join(line.description) or None,
    }


def read_item(line: LineData) -> Item:
    return Item(**item_fields(line))


def quantity_fields(
    place: Place, units: UnitMap, line: LineData, qualifier: str, default_unit: str | None = None
) -> dict[str, Any] | None:
    """The fields of the line's ``Quantity`` (QTY with ``qualifier``), None without one."""
    segment = line.quantities.get(qualifier)
    if segment is None:
        return None
    return _quantity(place, units, segment, default_unit)


def _quantity(
    place: Place, units: UnitMap, segment: Segment, default_unit: str | None
) -> dict[str, Any]:
    # C186: qualifier, quantity, unit; split once for both values.
    parts = [*segment.components(1), "", ""]
    value = required_decimal(place, segment, 1, 2, parts[1])
    return {"value": value, "uom": read_unit(place, units, segment, 3, default_unit, code=parts[2])}


def shared_quantity(
    memo: Memo, place: Place, line: LineData, qualifier: str, default_unit: str | None = None
) -> Quantity | dict[str, Any] | None:
    """``quantity_fields``, as one ``Quantity`` for every further QTY of the same text in
    this decode (see ``memo``)."""
    segment = line.quantities.get(qualifier)
    if segment is None:
        return None
    key = (text_key(segment), default_unit)
    table = memo.quantities
    found = table.get(key)
    if found is None:
        return remember(table, key, _quantity(place, memo.units, segment, default_unit))
    if isinstance(found, Quantity):
        return found
    return promote(table, key, found, Quantity)


def read_quantity(
    place: Place, units: UnitMap, line: LineData, qualifier: str, default_unit: str | None = None
) -> Quantity | None:
    fields = quantity_fields(place, units, line, qualifier, default_unit)
    return None if fields is None else Quantity(**fields)


def read_unit(
    place: Place,
    units: UnitMap,
    segment: Segment,
    component: int,
    default_unit: str | None = None,
    element: int = 1,
    code: str | None = None,
) -> str:
    """The normalised unit of a component; ``code`` when the caller has already read it."""
    if code is None:
        code = segment.get(element, component)
    if not code:
        # 6411 is conditional: without it the quantity counts the article's own unit.
        return default_unit or "unit"
    unit = units.to_normal(code)
    if unit is None:
        raise place.error(
            "unit of measure not in the partner's unit table",
            segment,
            element,
            component,
            found=code[:10],
        )
    return unit


def read_price(place: Place, line: LineData, *qualifiers: str) -> tuple[Decimal, Decimal] | None:
    """Unit price and price basis quantity (5284, default 1) of the first PRI found."""
    for qualifier in qualifiers:
        segment = line.prices.get(qualifier)
        if segment is not None:
            return _price(place, segment)
    return None


def _price(place: Place, segment: Segment) -> tuple[Decimal, Decimal]:
    # C509: qualifier, price, type, type qualifier, basis; split once.
    parts = [*segment.components(1), "", "", "", ""]
    price = required_decimal(place, segment, 1, 2, parts[1])
    basis = decimal_of(place, segment, parts[4], 1, 5) or DEFAULT_PRICE_BASIS
    return price, basis


def shared_price(
    memo: Memo, place: Place, line: LineData, currency: str, *qualifiers: str
) -> tuple[Money | dict[str, Any], Decimal] | None:
    """``read_price`` with the unit price in ``currency``, as one ``Money`` for every further
    PRI of the same text in this decode (see ``memo``)."""
    for qualifier in qualifiers:
        segment = line.prices.get(qualifier)
        if segment is not None:
            key = (text_key(segment), currency)
            table = memo.prices
            found = table.get(key)
            if found is None:
                price, basis = _price(place, segment)
                return remember(table, key, ({"amount": price, "currency": currency}, basis))
            unit_price, basis = found
            if isinstance(unit_price, Money):
                return found
            try:
                money = Money.model_validate(unit_price)  # the second sight: see ``memo``
            except ValidationError:
                return found
            found = table[key] = (money, basis)
            return found
    return None


def write_item_ids(line_no: str, action: str, item: Item | None) -> list[OutSegment]:
    """LIN (with the GTIN when there is one) and PIA, as the sample files write them.

    With a GTIN, LIN carries it and PIA+1 adds the buyer's and supplier's numbers; without,
    PIA+5 names the supplier's number as the primary id (edi.md section 4.1).
    """
    item = item or Item()
    lin: OutSegment = ("LIN", line_no, action, (item.gtin, "EN") if item.gtin else "")
    segments = [lin]
    buyer = (item.buyer_item, "BP") if item.buyer_item else None
    supplier = (item.supplier_item, "SA") if item.supplier_item else None
    if item.gtin:
        ids = [i for i in (buyer, supplier) if i]
        if ids:
            segments.append(("PIA", "1", *ids))
    else:
        ids = [i for i in (supplier, buyer) if i]
        if ids:
            segments.append(("PIA", "5", *ids))
    return segments


def write_description(item: Item | None, version: str) -> list[OutSegment]:
    """IMD segments; D.96A's 35 characters split the text over two 7008 and more IMDs."""
    if item is None or not item.description:
        return []
    pieces = split_text(item.description, TEXT_WIDTH[version])
    return [("IMD", "F", "", ("", "", "", *pieces[i : i + 2])) for i in range(0, len(pieces), 2)]


def write_notes(qualifier: str, text: str | None, version: str) -> list[OutSegment]:
    if not text:
        return []
    pieces = split_text(text, NOTE_WIDTH[version])
    return [("FTX", qualifier, "", "", tuple(pieces[i : i + 5])) for i in range(0, len(pieces), 5)]


def write_quantity(units: UnitMap, qualifier: str, quantity: Quantity, line_no: str) -> OutSegment:
    return (
        "QTY",
        (qualifier, format_decimal(quantity.value), write_unit(units, quantity, line_no)),
    )


def write_unit(units: UnitMap, quantity: Quantity, line_no: str) -> str:
    code = units.to_partner(quantity.uom)
    if code is None:
        raise InvalidDocument(
            "unit has no EDIFACT code: add it to the partner's uom_map",
            line_no=line_no,
            uom=quantity.uom,
        )
    return code


def write_price(
    price: Decimal, basis: Decimal, quantity: Quantity | None, units: UnitMap, line_no: str
) -> OutSegment:
    """PRI+AAA; basis and unit are written only when they say more than "per one piece"."""
    unit = write_unit(units, quantity, line_no) if quantity and quantity.uom != "unit" else ""
    if basis == 1 and not unit:
        return ("PRI", ("AAA", format_decimal(price)))
    return ("PRI", ("AAA", format_decimal(price), "", "", format_decimal(basis), unit))
