"""Line segments: PO1 (850, 855) and the product ID pairs, units and price basis that POC,
LIN and IT1 share with it."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from operator import methodcaller
from typing import Any

from procurelink.codecs.x12.elements import (
    DECIMAL_PATTERN as _DECIMAL,
)
from procurelink.codecs.x12.elements import (
    Place,
    decimal,
    format_decimal,
    optional,
    required,
    required_decimal,
)
from procurelink.codecs.x12.syntax import Segment
from procurelink.codecs.x12.units import UnitMap
from procurelink.domain.parties import Item
from procurelink.domain.values import Quantity
from procurelink.errors import InvalidDocument

# PO105 basis of unit price (code list 639) for the price-basis quantities we can express.
_BASIS_READ = {"HP": Decimal(100), "TP": Decimal(1000)}
_BASIS_WRITE = {Decimal(100): "HP", Decimal(1000): "TP"}
# Product ID qualifiers (235), best first: pairs are looked up by qualifier, never position.
_BUYER = ("BP", "IN")
_SUPPLIER = ("VP", "VN")
_GTIN = ("EN", "UP", "UK")
_GTIN_BY_LENGTH = {12: "UP", 14: "UK"}
_ONE = Decimal(1)
_rstrip_space = methodcaller("rstrip", " ")


@dataclass(frozen=True, slots=True)
class Po1:
    line_no: str
    quantity: Quantity | None
    unit_price: Decimal | None
    price_basis_qty: Decimal
    item: Item


def read_unit(place: Place, units: UnitMap, segment: Segment, index: int) -> str:
    code = required(place, segment, index)
    unit = units.to_normal(code)
    if unit is None:
        raise place.error(
            InvalidDocument,
            "unit of measure not in the partner's unit table",
            segment,
            index,
            found=code,
        )
    return unit


def read_quantity(
    place: Place, units: UnitMap, segment: Segment, index: int, uom_index: int
) -> Quantity | None:
    """A quantity and its unit (the unit is mandatory once a quantity is given)."""
    value = decimal(place, segment, index)
    if value is None:
        return None
    return Quantity(value=value, uom=read_unit(place, units, segment, uom_index))


def write_quantity(units: UnitMap, quantity: Quantity | None, line_no: str) -> tuple[str, str]:
    if quantity is None:
        return "", ""
    return format_decimal(quantity.value), write_unit(units, quantity, line_no)


def read_po1(place: Place, units: UnitMap, po1: Segment, quantity_required: bool) -> Po1:
    line_no = required(place, po1, 1)
    if quantity_required:
        required_decimal(place, po1, 2)
    quantity = read_quantity(place, units, po1, 2, 3)
    return Po1(
        line_no=line_no,
        quantity=quantity,
        unit_price=decimal(place, po1, 4),
        price_basis_qty=read_basis(po1, 5),
        item=read_item(po1, 6),
    )


def po1_fields(place: Place, units: UnitMap, po1: Segment) -> dict[str, Any]:
    """An 850 PO1 as the fields of a canonical ``OrderLine`` (quantity required), in plain
    values and dicts: the whole order is validated once by its model, which costs less than
    building each line's models one by one. Reads and refuses exactly what ``read_po1``
    does; every refusal is left to the same element readers, so errors are the same."""
    values = list(map(_rstrip_space, po1.fields))  # values[i] is element i
    if len(values) < 6:
        values += [""] * (6 - len(values))
    line_no, quantity, code, price, basis = values[1:6]
    if not line_no:
        required(place, po1, 1)
    if not (quantity and _DECIMAL.fullmatch(quantity)):
        required_decimal(place, po1, 2)
    unit = units.to_normal(code) if code else None
    if unit is None:
        read_unit(place, units, po1, 3)
    if price and not _DECIMAL.fullmatch(price):
        decimal(place, po1, 4)
    pairs: dict[str, str] = {}
    for qualifier, product in zip(values[6::2], values[7::2], strict=False):
        if product:
            pairs.setdefault(qualifier, product)
    return {
        "line_no": line_no,
        "item": {
            "buyer_item": _first(pairs, _BUYER),
            "supplier_item": _first(pairs, _SUPPLIER),
            "gtin": _first(pairs, _GTIN),
        },
        "quantity": {"value": Decimal(quantity), "uom": unit},
        "unit_price": Decimal(price) if price else None,
        "price_basis_qty": _BASIS_READ.get(basis, _ONE),
    }


def product_ids(segment: Segment, start: int) -> dict[str, str]:
    """Qualifier -> product ID of the pairs from element ``start`` on (first one wins)."""
    pairs: dict[str, str] = {}
    for index in range(start, len(segment.fields) - 1, 2):
        qualifier, product = segment.get(index), optional(segment, index + 1)
        if product is not None:
            pairs.setdefault(qualifier, product)
    return pairs


def read_item(segment: Segment, start: int) -> Item:
    """The article named by the product ID pairs of PO1, POC, LIN, IT1 ... (by qualifier)."""
    pairs = product_ids(segment, start)
    return Item(
        buyer_item=_first(pairs, _BUYER),
        supplier_item=_first(pairs, _SUPPLIER),
        gtin=_first(pairs, _GTIN),
    )


def read_basis(segment: Segment, index: int) -> Decimal:
    return _BASIS_READ.get(segment.get(index), Decimal(1))


def _first(pairs: dict[str, str], qualifiers: tuple[str, ...]) -> str | None:
    for qualifier in qualifiers:
        if qualifier in pairs:
            return pairs[qualifier]
    return None


def write_unit(units: UnitMap, quantity: Quantity, line_no: str) -> str:
    code = units.to_partner(quantity.uom)
    if code is None:
        raise InvalidDocument(
            "unit has no X12 code: add it to the partner's uom_map",
            line_no=line_no,
            uom=quantity.uom,
        )
    return code


def write_po1(
    units: UnitMap,
    line_no: str,
    quantity: Quantity | None,
    unit_price: Decimal | None,
    price_basis_qty: Decimal,
    item: Item | None,
) -> tuple[str, ...]:
    qty, uom = write_quantity(units, quantity, line_no)
    price = format_decimal(unit_price) if unit_price is not None else ""
    basis = write_basis(line_no, quantity, unit_price, price_basis_qty)
    return ("PO1", line_no, qty, uom, price, basis, *write_item(item))


def write_item(item: Item | None) -> list[str]:
    """Product ID pairs: buyer's part, vendor's part, then the GTIN qualified by its length."""
    pairs: list[str] = []
    if item and item.buyer_item:
        pairs += ["BP", item.buyer_item]
    if item and item.supplier_item:
        pairs += ["VP", item.supplier_item]
    if item and item.gtin:
        pairs += [_GTIN_BY_LENGTH.get(len(item.gtin), "EN"), item.gtin]
    return pairs


def write_basis(
    line_no: str, quantity: Quantity | None, unit_price: Decimal | None, basis_qty: Decimal
) -> str:
    if basis_qty == 1:
        # "Per each" only fits counted units; a price per kg or metre leaves PO105 empty,
        # as in the sample order.
        return "PE" if unit_price is not None and quantity and quantity.uom == "unit" else ""
    code = _BASIS_WRITE.get(basis_qty)
    if code is None:
        raise InvalidDocument(
            "price basis quantity cannot be expressed in PO105",
            line_no=line_no,
            price_basis_qty=str(basis_qty),
        )
    return code
