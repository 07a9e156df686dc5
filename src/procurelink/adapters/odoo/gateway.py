"""``OdooGateway``: the ``ErpGateway`` port over Odoo's external API (Odoo 16 to 19).

The server's version is read once (``OdooRpc.dialect``) and decides the field names
(``product_uom``/``product_uom_id``...) and how the order state reads (19's ``locked``).

Reads are batched (one call per model, independent calls concurrently); an acknowledgment
is one ``write`` plus one ``message_post`` (reference pitfalls 1-3), preceded by one ``read``
of the lines whose quantity changes without a new date or whose line was rejected (see
``apply_acknowledgment``). Ship notices, receipts and quality holds are written by
``ship_notices``, ``receipts`` and ``holds`` (move lines with lots and packages:
``move_lines``).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any

import httpx

from procurelink.adapters.odoo import mapping
from procurelink.adapters.odoo.automation import ChangeHookProvisioner
from procurelink.adapters.odoo.bills import BillWriter
from procurelink.adapters.odoo.dialect import Dialect
from procurelink.adapters.odoo.quality_holds import QualityHoldWriter
from procurelink.adapters.odoo.reader import OdooReader
from procurelink.adapters.odoo.receipts import ReceiptWriter
from procurelink.adapters.odoo.rfqs import RfqWriter
from procurelink.adapters.odoo.rpc import OdooRpc
from procurelink.adapters.odoo.settings import OdooSettings
from procurelink.adapters.odoo.ship_notices import ShipNoticeWriter
from procurelink.errors import ErpError
from procurelink.ports.erp import (
    AcknowledgmentWrite,
    BillType,
    BillWrite,
    ErpBill,
    ErpChange,
    ErpLineBilling,
    ErpOrder,
    ErpRfq,
    HookInfo,
    QualityHoldWrite,
    ReceiptWrite,
    RfqWrite,
    ShipNoticeWrite,
)
from procurelink.workflow.rfq_grouping import SourcingFacts

ORDER_FIELDS = [
    "name",
    "state",
    "partner_id",
    "partner_ref",
    "date_order",
    "date_planned",
    "currency_id",
    "company_id",
    "picking_type_id",
    "amount_untaxed",
    "order_line",
    "write_date",
]
LINE_FIELDS = [
    "sequence",
    "product_id",
    "name",
    "product_qty",
    "price_unit",
    "date_planned",
    "display_type",
    "qty_received",
]  # + the unit field of the version
PRODUCT_FIELDS = ["default_code", "barcode", "product_tmpl_id"]
SUPPLIERINFO_FIELDS = ["product_id", "product_tmpl_id", "product_code"]
PAGE = 500
# A requested date becomes midday UTC: the same calendar day in every time zone from
# UTC-11 to UTC+11, whatever the Odoo user's tz is.
DATE_TIME = "12:00:00"


def odoo_datetime(value: datetime) -> str:
    """Odoo's wire format: naive UTC, seconds (aware values are converted first)."""
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.strftime("%Y-%m-%d %H:%M:%S")


