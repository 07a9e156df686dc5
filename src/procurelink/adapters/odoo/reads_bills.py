"""Vendor bills and credit notes read from Odoo (``account.move`` in_invoice / in_refund,
reference section 3.9).

An order's bills are those with a line linked to one of its lines (``purchase_line_id``,
the only link Odoo counts): the order's ``invoice_ids``. A vendor's are searched by
``partner_id``. Only product lines are returned (no sections, notes or journal items).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from procurelink.adapters.odoo.mapping import day, dec, m2o_id, m2o_name, text
from procurelink.adapters.odoo.rpc import OdooRpc
from procurelink.ports.erp_reads import VendorBill, VendorBillLine

Row = dict[str, Any]
BILL_TYPES = ["in_invoice", "in_refund"]
BILL_FIELDS = [
    "name",
    "move_type",
    "state",
    "payment_state",
    "ref",
    "invoice_date",
    "partner_id",
    "currency_id",
    "amount_untaxed",
    "amount_total",
    "invoice_line_ids",
]
LINE_FIELDS = ["purchase_line_id", "product_id", "name", "quantity", "price_unit", "display_type"]


class BillReader:
    def __init__(self, rpc: OdooRpc) -> None:
        self.rpc = rpc

    async def vendor_bills(
        self, *, order_odoo_id: int | None = None, vendor_odoo_id: int | None = None
    ) -> list[VendorBill]:
        domain: list[Any] = [("move_type", "in", BILL_TYPES)]
        if order_odoo_id is not None:
            orders = await self._read("purchase.order", [order_odoo_id], ["invoice_ids"])
            domain.append(("id", "in", orders[0]["invoice_ids"] if orders else []))
        if vendor_odoo_id is not None:
            domain.append(("partner_id", "=", vendor_odoo_id))
        bills = await self.rpc.execute_kw(
            "account.move", "search_read", [domain], {"fields": BILL_FIELDS, "order": "id"}
        )
        lines = {
            r["id"]: r
            for r in await self._read(
                "account.move.line", [i for b in bills for i in b["invoice_line_ids"]], LINE_FIELDS
            )
        }
        return [
            _bill(b, [lines[i] for i in sorted(b["invoice_line_ids"]) if i in lines]) for b in bills
        ]

    async def _read(self, model: str, ids: Sequence[int], fields: list[str]) -> list[Row]:
        if not ids:
            return []
        return list(await self.rpc.execute_kw(model, "read", [list(ids)], {"fields": fields}))


def _bill(row: Row, lines: list[Row]) -> VendorBill:
    return VendorBill(
        odoo_id=row["id"],
        name=text(row.get("name")) if row.get("name") != "/" else None,
        move_type=str(row["move_type"]),
        state=str(row["state"]),
        payment_state=str(row.get("payment_state") or "not_paid"),
        vendor_ref=text(row.get("ref")),
        invoice_date=day(row.get("invoice_date")),
        vendor_odoo_id=m2o_id(row.get("partner_id")),
        currency=m2o_name(row["currency_id"]) or "",
        amount_untaxed=dec(row.get("amount_untaxed")),
        amount_total=dec(row.get("amount_total")),
        lines=tuple(
            VendorBillLine(
                odoo_id=ln["id"],
                odoo_line_id=m2o_id(ln.get("purchase_line_id")),
                product_id=m2o_id(ln.get("product_id")),
                description=text(ln.get("name")),
                quantity=dec(ln.get("quantity")),
                price_unit=dec(ln.get("price_unit")),
            )
            for ln in lines
            if ln.get("display_type") in ("product", False, None)
        ),
    )
