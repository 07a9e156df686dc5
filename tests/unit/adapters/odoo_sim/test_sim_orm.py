"""Seed data, x2many commands, business rules and transport faults of the simulator."""

from __future__ import annotations

import xmlrpc.client
from typing import Any

import httpx
import pytest

from procurelink.adapters.odoo_sim.clock import SimClock
from procurelink.adapters.odoo_sim.faults import AccessDenied, AccessError, MissingError, UserError
from procurelink.adapters.odoo_sim.server import ADMIN_API_KEY, create_app
from procurelink.adapters.odoo_sim.service import SimOdoo


@pytest.fixture
def sim() -> SimOdoo:
    odoo: SimOdoo = create_app().state.odoo
    return odoo


def kw(sim: SimOdoo, model: str, method: str, *args: Any, **kwargs: Any) -> Any:
    return sim.dispatch(
        "object", "execute_kw", ["procurelink", 2, "admin", model, method, list(args), kwargs]
    )


def test_seed_suppliers_products_and_orders(sim: SimOdoo) -> None:
    vendors = kw(
        sim, "res.partner", "search_read", [("supplier_rank", ">", 0)], fields=["ref"], order="id"
    )
    assert [(v["id"], v["ref"]) for v in vendors] == [
        (4, "SW-V-88120"),
        (5, "PP-V-20451"),
        (6, "FD-V-31007"),
    ]
    orders = kw(
        sim,
        "purchase.order",
        "search_read",
        [],
        fields=["name", "state", "picking_ids"],
        order="id",
    )
    assert [(o["name"], o["state"]) for o in orders] == [
        ("P00001", "draft"),
        ("P00002", "purchase"),
        ("P00003", "draft"),
        ("P00004", "draft"),
        ("P00005", "draft"),
        ("P00006", "purchase"),
    ]
    assert [len(o["picking_ids"]) for o in orders] == [0, 1, 0, 0, 0, 1]
    product = kw(
        sim, "product.product", "read", [1], fields=["display_name", "uom_po_id", "seller_ids"]
    )[0]
    assert product["display_name"] == "[ACME-10042] Hex bolt M10x40 DIN 933 8.8 zinc plated"
    assert product["uom_po_id"] == [1, "Units"]
    codes = kw(sim, "product.supplierinfo", "read", product["seller_ids"], fields=["product_code"])
    assert {c["product_code"] for c in codes} == {"SW-HB-M10X40-ZN", "FD-933-M10X40"}


def test_x2many_commands_on_order_lines(sim: SimOdoo) -> None:
    lines = kw(sim, "purchase.order", "read", [1], fields=["order_line"])[0]["order_line"]
    first, second, third = lines
    kw(
        sim,
        "purchase.order",
        "write",
        [1],
        {
            "order_line": [
                [1, first, {"product_qty": 7}],
                [2, second, 0],
                [3, third, 0],
                [0, 0, {"product_id": 2, "product_qty": 3}],
            ]
        },
    )
    now = kw(
        sim,
        "purchase.order.line",
        "search_read",
        [("order_id", "=", 1)],
        fields=["product_qty", "name", "price_unit"],
    )
    assert [ln["product_qty"] for ln in now] == [7.0, 3.0]
    assert now[1]["name"] == "[ACME-10043] Hex nut M10 DIN 934 8 zinc plated"  # no Steelworks code
    kw(sim, "purchase.order", "write", [1], {"order_line": [[5, 0, 0]]})
    assert kw(sim, "purchase.order.line", "search_count", [("order_id", "=", 1)]) == 0
    assert kw(sim, "purchase.order", "read", [1], fields=["amount_total"])[0]["amount_total"] == 0.0


def test_line_defaults_come_from_the_vendor_price_list(sim: SimOdoo) -> None:
    oid = kw(
        sim,
        "purchase.order",
        "create",
        {
            "partner_id": 6,
            "date_order": "2025-05-01 08:00:00",
            "order_line": [[0, 0, {"product_id": 4, "product_qty": 2}]],
        },
    )
    line = kw(
        sim,
        "purchase.order.line",
        "search_read",
        [("order_id", "=", oid)],
        fields=["name", "price_unit", "product_uom", "date_planned", "product_uom_qty"],
    )[0]
    assert line["name"] == "[FD-4762-M8X25] SOCKET HEAD CAP SCREW M8X25 12.9"
    assert line["price_unit"] == 2.60
    assert line["product_uom"] == [2, "Dozens"]
    assert line["product_uom_qty"] == pytest.approx(24)
    assert line["date_planned"] == "2025-05-06 08:00:00"  # date_order + 5 days delay


