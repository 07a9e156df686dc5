"""Received goods put into the packages (SSCCs) that hold them, before move lines are made."""

from __future__ import annotations

from decimal import Decimal

from procurelink.adapters.odoo.move_lines import Unit, pack
from procurelink.ports.erp import ReceivedPackage

D = Decimal
QUARANTINE = 99


def test_packages_take_their_quantities_in_order_and_leave_the_rest_unpacked() -> None:
    units = [Unit(D(10))]
    packed = pack(units, [ReceivedPackage("S1", D(6)), ReceivedPackage("S2", D(3))])
    assert packed == [Unit(D(6), package="S1"), Unit(D(3), package="S2"), Unit(D(1))]


def test_a_package_takes_only_goods_of_its_lot() -> None:
    units = [Unit(D(4), lot="A"), Unit(D(4), lot="B")]
    packed = pack(units, [ReceivedPackage("S1", D(4), "B")])
    assert packed == [Unit(D(4), lot="B", package="S1"), Unit(D(4), lot="A")]


def test_a_package_never_spans_stock_and_quarantine() -> None:
    units = [Unit(D(2), destination=QUARANTINE), Unit(D(8))]
    packed = pack(units, [ReceivedPackage("S1", D(10))])
    # Goods into stock are packed first; the held part was taken off the pallet.
    assert packed == [Unit(D(8), package="S1"), Unit(D(2), destination=QUARANTINE)]


def test_a_wholly_held_package_goes_to_quarantine_whole() -> None:
    units = [Unit(D(5), destination=QUARANTINE)]
    packed = pack(units, [ReceivedPackage("S1", D(5))])
    assert packed == [Unit(D(5), package="S1", destination=QUARANTINE)]
