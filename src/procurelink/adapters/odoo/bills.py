"""Supplier invoices written to Odoo as draft vendor bills (reference 3.9).

One ``create`` of an ``account.move`` (``move_type='in_invoice'``) whose lines carry
``purchase_line_id``: that link is the only one Odoo uses to count billed quantities
(``qty_invoiced``, drafts included) and the order's ``invoice_status``. The bill is left
in draft: posting is a decision for the three-way match, not for this write.
"""

from __future__ import annotations

from typing import Any

from procurelink.adapters.odoo.rpc import OdooRpc
from procurelink.errors import ErpError
from procurelink.ports.erp import BillWrite


class BillWriter:
    def __init__(self, rpc: OdooRpc) -> None:
        self.rpc = rpc

    async def create_draft(self, write: BillWrite) -> int:
        currency_id = await self._currency(write.currency)
        line_ids = sorted({ln.odoo_line_id for ln in write.lines})
        rows = await self.rpc.execute_kw(
            "purchase.order.line", "read", [line_ids], {"fields": ["product_id", "name"]}
        )
        po_lines = {r["id"]: r for r in rows}
        missing = sorted(set(line_ids) - set(po_lines))
        if missing:
            raise ErpError(f"purchase.order.line {missing} not found", model="purchase.order.line")
        commands: list[Any] = []
        for line in write.lines:
            po_line = po_lines[line.odoo_line_id]
            product = po_line["product_id"]
            vals = {
                "purchase_line_id": line.odoo_line_id,
                # Not derived from purchase_line_id by the ORM (only by the UI): sent along.
                "product_id": product[0] if product else False,
                "quantity": float(line.quantity),  # no wire format has a decimal
                "price_unit": float(line.price_unit),
                "name": line.description or po_line["name"],
            }
            commands.append([0, 0, vals])
        bill = await self.rpc.execute_kw(
            "account.move",
            "create",
            [
                {
                    "move_type": "in_invoice",
                    "partner_id": write.vendor_odoo_id,
                    "ref": write.vendor_ref,
                    "invoice_date": write.invoice_date.isoformat(),
                    "currency_id": currency_id,
                    "invoice_line_ids": commands,
                }
            ],
        )
        return int(bill)

    async def _currency(self, code: str) -> int:
        ids = await self.rpc.execute_kw(
            "res.currency", "search", [[("name", "=", code)]], {"limit": 1}
        )
        if not ids:  # an inactive currency is not searchable: Odoo would refuse it anyway
            raise ErpError(f"currency {code} not found or inactive", model="res.currency")
        return int(ids[0])
