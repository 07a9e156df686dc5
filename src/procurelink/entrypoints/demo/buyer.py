"""The buyer's side of the demo: vendors in Odoo, and one confirmed order per supplier."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from procurelink.adapters.odoo.rpc import OdooRpc

# Vendors the simulator's seed does not have: (name, ref, [(product code, vendor code, price)]).
EXTRA_VENDORS = (
    (
        "Brightline Seals GmbH",
        "BL-V-40112",
        [("ACME-10044", "BL-W-M10-A2", 0.03), ("ACME-40001", "BL-KSS-5", 6.80)],
    ),
    (
        "Nordcast AB",
        "NC-V-50733",
        [("ACME-20118", "NC-RB-C45-40", 12.10), ("ACME-20120", "NC-SS-4301-15", 4.75)],
    ),
)


async def ensure_vendors(rpc: OdooRpc) -> None:
    """Create the demo's extra vendors and their price lists where missing."""
    for name, ref, products in EXTRA_VENDORS:
        if await rpc.execute_kw("res.partner", "search", [[["ref", "=", ref]]]):
            continue
        vendor = await rpc.execute_kw(
            "res.partner",
            "create",
            [{"name": name, "ref": ref, "is_company": True, "supplier_rank": 1}],
        )
        for code, vendor_code, price in products:
            [product] = await rpc.execute_kw(
                "product.product",
                "read",
                [
                    await rpc.execute_kw(
                        "product.product", "search", [[["default_code", "=", code]]]
                    )
                ],
                {"fields": ["product_tmpl_id"]},
            )
            await rpc.execute_kw(
                "product.supplierinfo",
                "create",
                [
                    {
                        "partner_id": vendor,
                        "product_tmpl_id": product["product_tmpl_id"][0],
                        "product_code": vendor_code,
                        "price": price,
                        "min_qty": 0,
                    }
                ],
            )


async def confirm_orders(rpc: OdooRpc, vendor_refs: list[str]) -> list[str]:
    """Play the buyer: create and confirm one order per vendor in Odoo; their names."""
    numbers = []
    for ref in vendor_refs:
        vendor = (
            await rpc.execute_kw("res.partner", "search", [[["ref", "=", ref]]], {"limit": 1})
        )[0]
        infos = await rpc.execute_kw(
            "product.supplierinfo",
            "search_read",
            [[["partner_id", "=", vendor]]],
            {"fields": ["product_tmpl_id", "price"], "limit": 3},
        )
        planned = datetime.now(UTC) + timedelta(days=14)
        lines = []
        for i, info in enumerate(infos):
            product = (
                await rpc.execute_kw(
                    "product.product",
                    "search",
                    [[["product_tmpl_id", "=", info["product_tmpl_id"][0]]]],
                    {"limit": 1},
                )
            )[0]
            values = {
                "product_id": product,
                "product_qty": 100 * (i + 1),
                "price_unit": info["price"],
                "date_planned": (planned + timedelta(days=i)).strftime("%Y-%m-%d %H:%M:%S"),
            }
            lines.append([0, 0, values])
        po = await rpc.execute_kw(
            "purchase.order", "create", [{"partner_id": vendor, "order_line": lines}]
        )
        await rpc.execute_kw("purchase.order", "button_confirm", [[po]])
        [row] = await rpc.execute_kw("purchase.order", "read", [[po]], {"fields": ["name"]})
        numbers.append(row["name"])
    return numbers
