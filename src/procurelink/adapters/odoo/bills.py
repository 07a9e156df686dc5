"""Supplier invoices written to Odoo as draft vendor bills (reference 3.9).

One ``create`` of an ``account.move`` (``move_type`` ``in_invoice``, or ``in_refund`` for a
credit note) whose lines carry ``purchase_line_id``: that link is the only one Odoo uses to
count billed quantities (``qty_invoiced``, drafts included, refunds subtracted) and the
order's ``invoice_status``. The bill is left in draft: posting (``action_post``) is a
separate call, made only when the match policy says so.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from procurelink.adapters.odoo.rpc import OdooRpc
from procurelink.errors import ErpError
from procurelink.ports.erp import BillType, BillWrite, ErpBill, ErpLineBilling

BILL_FIELDS = ["name", "state", "move_type", "ref", "payment_state"]


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
        head: dict[str, Any] = {
            "move_type": write.move_type,
            "partner_id": write.vendor_odoo_id,
            "ref": write.vendor_ref,
            "invoice_date": write.invoice_date.isoformat(),
            "currency_id": currency_id,
            "invoice_line_ids": commands,
        }
        if write.origin:
            head["invoice_origin"] = write.origin
        bill = await self.rpc.execute_kw("account.move", "create", [head])
        return int(bill)

    async def find(self, vendor_odoo_id: int, ref: str, move_type: BillType) -> list[ErpBill]:
        rows = await self.rpc.execute_kw(
            "account.move",
            "search_read",
            [
                [
                    ("move_type", "=", move_type),
                    ("partner_id", "=", vendor_odoo_id),
                    ("ref", "=", ref),
                    ("state", "!=", "cancel"),
                ]
            ],
            {"fields": BILL_FIELDS, "order": "id"},
        )
        return [_bill(r) for r in rows]

    async def post(self, bill_odoo_id: int) -> ErpBill:
        before = await self._read(bill_odoo_id)
        if before.state == "draft":
            # 17 answers False, 19 may answer a wizard action: the state read after is the truth.
            await self.rpc.execute_kw("account.move", "action_post", [[bill_odoo_id]])
            return await self._read(bill_odoo_id)
        if before.state != "posted":
            raise ErpError(
                f"account.move {bill_odoo_id} is {before.state}: it cannot be posted",
                model="account.move",
                odoo_id=bill_odoo_id,
            )
        return before

    async def billing(self, order_odoo_id: int) -> list[ErpLineBilling]:
        taxes_field = (await self.rpc.dialect()).line_taxes
        rows = await self.rpc.execute_kw(
            "purchase.order.line",
            "search_read",
            [[("order_id", "=", order_odoo_id), ("display_type", "=", False)]],
            {"fields": ["product_qty", "qty_received", "qty_invoiced", taxes_field]},
        )
        rates = await self._tax_rates(sorted({t for r in rows for t in r[taxes_field] or []}))
        return [
            ErpLineBilling(
                odoo_line_id=r["id"],
                ordered=_dec(r["product_qty"]),
                received=_dec(r["qty_received"]),
                invoiced=_dec(r["qty_invoiced"]),
                tax_rate=_line_rate(r[taxes_field] or [], rates),
            )
            for r in rows
        ]

    async def _tax_rates(self, tax_ids: list[int]) -> dict[int, Decimal | None]:
        """Percentage of each tax; None for the kinds a rate does not describe."""
        if not tax_ids:
            return {}
        rows = await self.rpc.execute_kw(
            "account.tax", "read", [tax_ids], {"fields": ["amount_type", "amount"]}
        )
        return {
            int(r["id"]): _dec(r["amount"]) if r["amount_type"] == "percent" else None for r in rows
        }

    async def _read(self, bill_odoo_id: int) -> ErpBill:
        rows = await self.rpc.execute_kw(
            "account.move", "read", [[bill_odoo_id]], {"fields": BILL_FIELDS}
        )
        if not rows:
            raise ErpError(
                f"account.move {bill_odoo_id} not found", model="account.move", odoo_id=bill_odoo_id
            )
        return _bill(rows[0])

    async def _currency(self, code: str) -> int:
        ids = await self.rpc.execute_kw(
            "res.currency", "search", [[("name", "=", code)]], {"limit": 1}
        )
        if not ids:  # an inactive currency is not searchable: Odoo would refuse it anyway
            raise ErpError(f"currency {code} not found or inactive", model="res.currency")
        return int(ids[0])


def _bill(row: dict[str, Any]) -> ErpBill:
    return ErpBill(
        odoo_id=int(row["id"]),
        name=str(row.get("name") or "/"),
        state=str(row["state"]),
        move_type=str(row["move_type"]),
        ref=row.get("ref") or None,
        payment_state=str(row.get("payment_state") or "not_paid"),
    )


def _line_rate(tax_ids: list[int], rates: dict[int, Decimal | None]) -> Decimal | None:
    total = Decimal(0)
    for tax_id in tax_ids:
        rate = rates.get(tax_id)
        if rate is None:  # fixed, group or unreadable: no rate to compare with
            return None
        total += rate
    return total


def _dec(value: Any) -> Decimal:
    # Odoo floats carry binary noise (2.9999999999999996): round to the UoM precision Odoo
    # itself never exceeds by default (6 digits).
    return Decimal(repr(float(value or 0.0))).quantize(Decimal("0.000001")).normalize()
