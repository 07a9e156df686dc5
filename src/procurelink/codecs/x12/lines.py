"""The PO1 segment shared by 850 and 855: line number, quantity, price and product IDs."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

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


def read_po1(place: Place, units: UnitMap, po1: Segment, quantity_required: bool) -> Po1:
    line_no = required(place, po1, 1)
    value = required_decimal(place, po1, 2) if quantity_required else decimal(place, po1, 2)
    quantity = None
    if value is not None:
        quantity = Quantity(value=value, uom=read_unit(place, units, po1, 3))
    pairs: dict[str, str] = {}
    for index in range(6, len(po1.elements), 2):
        qualifier, product = po1.get(index), optional(po1, index + 1)
        if product is not None:
            pairs.setdefault(qualifier, product)
    item = Item(
        buyer_item=_first(pairs, _BUYER),
        supplier_item=_first(pairs, _SUPPLIER),
        gtin=_first(pairs, _GTIN),
    )
    return Po1(
        line_no=line_no,
        quantity=quantity,
        unit_price=decimal(place, po1, 4),
        price_basis_qty=_BASIS_READ.get(po1.get(5), Decimal(1)),
        item=item,
    )


def _first(pairs: dict[str, str], qualifiers: tuple[str, ...]) -> str | None:
    return next((pairs[q] for q in qualifiers if q in pairs), None)


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
    qty = format_decimal(quantity.value) if quantity else ""
    uom = write_unit(units, quantity, line_no) if quantity else ""
    price = format_decimal(unit_price) if unit_price is not None else ""
    basis = _basis(line_no, quantity, unit_price, price_basis_qty)
    pairs: list[str] = []
    if item and item.buyer_item:
        pairs += ["BP", item.buyer_item]
    if item and item.supplier_item:
        pairs += ["VP", item.supplier_item]
    if item and item.gtin:
        pairs += [_GTIN_BY_LENGTH.get(len(item.gtin), "EN"), item.gtin]
    return ("PO1", line_no, qty, uom, price, basis, *pairs)


def _basis(
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