def test_writing_a_quantity_alone_reapplies_the_vendor_price_list(sim: SimOdoo) -> None:
    # As a real Odoo 17 does: date_planned, price_unit and discount are computed by one
    # method depending on product_qty; writing any of them protects all of them.
    def fresh_line(partner: int = 6) -> tuple[int, int]:
        oid = kw(
            sim,
            "purchase.order",
            "create",
            {
                "partner_id": partner,
                "date_order": "2025-05-01 08:00:00",
                "order_line": [
                    [
                        0,
                        0,
                        {
                            "product_id": 4,
                            "product_qty": 2,
                            "price_unit": 3.0,
                            "date_planned": "2025-05-20 10:00:00",
                        },
                    ]
                ],
            },
        )
        kw(sim, "purchase.order", "button_confirm", [oid])
        return oid, kw(sim, "purchase.order", "read", [oid], fields=["order_line"])[0][
            "order_line"
        ][0]

    def line(lid: int) -> tuple[Any, ...]:
        row = kw(sim, "purchase.order.line", "read", [lid], fields=["date_planned", "price_unit"])
        return row[0]["date_planned"], row[0]["price_unit"]

    oid, lid = fresh_line()
    assert line(lid) == ("2025-05-20 10:00:00", 3.0)  # given values win at creation
    kw(sim, "purchase.order", "write", [oid], {"order_line": [[1, lid, {"product_qty": 3}]]})
    assert line(lid) == ("2025-05-06 08:00:00", 2.60)  # date_order + 5 days, list price
    oid, lid = fresh_line()
    kw(sim, "purchase.order.line", "write", [lid], {"product_qty": 2})  # same value too
    assert line(lid) == ("2025-05-06 08:00:00", 2.60)
    oid, lid = fresh_line()
    pinned = {"product_qty": 3, "date_planned": "2025-05-20 10:00:00"}
    kw(sim, "purchase.order", "write", [oid], {"order_line": [[1, lid, pinned]]})
    assert line(lid) == ("2025-05-20 10:00:00", 3.0)
    oid, lid = fresh_line()
    kw(sim, "purchase.order.line", "write", [lid], {"product_qty": 3, "discount": 0})
    assert line(lid) == ("2025-05-20 10:00:00", 3.0)  # any field of the group protects all
    oid, lid = fresh_line(partner=4)  # Steelworks has no price-list entry for product 4
    kw(sim, "purchase.order.line", "write", [lid], {"product_qty": 3})
    assert line(lid) == ("2025-05-20 10:00:00", 3.0)


def test_amounts_include_the_default_purchase_tax(sim: SimOdoo) -> None:
    product = kw(sim, "product.product", "read", [1], fields=["supplier_taxes_id"])[0]
    tax = kw(sim, "account.tax", "read", product["supplier_taxes_id"], fields=["amount"])
    assert [t["amount"] for t in tax] == [19.0]
    oid = kw(
        sim,
        "purchase.order",
        "create",
        {
            "partner_id": 6,
            "order_line": [
                [0, 0, {"product_id": 1, "product_qty": 100, "price_unit": 2.5}],
                [0, 0, {"product_id": 2, "product_qty": 12.5, "price_unit": 2.5}],
            ],
        },
    )
    order = kw(
        sim,
        "purchase.order",
        "read",
        [oid],
        fields=["amount_untaxed", "amount_tax", "amount_total", "order_line"],
    )[0]
    lines = kw(
        sim, "purchase.order.line", "read", order["order_line"], fields=["taxes_id", "price_tax"]
    )
    assert [ln["taxes_id"] for ln in lines] == [product["supplier_taxes_id"]] * 2
    assert [ln["price_tax"] for ln in lines] == [47.5, 5.94]  # 5.9375 rounded half up
    assert (order["amount_untaxed"], order["amount_tax"], order["amount_total"]) == (
        281.25,
        53.44,
        334.69,
    )


