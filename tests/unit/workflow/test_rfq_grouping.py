from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from procurelink.domain.purchase_request import PurchaseRequest
from procurelink.workflow.rfq_grouping import (
    SourcingFacts,
    UnplaceableRequests,
    VendorOffer,
    best_offer,
    plan_rfqs,
)

# Vendor 1 sells bolts from 1 piece at 0.12; vendor 2 from 500 at 0.09; vendor 3 sells sheet.
FACTS = SourcingFacts(
    products={"BOLT": 11, "SHEET": 12},
    offers={
        "BOLT": [
            VendorOffer(1, 1, Decimal(0), Decimal("0.12")),
            VendorOffer(2, 1, Decimal(500), Decimal("0.09")),
        ],
        "SHEET": [VendorOffer(3, 1, Decimal(0), Decimal("7.5"))],
    },
    plants={"WH1": 101, "WH2": 201},
    vendors={"V-ONE": 1, "V-THREE": 3},
)


def req(code: str, qty: int, day: int, plant: str | None = "WH1", **kw: str) -> PurchaseRequest:
    return PurchaseRequest(
        product_code=code, quantity=Decimal(qty), need_date=date(2025, 6, day), plant=plant, **kw
    )


def test_one_rfq_per_vendor_and_plant_with_lines_merged_per_product() -> None:
    plans = plan_rfqs(
        [req("BOLT", 100, 5), req("SHEET", 4, 6), req("BOLT", 50, 3), req("SHEET", 2, 9, "WH2")],
        FACTS,
    )
    got = {
        (p.vendor_odoo_id, p.plant, p.picking_type_id): [
            (ln.product_code, ln.quantity, ln.need_date.day) for ln in p.lines
        ]
        for p in plans
    }
    assert got == {
        (1, "WH1", 101): [("BOLT", 150, 3)],
        (3, "WH1", 101): [("SHEET", 4, 6)],
        (3, "WH2", 201): [("SHEET", 2, 9)],
    }


def test_merged_quantity_decides_the_minimum_quantity_vendor() -> None:
    [plan] = plan_rfqs([req("BOLT", 300, 5), req("BOLT", 300, 6)], FACTS)
    assert plan.vendor_odoo_id == 2  # 600 reaches vendor 2's minimum of 500


def test_named_vendor_wins_over_the_price_list() -> None:
    [plan] = plan_rfqs([req("BOLT", 600, 5, vendor_ref="V-ONE")], FACTS)
    assert plan.vendor_odoo_id == 1


def test_seller_order_sequence_then_largest_minimum_then_price() -> None:
    offers = [
        VendorOffer(7, 2, Decimal(0), Decimal(1)),
        VendorOffer(8, 1, Decimal(10), Decimal(5)),
        VendorOffer(9, 1, Decimal(0), Decimal(4)),
    ]
    assert best_offer(offers, Decimal(5)).vendor_odoo_id == 9  # type: ignore[union-attr]
    assert best_offer(offers, Decimal(10)).vendor_odoo_id == 8  # type: ignore[union-attr]
    assert best_offer([VendorOffer(1, 1, Decimal(10), Decimal(1))], Decimal(5)) is None


def test_a_batch_is_refused_whole_naming_every_problem() -> None:
    with pytest.raises(UnplaceableRequests) as caught:
        plan_rfqs(
            [
                req("BOLT", 1, 1),
                req("NUT", 1, 1, reference="PR-7"),
                req("SHEET", 1, 1, "WH9"),
                req("SHEET", 1, 1, vendor_ref="V-NONE"),
            ],
            FACTS,
        )
    message = caught.value.message
    assert "request 2 (PR-7): no product with code 'NUT'" in message
    assert "request 3 (SHEET): no plant (warehouse) with code 'WH9'" in message
    assert "no vendor with reference 'V-NONE'" in message
    assert caught.value.details["problems"] == 3


requests = st.lists(
    st.builds(
        req,
        st.sampled_from(["BOLT", "SHEET"]),
        st.integers(1, 1000),
        st.integers(1, 28),
        st.sampled_from(["WH1", "WH2", None]),
    ),
    min_size=1,
    max_size=30,
)


@given(requests)
def test_property_grouping_keeps_every_quantity_and_one_line_per_product(
    reqs: list[PurchaseRequest],
) -> None:
    plans = plan_rfqs(reqs, FACTS)
    for code in ("BOLT", "SHEET"):
        asked = sum((r.quantity for r in reqs if r.product_code == code), Decimal(0))
        planned = sum(
            (ln.quantity for p in plans for ln in p.lines if ln.product_code == code), Decimal(0)
        )
        assert planned == asked
    keys = [(p.vendor_odoo_id, p.plant) for p in plans]
    assert len(keys) == len(set(keys))
    for plan in plans:
        codes = [ln.product_code for ln in plan.lines]
        assert len(codes) == len(set(codes))
