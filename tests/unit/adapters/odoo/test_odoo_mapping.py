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


def test_total_amount_is_the_untaxed_sum_of_the_lines() -> None:
    order = {
        "id": 9,
        "name": "P00009",
        "state": "purchase",
        "partner_id": [4, "Vendor"],
        "partner_ref": False,
        "date_order": "2025-04-01 08:00:00",
        "date_planned": "2025-04-15 10:00:00",
        "currency_id": [2, "USD"],
        "company_id": [1, "My Company"],
        "picking_type_id": False,
        "amount_untaxed": 281.25,
        "amount_tax": 42.19,
        "amount_total": 323.44,
        "order_line": [1],
        "write_date": "2025-04-01 08:00:00",
    }
    line = {
        "id": 1,
        "sequence": 10,
        "product_id": [5, "Item"],
        "name": "Item",
        "product_qty": 112.5,
        "product_uom": [1, "Units"],
        "price_unit": 2.5,
        "date_planned": "2025-04-15 10:00:00",
        "display_type": False,
    }
    records = mapping.OrderRecords(
        order=order,
        lines=[line],
        partner={"id": 4, "name": "Vendor", "ref": "V-4"},
        products={5: {"id": 5, "default_code": "X", "barcode": False, "product_tmpl_id": [5, "T"]}},
        vendor_codes={},
        warehouse=None,
    )
    assert str(mapping.to_purchase_order(records).total_amount) == "281.25"