def test_business_rules(sim: SimOdoo) -> None:
    line = kw(sim, "purchase.order", "read", [2], fields=["order_line"])[0]["order_line"][0]
    with pytest.raises(UserError, match="Cannot delete a purchase order line"):
        kw(sim, "purchase.order.line", "unlink", [line])
    with pytest.raises(UserError, match="cancel it first"):
        kw(sim, "purchase.order", "unlink", [1])
    assert kw(sim, "purchase.order", "button_cancel", [1]) is None
    assert kw(sim, "purchase.order", "unlink", [1]) is True
    assert kw(sim, "purchase.order", "read", [1]) == []  # Odoo 17 drops missing ids
    assert [r["id"] for r in kw(sim, "purchase.order", "read", [1, 2], fields=["name"])] == [2]
    with pytest.raises(MissingError, match=r"purchase.order\(1,\)"):
        kw(sim, "purchase.order", "write", [1], {"partner_ref": "X"})


def test_failed_call_rolls_back(sim: SimOdoo) -> None:
    with pytest.raises(ValueError, match=r"Invalid field 'nope' on model 'purchase\.order'"):
        kw(sim, "purchase.order", "write", [3], {"partner_ref": "X", "nope": 1})
    with pytest.raises(ValueError, match="time data"):
        kw(
            sim,
            "purchase.order",
            "write",
            [3],
            {"partner_ref": "X", "date_order": "2025-01-01T10:00:00Z"},
        )
    assert kw(sim, "purchase.order", "read", [3], fields=["partner_ref"])[0]["partner_ref"] is False


def test_writes_stamp_a_strictly_later_write_date(sim: SimOdoo) -> None:
    before = kw(sim, "purchase.order", "read", [3], fields=["write_date"])[0]["write_date"]
    kw(sim, "purchase.order", "write", [3], {"partner_ref": "A"})
    middle = kw(sim, "purchase.order", "read", [3], fields=["write_date"])[0]["write_date"]
    kw(sim, "purchase.order", "write", [3], {"partner_ref": "B"})
    after = kw(sim, "purchase.order", "read", [3], fields=["write_date"])[0]["write_date"]
    assert before < middle < after


def test_clock_never_repeats() -> None:
    from datetime import datetime

    clock = SimClock(lambda: datetime(2025, 1, 1, 12, 0, 0))
    assert [clock.tick(), clock.tick()] == ["2025-01-01 12:00:00", "2025-01-01 12:00:01"]


def test_dispatch_errors(sim: SimOdoo) -> None:
    with pytest.raises(AccessError, match="Private methods"):
        kw(sim, "purchase.order", "_compute_amount", [1])
    with pytest.raises(UserError, match="Object nope doesn't exist"):
        kw(sim, "nope", "search", [])
    with pytest.raises(AttributeError, match="The method 'nope' does not exist"):
        kw(sim, "purchase.order", "nope", [1])
    with pytest.raises(AccessDenied):
        sim.dispatch(
            "object", "execute_kw", ["procurelink", 2, "bad", "res.partner", "search", [[]]]
        )
    assert sim.dispatch("common", "authenticate", ["procurelink", "admin", ADMIN_API_KEY, {}]) == 2
    assert sim.dispatch("common", "authenticate", ["procurelink", "admin", "bad", {}]) is False


def test_fields_get_and_name_get(sim: SimOdoo) -> None:
    info = kw(sim, "purchase.order", "fields_get", attributes=["type", "relation"])
    assert info["partner_id"] == {"type": "many2one", "relation": "res.partner"}
    assert info["order_line"]["type"] == "one2many"
    assert kw(sim, "stock.picking.type", "name_get", [1]) == [[1, "Werk 2: Receipts"]]


async def test_xmlrpc_fault_codes_over_http() -> None:
    app = create_app()
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://sim") as client:

        async def call(*params: Any) -> Any:
            body = xmlrpc.client.dumps(params, "execute_kw")
            response = await client.post("/xmlrpc/2/object", content=body)
            return xmlrpc.client.loads(response.content)[0][0]

        db = ("procurelink", 2, "admin")
        for params, code in [
            ((*db, "nope", "search", [[]]), 2),
            (("procurelink", 2, "bad", "res.partner", "search", [[]]), 3),
            ((*db, "res.partner", "_read", [[]]), 4),
            ((*db, "res.partner", "search", [[("x", "=", 1)]]), 1),
        ]:
            with pytest.raises(xmlrpc.client.Fault) as info:
                await call(*params)
            assert info.value.faultCode == code
        with pytest.raises(xmlrpc.client.Fault, match="cannot marshal None") as info:
            await call(*db, "purchase.order", "button_cancel", [[3]])
        assert info.value.faultCode == 1
        assert app.state.odoo.store.tables["purchase.order"][3]["state"] == "cancel"  # committed
