"""Pure mapping helpers of the Odoo adapter."""

from __future__ import annotations

import pytest

from procurelink.adapters.odoo import mapping


@pytest.mark.parametrize(
    ("name", "code"),
    [("Units", "unit"), ("Dozens", "dozen"), ("kg", "kg"), ("L", "l"), ("Pallet", "pallet")],
)
def test_uom_codes(name: str, code: str) -> None:
    assert mapping.uom_code(name) == code


def test_vendor_code_prefers_the_variant_entry() -> None:
    products = {7: {"id": 7, "product_tmpl_id": [3, "T"]}}
    infos = [
        {"product_id": False, "product_tmpl_id": [3, "T"], "product_code": "SHARED"},
        {"product_id": [7, "P"], "product_tmpl_id": [3, "T"], "product_code": "OWN"},
    ]
    assert mapping.vendor_codes(infos, products) == {7: "OWN"}
    assert mapping.vendor_codes(infos[:1], products) == {7: "SHARED"}


def test_empty_values() -> None:
    assert mapping.text(False) is None
    assert mapping.m2o_id(False) is None
    assert mapping.day("2025-03-17 10:00:00").isoformat() == "2025-03-17"  # type: ignore[union-attr]
