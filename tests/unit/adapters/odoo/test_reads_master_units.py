"""Odoo 19 units form trees: a unit's category is the root of its ``relative_uom_id`` chain."""

from __future__ import annotations

from decimal import Decimal

from procurelink.adapters.odoo.dialect import Dialect
from procurelink.adapters.odoo.reads_master import _tree_roots, _unit

ROWS = [
    {"id": 1, "name": "Units", "relative_uom_id": False, "factor": 1.0, "rounding": 0.01},
    {"id": 2, "name": "Dozens", "relative_uom_id": [1, "Units"], "factor": 12.0, "rounding": 0.01},
    {"id": 9, "name": "Crate", "relative_uom_id": [2, "Dozens"], "factor": 144.0, "rounding": 0.01},
    {"id": 5, "name": "Pallet", "relative_uom_id": [77, "Ton"], "factor": 1000.0, "rounding": 0.01},
]


def test_two_levels_deep_still_reaches_the_reference_unit() -> None:
    assert _tree_roots(ROWS) == {1: "Units", 2: "Units", 9: "Units", 5: "Ton"}


def test_unit_of_19_reads_factor_as_reference_quantity() -> None:
    crate = _unit(ROWS[2], Dialect.of(19), "Units")
    assert (crate.category, crate.reference_qty, crate.is_reference) == (
        "Units",
        Decimal(144),
        False,
    )
