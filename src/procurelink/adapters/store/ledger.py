"""The procurement ledger: procurelink's projection of open orders and their lines."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Row, delete, select, update

from procurelink.adapters.store.database import Database
from procurelink.adapters.store.tables import ledger_lines, ledger_orders
from procurelink.ports.records import LedgerLine, LedgerOrder, OrderState

_ORDER_COLUMNS = (
    "partner_id",
    "correlation_id",
    "state",
    "revision",
    "currency",
    "updated_at",
    "odoo_id",
    "supplier_odoo_id",
    "plant",
    "vendor_ref",
    "erp_write_date",
)


def _line(row: Row[Any]) -> LedgerLine:
    return LedgerLine(
        line_no=row.line_no,
        quantity=row.quantity,
        uom=row.uom,
        requested_date=row.requested_date,
        original_quantity=row.original_quantity,
        original_date=row.original_date,
        odoo_line_id=row.odoo_line_id,
        buyer_item=row.buyer_item,
        supplier_item=row.supplier_item,
        description=row.description,
        unit_price=row.unit_price,
        received_quantity=row.received_quantity,
    )


def _order(row: Row[Any], lines: Sequence[LedgerLine]) -> LedgerOrder:
    return LedgerOrder(
        order_number=row.order_number,
        partner_id=row.partner_id,
        correlation_id=row.correlation_id,
        state=OrderState(row.state),
        revision=row.revision,
        currency=row.currency,
        updated_at=row.updated_at,
        lines=tuple(lines),
        odoo_id=row.odoo_id,
        supplier_odoo_id=row.supplier_odoo_id,
        plant=row.plant,
        vendor_ref=row.vendor_ref,
        erp_write_date=row.erp_write_date,
    )


def _line_values(order_number: str, position: int, line: LedgerLine) -> dict[str, Any]:
    return {
        "order_number": order_number,
        "line_no": line.line_no,
        "position": position,
        "quantity": line.quantity,
        "uom": line.uom,
        "requested_date": line.requested_date,
        "original_quantity": line.original_quantity,
        "original_date": line.original_date,
        "odoo_line_id": line.odoo_line_id,
        "buyer_item": line.buyer_item,
        "supplier_item": line.supplier_item,
        "description": line.description,
        "unit_price": line.unit_price,
        "received_quantity": line.received_quantity,
    }


# Spelled out before the class: inside it, `list` names the repository method.
_LinesByOrder = dict[str, list[LedgerLine]]


class SqlLedgerRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, order_number: str) -> LedgerOrder | None:
        statement = select(ledger_orders).where(ledger_orders.c.order_number == order_number)
        return await self._one(statement)

    async def get_by_correlation(self, correlation_id: str) -> LedgerOrder | None:
        statement = (
            select(ledger_orders)
            .where(ledger_orders.c.correlation_id == correlation_id)
            .order_by(ledger_orders.c.order_number)
            .limit(1)
        )
        return await self._one(statement)

    async def save(self, order: LedgerOrder) -> None:
        values = {"order_number": order.order_number}
        values |= {name: getattr(order, name) for name in _ORDER_COLUMNS}
        values["state"] = order.state.value
        insert = self._db.insert(ledger_orders).values(values)
        await self._db.execute(
            insert.on_conflict_do_update(
                index_elements=[ledger_orders.c.order_number],
                set_={name: insert.excluded[name] for name in _ORDER_COLUMNS},
            )
        )
        # Lines are replaced wholesale: a revision may renumber, drop or add lines.
        await self._db.execute(
            delete(ledger_lines).where(ledger_lines.c.order_number == order.order_number)
        )
        if order.lines:
            await self._db.execute(
                ledger_lines.insert(),
                [_line_values(order.order_number, i, line) for i, line in enumerate(order.lines)],
            )

    async def set_state(
        self, order_number: str, expected: Sequence[OrderState], new: OrderState, now: datetime
    ) -> bool:
        result = await self._db.execute(
            update(ledger_orders)
            .where(
                ledger_orders.c.order_number == order_number,
                ledger_orders.c.state.in_([state.value for state in expected]),
            )
            .values(state=new.value, updated_at=now)
        )
        return result.rowcount == 1

    async def list(self, partner_id: str | None = None, limit: int = 200) -> list[LedgerOrder]:
        statement = select(ledger_orders).order_by(ledger_orders.c.order_number).limit(limit)
        if partner_id is not None:
            statement = statement.where(ledger_orders.c.partner_id == partner_id)
        rows = (await self._db.execute(statement)).all()
        lines = await self._lines([row.order_number for row in rows])
        return [_order(row, lines[row.order_number]) for row in rows]

    async def _one(self, statement: Any) -> LedgerOrder | None:
        row = (await self._db.execute(statement)).first()
        if row is None:
            return None
        lines = await self._lines([row.order_number])
        return _order(row, lines[row.order_number])

    async def _lines(self, order_numbers: Sequence[str]) -> _LinesByOrder:
        by_order: _LinesByOrder = defaultdict(list)
        if not order_numbers:
            return by_order
        statement = (
            select(ledger_lines)
            .where(ledger_lines.c.order_number.in_(order_numbers))
            .order_by(ledger_lines.c.order_number, ledger_lines.c.position)
        )
        for row in await self._db.execute(statement):
            by_order[row.order_number].append(_line(row))
        return by_order
