"""RFQs from purchase requests: ``OdooGateway.sourcing`` and ``create_rfq`` on the simulator
or a real Odoo, and the grouping of ``workflow.rfq_grouping`` over what they read."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from odoo_contract import Fixture

from procurelink.adapters.odoo.gateway import OdooGateway
from procurelink.domain.purchase_request import PurchaseRequest
from procurelink.ports.erp import RfqLine, RfqWrite
from procurelink.workflow.rfq_grouping import plan_rfqs


async def _offer(make: Fixture, vendor: int, product: int, min_qty: float, price: float) -> None:
    [row] = await make.call("product.product", "read", [product], fields=["product_tmpl_id"])
    await make.call(
        "product.supplierinfo",
        "create",
        {
            "partner_id": vendor,
            "product_tmpl_id": row["product_tmpl_id"][0],
            "min_qty": min_qty,
            "price": price,
        },
    )


async def _warehouse(make: Fixture) -> tuple[str, int]:
    ptype = await make.incoming_type()
    [wh] = await make.call(
        "stock.warehouse", "read", [ptype["warehouse_id"][0]], fields=["code", "in_type_id"]
    )
    return wh["code"], wh["in_type_id"][0]


async def _world(make: Fixture) -> dict[str, Any]:
    """Two vendors; a bolt both sell (the second from 100 pieces, cheaper), a sheet only one."""
    small, small_ref = await make.vendor()
    bulk, bulk_ref = await make.vendor()
    bolt, bolt_code = await make.product(small, vendor_code=None)
    sheet, sheet_code = await make.product(small, vendor_code=None)
    await _offer(make, small, bolt, 0, 3.0)
    await _offer(make, bulk, bolt, 100, 2.0)
    await _offer(make, small, sheet, 0, 7.5)
    plant, in_type = await _warehouse(make)
    return {
        "small": (small, small_ref),
        "bulk": (bulk, bulk_ref),
        "bolt": (bolt, bolt_code),
        "sheet": (sheet, sheet_code),
        "plant": (plant, in_type),
    }


async def test_sourcing_reads_products_price_lists_plants_and_vendors(
    make: Fixture, gateway: OdooGateway
) -> None:
    w = await _world(make)
    (bolt, bolt_code), (small, small_ref) = w["bolt"], w["small"]
    plant, in_type = w["plant"]
    facts = await gateway.sourcing([bolt_code, "NO-SUCH-CODE"], [plant, "NOPE"], [small_ref])
    assert facts.products == {bolt_code: bolt}
    offers = sorted((o.vendor_odoo_id, o.min_qty, o.price) for o in facts.offers[bolt_code])
    assert offers == sorted([(small, 0, Decimal(3)), (w["bulk"][0], 100, Decimal(2))])
    assert facts.plants == {plant: in_type}
    assert facts.vendors == {small_ref: small}


async def test_requests_become_one_draft_rfq_per_vendor_priced_by_odoo(
    make: Fixture, gateway: OdooGateway
) -> None:
    w = await _world(make)
    (bolt, bolt_code), (sheet, sheet_code) = w["bolt"], w["sheet"]
    plant, in_type = w["plant"]
    requests = [
        PurchaseRequest(
            product_code=bolt_code, quantity=Decimal(30), need_date=date(2025, 6, 3), plant=plant
        ),
        PurchaseRequest(
            product_code=sheet_code, quantity=Decimal(4), need_date=date(2025, 6, 2), plant=plant
        ),
        PurchaseRequest(
            product_code=bolt_code, quantity=Decimal(20), need_date=date(2025, 6, 1), plant=plant
        ),
        PurchaseRequest(product_code=bolt_code, quantity=Decimal(500), need_date=date(2025, 7, 1)),
    ]
    facts = await gateway.sourcing([bolt_code, sheet_code], [plant], [])
    plans = {(p.vendor_odoo_id, p.plant): p for p in plan_rfqs(requests, facts)}
    assert set(plans) == {(w["small"][0], plant), (w["bulk"][0], None)}

    batch = f"planning:{uuid.uuid4().hex[:8]}"
    small_plan = plans[(w["small"][0], plant)]
    write = RfqWrite(
        vendor_odoo_id=small_plan.vendor_odoo_id,
        picking_type_id=small_plan.picking_type_id,
        origin=batch,
        lines=tuple(
            RfqLine(ln.product_odoo_id, ln.quantity, ln.need_date) for ln in small_plan.lines
        ),
    )
    rfq = await gateway.create_rfq(write)
    assert rfq.created
    [head] = await make.call(
        "purchase.order",
        "read",
        [rfq.odoo_id],
        fields=["name", "state", "partner_id", "picking_type_id", "origin", "order_line"],
    )
    assert (head["name"], head["state"], head["origin"]) == (rfq.name, "draft", batch)
    assert head["partner_id"][0] == w["small"][0]
    assert head["picking_type_id"][0] == in_type
    lines = await make.call(
        "purchase.order.line",
        "read",
        head["order_line"],
        fields=["product_id", "product_qty", "price_unit", "date_planned"],
    )
    got = {
        ln["product_id"][0]: (ln["product_qty"], ln["price_unit"], ln["date_planned"][:10])
        for ln in lines
    }
    # Merged per product (30 + 20 bolts, needed by the earlier date), priced from the list.
    assert got == {bolt: (50, 3.0, "2025-06-01"), sheet: (4, 7.5, "2025-06-02")}

    again = await gateway.create_rfq(write)
    assert (again.odoo_id, again.created) == (rfq.odoo_id, False)
