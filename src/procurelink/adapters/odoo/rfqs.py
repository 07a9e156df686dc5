"""Draft RFQs from a planning engine's purchase requests (reference 3.3, 3.5, section 4).

Sourcing reads in four batched calls what grouping needs: products by ``default_code``, their
``product.supplierinfo`` (vendor price list, in Odoo's seller order), warehouses by code
(their incoming type routes an order to the plant) and vendors by ``ref``. An RFQ is one
``create`` with its lines; Odoo fills each line's price, unit and description from the
vendor's price list at create (line defaults, 3.6). Before creating, the RFQ of the same
origin, vendor and plant is looked up, so a retried call never creates two.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from procurelink.adapters.odoo.rpc import OdooRpc
from procurelink.ports.erp import ErpRfq, RfqWrite
from procurelink.workflow.rfq_grouping import SourcingFacts, VendorOffer

# A need date becomes midday UTC: the same calendar day in every time zone from UTC-11 to +11.
DATE_TIME = "12:00:00"


class RfqWriter:
    def __init__(self, rpc: OdooRpc) -> None:
        self.rpc = rpc

    async def sourcing(
        self, product_codes: Sequence[str], plants: Sequence[str], vendor_refs: Sequence[str]
    ) -> SourcingFacts:
        products = await self._search_read(
            "product.product",
            [("default_code", "in", sorted(set(product_codes)))],
            ["default_code", "product_tmpl_id"],
        )
        templates = sorted({p["product_tmpl_id"][0] for p in products})
        infos = await self._search_read(
            "product.supplierinfo",
            [("product_tmpl_id", "in", templates)],
            ["partner_id", "product_id", "product_tmpl_id", "sequence", "min_qty", "price"],
        )
        warehouses = await self._search_read(
            "stock.warehouse", [("code", "in", sorted(set(plants)))], ["code", "in_type_id"]
        )
        vendors = await self._search_read(
            "res.partner", [("ref", "in", sorted(set(vendor_refs)))], ["ref"]
        )
        offers: dict[str, list[VendorOffer]] = {}
        for product in products:
            tmpl = product["product_tmpl_id"][0]
            offers[product["default_code"]] = [
                VendorOffer(
                    vendor_odoo_id=i["partner_id"][0],
                    sequence=int(i["sequence"] or 0),
                    min_qty=Decimal(repr(float(i["min_qty"] or 0))),
                    price=Decimal(repr(float(i["price"] or 0))),
                )
                for i in infos
                # Variant-specific entries, or the template's entries for every variant.
                if (i["product_id"] and i["product_id"][0] == product["id"])
                or (not i["product_id"] and i["product_tmpl_id"][0] == tmpl)
            ]
        return SourcingFacts(
            products={p["default_code"]: p["id"] for p in products},
            offers=offers,
            plants={w["code"]: w["in_type_id"][0] for w in warehouses if w["in_type_id"]},
            vendors={v["ref"]: v["id"] for v in vendors if v["ref"]},
        )

    async def create(self, write: RfqWrite) -> ErpRfq:
        domain: list[Any] = [
            ("origin", "=", write.origin),
            ("partner_id", "=", write.vendor_odoo_id),
            ("state", "=", "draft"),
        ]
        if write.picking_type_id is not None:
            domain.append(("picking_type_id", "=", write.picking_type_id))
        found = await self._search_read("purchase.order", domain, ["name"], limit=1)
        if found:
            return ErpRfq(found[0]["id"], found[0]["name"], created=False)
        vals: dict[str, Any] = {
            "partner_id": write.vendor_odoo_id,
            "origin": write.origin,
            "order_line": [
                [
                    0,
                    0,
                    {
                        "product_id": line.product_odoo_id,
                        "product_qty": float(line.quantity),  # no wire format has a decimal
                        "date_planned": f"{line.date_planned.isoformat()} {DATE_TIME}",
                    },
                ]
                for line in write.lines
            ],
        }
        if write.picking_type_id is not None:
            vals["picking_type_id"] = write.picking_type_id
        order_id = int(await self.rpc.execute_kw("purchase.order", "create", [vals]))
        [row] = await self.rpc.execute_kw(
            "purchase.order", "read", [[order_id]], {"fields": ["name"]}
        )
        return ErpRfq(order_id, row["name"], created=True)

    async def _search_read(
        self, model: str, domain: list[Any], fields: list[str], limit: int | None = None
    ) -> list[dict[str, Any]]:
        kwargs: dict[str, Any] = {"fields": fields}
        if limit is not None:
            kwargs["limit"] = limit
        rows = await self.rpc.execute_kw(model, "search_read", [domain], kwargs)
        return list(rows)