class OdooGateway:
    """``OdooGateway(settings)`` or, to share a client or test transport,
    ``OdooGateway(settings, client=httpx.AsyncClient(...))``."""

    def __init__(self, settings: OdooSettings, *, client: httpx.AsyncClient | None = None):
        self.rpc = OdooRpc(settings, client=client)
        self._hooks = ChangeHookProvisioner(self.rpc)
        self.reads = OdooReader(self.rpc)  # the ErpReads port, over the same client

    async def ensure_change_hooks(
        self, base_url: str, secrets: Mapping[str, str]
    ) -> list[HookInfo]:
        """Automation rules posting change hints to ``base_url`` (17+; [] on 16)."""
        return await self._hooks.ensure(base_url, secrets)

    async def changed_orders(self, since: datetime | None) -> list[ErpChange]:
        domain: list[Any] = [] if since is None else [("write_date", ">=", odoo_datetime(since))]
        changes: list[ErpChange] = []
        offset = 0
        while True:
            rows = await self.rpc.execute_kw(
                "purchase.order",
                "search_read",
                [domain],
                {
                    "fields": ["write_date", *CHANGE_FIELDS],
                    "order": "write_date asc, id asc",
                    "offset": offset,
                    "limit": PAGE,
                },
            )
            changes.extend(
                ErpChange(odoo_id=r["id"], write_date=r["write_date"], version=_version(r))
                for r in rows
            )
            if len(rows) < PAGE:
                return changes
            offset += PAGE

    async def dialect(self) -> Dialect:
        return await self.rpc.dialect()

    async def read_order(self, odoo_id: int) -> ErpOrder:
        dialect = await self.dialect()
        fields = [*ORDER_FIELDS, *dialect.order_fields()]
        order = await self._read_one("purchase.order", odoo_id, fields)
        partner_id = mapping.m2o_id(order["partner_id"])
        type_id = mapping.m2o_id(order["picking_type_id"])
        lines, partner, picking_type = await asyncio.gather(
            self._read("purchase.order.line", order["order_line"], self._line_fields(dialect)),
            self._read_one("res.partner", partner_id or 0, ["name", "ref"]),
            self._read("stock.picking.type", [type_id] if type_id else [], ["warehouse_id"]),
        )
        product_ids = sorted({pid for ln in lines if (pid := mapping.m2o_id(ln["product_id"]))})
        warehouse_id = mapping.m2o_id(picking_type[0]["warehouse_id"]) if picking_type else None
        products_rows, warehouses = await asyncio.gather(
            self._read("product.product", product_ids, PRODUCT_FIELDS),
            self._read("stock.warehouse", [warehouse_id] if warehouse_id else [], ["name", "code"]),
        )
        products = {p["id"]: p for p in products_rows}
        template_ids = sorted(
            {t for p in products_rows if (t := mapping.m2o_id(p["product_tmpl_id"]))}
        )
        supplierinfo = (
            await self.rpc.execute_kw(
                "product.supplierinfo",
                "search_read",
                [
                    [
                        ("partner_id", "=", partner["id"]),
                        ("product_tmpl_id", "in", template_ids),
                    ]
                ],
                {"fields": SUPPLIERINFO_FIELDS},
            )
            if template_ids
            else []
        )
        records = mapping.OrderRecords(
            order=order,
            lines=lines,
            partner=partner,
            products=products,
            vendor_codes=mapping.vendor_codes(supplierinfo, products),
            warehouse=warehouses[0] if warehouses else None,
            dialect=dialect,
        )
        return ErpOrder(
            order=mapping.to_purchase_order(records),
            state=dialect.order_state(order),
            write_date=order["write_date"],
            supplier_odoo_id=partner["id"],
            received={
                ln["id"]: mapping.dec(ln["qty_received"])
                for ln in lines
                if not ln.get("display_type")
            },
        )

    async def apply_acknowledgment(self, write: AcknowledgmentWrite) -> None:
        """One ``write`` of the order (vendor ref and ``(1, line_id, vals)`` commands) and
        one ``message_post``; plus one ``read`` first when a quantity changes alone (on 19:
        when a quantity changes).

        Odoo 17 recomputes a line's ``date_planned``, ``price_unit``, ``discount`` and
        ``name`` (one compute method depending on ``product_qty``) whenever the quantity is
        written: with a vendor price-list entry the date becomes order date + lead time and
        the price the list price, whatever was agreed. Fields written in the same ``write``
        are protected from that recompute, and so are all fields computed by the same
        method. So a line whose quantity changes without a new date gets its current
        ``date_planned`` written along: date, price, discount and description all stay.

        Rejected lines with ``rejections="cancel"`` get ``product_qty`` = Odoo's own
        ``qty_received`` (never below it, 0 when nothing arrived), in the same ``write``;
        with ``"flag"`` only the note (built by the service) names them.

        A quantity below what the line already received is refused with Odoo 16-18's
        ``UserError`` text; Odoo 19 accepts it silently, so on 19 every line whose quantity
        changes is in the first ``read`` and the adapter refuses before writing.
        """
        vals: dict[str, Any] = {}
        if write.vendor_ref is not None:
            vals["partner_ref"] = write.vendor_ref
        cancelled = [r.odoo_line_id for r in write.rejected] if write.rejections == "cancel" else []
        qty_only = [
            ln.odoo_line_id
            for ln in write.lines
            if ln.product_qty is not None and ln.date_planned is None
        ]
        guarded = (
            []
            if (await self.rpc.dialect()).refuses_qty_below_received
            else [ln.odoo_line_id for ln in write.lines if ln.product_qty is not None]
        )
        rows = await self._read(
            "purchase.order.line",
            sorted({*qty_only, *cancelled, *guarded}),
            ["date_planned", "qty_received", "order_id"],
        )
        current = {row["id"]: row["date_planned"] for row in rows}
        received = {row["id"]: row["qty_received"] for row in rows}
        foreign = [
            r["id"] for r in rows if mapping.m2o_id(r["order_id"]) != write.order_odoo_id
        ] + sorted(set(cancelled) - set(received))
        if foreign:
            raise ErpError(
                f"purchase.order {write.order_odoo_id} has no line(s) {sorted(foreign)}",
                model="purchase.order",
                odoo_id=write.order_odoo_id,
            )
        for line in write.lines:
            done = received.get(line.odoo_line_id) if line.odoo_line_id in guarded else None
            if line.product_qty is not None and done and line.product_qty < mapping.dec(done):
                raise ErpError(
                    "You cannot decrease the ordered quantity below the received quantity.\n"
                    "Create a return first.",
                    model="purchase.order.line",
                    odoo_id=line.odoo_line_id,
                )
        commands = []
        for line in write.lines:
            changed: dict[str, Any] = {}
            if line.product_qty is not None:
                changed["product_qty"] = float(line.product_qty)  # no wire format has a decimal
            if line.date_planned is not None:
                changed["date_planned"] = _planned(line.date_planned)
            elif line.product_qty is not None and current.get(line.odoo_line_id):
                changed["date_planned"] = current[line.odoo_line_id]  # pins the line
            if changed:
                commands.append([1, line.odoo_line_id, changed])
        for line_id in cancelled:
            # A rejected line is cancelled down to what already arrived: never below it
            # (Odoo refuses that), 0 when nothing did. The date is pinned as above.
            pinned = {"date_planned": current[line_id]} if current.get(line_id) else {}
            commands.append([1, line_id, {"product_qty": received[line_id], **pinned}])
        if commands:
            vals["order_line"] = commands
        if vals:  # write() applies one dict; (1, id, vals) commands give per-line values
            await self.rpc.execute_kw("purchase.order", "write", [[write.order_odoo_id], vals])
        await self.rpc.execute_kw(
            "purchase.order",
            "message_post",
            [[write.order_odoo_id]],
            {
                "body": write.note,
                "message_type": "comment",
                "subtype_xmlid": "mail.mt_note",
            },
        )

    async def apply_ship_notice(self, write: ShipNoticeWrite) -> None:
        await ShipNoticeWriter(self.rpc).apply(write)

    async def apply_receipt(self, write: ReceiptWrite) -> None:
        await ReceiptWriter(self.rpc).apply(write)

    async def apply_quality_hold(self, write: QualityHoldWrite) -> None:
        await QualityHoldWriter(self.rpc).apply(write)

    async def create_draft_bill(self, write: BillWrite) -> int:
        return await BillWriter(self.rpc).create_draft(write)

    async def find_bills(self, vendor_odoo_id: int, ref: str, move_type: BillType) -> list[ErpBill]:
        return await BillWriter(self.rpc).find(vendor_odoo_id, ref, move_type)

    async def post_bill(self, bill_odoo_id: int) -> ErpBill:
        return await BillWriter(self.rpc).post(bill_odoo_id)

    async def order_billing(self, order_odoo_id: int) -> list[ErpLineBilling]:
        return await BillWriter(self.rpc).billing(order_odoo_id)

    async def sourcing(
        self, product_codes: Sequence[str], plants: Sequence[str], vendor_refs: Sequence[str]
    ) -> SourcingFacts:
        return await RfqWriter(self.rpc).sourcing(product_codes, plants, vendor_refs)

    async def create_rfq(self, write: RfqWrite) -> ErpRfq:
        return await RfqWriter(self.rpc).create(write)

    async def partner_ids_by_ref(self, refs: Sequence[str]) -> dict[str, int]:
        """Vendor ids for the ``ref`` values partner profiles name (one search_read)."""
        if not refs:
            return {}
        rows = await self.rpc.execute_kw(
            "res.partner", "search_read", [[("ref", "in", list(refs))]], {"fields": ["ref"]}
        )
        return {r["ref"]: r["id"] for r in rows if r.get("ref")}

    @staticmethod
    def _line_fields(dialect: Dialect) -> list[str]:
        return [*LINE_FIELDS, dialect.line_uom]

    async def close(self) -> None:
        await self.rpc.aclose()

    async def _read(self, model: str, ids: Sequence[int], fields: list[str]) -> list[Any]:
        if not ids:
            return []
        rows = await self.rpc.execute_kw(model, "read", [list(ids)], {"fields": fields})
        return list(rows)

    async def _read_one(self, model: str, rid: int, fields: list[str]) -> dict[str, Any]:
        rows = await self._read(model, [rid], fields)
        if not rows:
            raise ErpError(f"{model} {rid} not found", model=model, odoo_id=rid)
        return dict(rows[0])


def _planned(day: date) -> str:
    return f"{day.isoformat()} {DATE_TIME}"


# Order values that move with every change procurelink cares about: its state (cancel, lock,
# done), its lines' quantities and prices (the total) and dates (the earliest planned date),
# the vendor's reference. Two writes in one second differ in one of them.
CHANGE_FIELDS = ("state", "amount_total", "date_planned", "partner_ref")


def _version(row: dict[str, Any]) -> str:
    values = json.dumps([row.get(name) for name in CHANGE_FIELDS], default=str)
    return hashlib.sha256(values.encode()).hexdigest()[:16]
