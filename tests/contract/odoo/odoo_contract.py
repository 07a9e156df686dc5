"""Shared types of the Odoo contract suite (named uniquely: test modules import them)."""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from typing import Any

from procurelink.adapters.odoo.dialect import Dialect
from procurelink.adapters.odoo.rpc import OdooRpc

REAL = all(os.environ.get(k) for k in ("ODOO_URL", "ODOO_DB", "ODOO_USER", "ODOO_PASSWORD"))


@dataclass(frozen=True)
class Target:
    major: int
    protocol: str

    @property
    def id(self) -> str:
        return f"{'odoo' if REAL else 'sim'}{self.major}-{self.protocol}"


@dataclass
class Fixture:
    """Creates uniquely named vendors, products and orders through the API under test."""

    rpc: OdooRpc
    dialect: Dialect

    async def call(self, model: str, method: str, *args: Any, **kwargs: Any) -> Any:
        return await self.rpc.execute_kw(model, method, list(args), kwargs)

    async def group_ids(self, xmlids: tuple[str, ...]) -> list[int]:
        ids = []
        for xmlid in xmlids:
            module, _, name = xmlid.partition(".")
            rows = await self.call(
                "ir.model.data",
                "search_read",
                [("module", "=", module), ("name", "=", name), ("model", "=", "res.groups")],
                fields=["res_id"],
            )
            assert rows, f"group {xmlid} not found"
            ids.append(int(rows[0]["res_id"]))
        return ids

    async def user(self, name: str, login: str, password: str, groups: tuple[str, ...]) -> int:
        """A user created by the admin, in ``groups`` (xml ids); its id."""
        field = "group_ids" if self.dialect.major >= 19 else "groups_id"
        vals = {"name": name, "login": login, "password": password}
        uid = await self.call(
            "res.users", "create", {**vals, field: [[6, 0, await self.group_ids(groups)]]}
        )
        return int(uid)

    async def uom(self, name: str) -> int:
        ids = await self.call("uom.uom", "search", [("name", "=", name)], limit=1)
        assert ids, f"unit {name!r} not found"
        return int(ids[0])

    async def incoming_type(self) -> dict[str, Any]:
        rows = await self.call(
            "stock.picking.type",
            "search_read",
            [("code", "=", "incoming"), ("warehouse_id", "!=", False)],
            fields=["warehouse_id"],
            limit=1,
            order="id",
        )
        return dict(rows[0])

    async def vendor(self) -> tuple[int, str]:
        tag = uuid.uuid4().hex[:8].upper()
        ref = f"PL-V-{tag}"
        vid = await self.call(
            "res.partner",
            "create",
            {
                "name": f"procurelink test vendor {tag}",
                "ref": ref,
                "is_company": True,
                "supplier_rank": 1,
            },
        )
        return int(vid), ref

    async def product(
        self, vendor_id: int, uom: str = "Units", *, vendor_code: str | None, price: float = 2.5
    ) -> tuple[int, str]:
        tag = uuid.uuid4().hex[:8].upper()
        uom_id = await self.uom(uom)
        pid = await self.call(
            "product.product",
            "create",
            {
                "name": f"procurelink test item {tag}",
                "default_code": f"PLT-{tag}",
                **self.dialect.storable_product(uom_id),
                "barcode": f"PLB{tag}",
            },
        )
        if vendor_code:
            tmpl = await self.call("product.product", "read", [pid], fields=["product_tmpl_id"])
            await self.call(
                "product.supplierinfo",
                "create",
                {
                    "partner_id": vendor_id,
                    "product_tmpl_id": tmpl[0]["product_tmpl_id"][0],
                    "product_code": vendor_code,
                    "price": price,
                    "delay": 3,
                },
            )
        return int(pid), f"PLT-{tag}"

    async def tracked_product(self, vendor_id: int, tracking: str) -> int:
        """A storable product tracked by ``"lot"`` or ``"serial"``."""
        pid, _ = await self.product(vendor_id, vendor_code=None)
        await self.call("product.product", "write", [pid], {"tracking": tracking})
        return pid

    async def confirmed_order(
        self, vendor_id: int, lines: list[tuple[int, float]], picking_type: int | None = None
    ) -> int:
        """A confirmed order (its receipt created) of ``(product, quantity)`` lines."""
        order = await self.order(
            vendor_id, [(p, q, "2025-04-15 10:00:00") for p, q in lines], picking_type
        )
        await self.call("purchase.order", "button_confirm", [order])
        return order

    async def warehouse(self, reception_steps: str) -> dict[str, Any]:
        """A new warehouse of the company (Odoo makes its locations and operation types)."""
        tag = uuid.uuid4().hex[:4].upper()
        wid = await self.call(
            "stock.warehouse",
            "create",
            {
                "name": f"procurelink test {tag}",
                "code": f"Q{tag}",
                "reception_steps": reception_steps,
            },
        )
        [row] = await self.call(
            "stock.warehouse",
            "read",
            [wid],
            fields=[
                "code",
                "view_location_id",
                "in_type_id",
                "lot_stock_id",
                "wh_input_stock_loc_id",
                "wh_qc_stock_loc_id",
            ],
        )
        return dict(row)

    async def one_line_order(
        self, quantity: float, tracking: str | None = None, picking_type: int | None = None
    ) -> tuple[int, int, int]:
        """``(product, order, line)``: a confirmed order of one line for a new vendor's new
        product (tracked by ``"lot"`` or ``"serial"`` when ``tracking`` says so), received by
        ``picking_type`` (the company's default receipt type when None)."""
        vendor, _ = await self.vendor()
        if tracking:
            product = await self.tracked_product(vendor, tracking)
        else:
            product, _ = await self.product(vendor, vendor_code=None)
        order = await self.confirmed_order(vendor, [(product, quantity)], picking_type)
        [line] = await self.order_lines(order)
        return product, order, line

    async def quants(self, product: int) -> dict[tuple[str, str | None], float]:
        """(location full name, lot name) -> quantity, for the product's internal stock."""
        rows = await self.call(
            "stock.quant",
            "search_read",
            [("product_id", "=", product), ("location_id.usage", "=", "internal")],
            fields=["location_id", "lot_id", "quantity"],
        )
        out: dict[tuple[str, str | None], float] = {}
        for r in rows:
            key = (r["location_id"][1], r["lot_id"][1] if r["lot_id"] else None)
            out[key] = out.get(key, 0.0) + r["quantity"]
        return {k: v for k, v in out.items() if v}

    async def order_lines(self, order_id: int) -> list[int]:
        rows = await self.call("purchase.order", "read", [order_id], fields=["order_line"])
        return sorted(rows[0]["order_line"])

    async def order(
        self, vendor_id: int, lines: list[tuple[int, float, str]], picking_type: int | None = None
    ) -> int:
        if picking_type is None:
            picking_type = int((await self.incoming_type())["id"])
        oid = await self.call(
            "purchase.order",
            "create",
            {
                "partner_id": vendor_id,
                "picking_type_id": picking_type,
                "date_order": "2025-04-01 08:00:00",
                "order_line": [
                    [
                        0,
                        0,
                        {"product_id": p, "product_qty": q, "date_planned": d, "price_unit": 2.5},
                    ]
                    for p, q, d in lines
                ],
            },
        )
        return int(oid)
