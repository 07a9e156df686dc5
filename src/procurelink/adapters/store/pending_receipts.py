"""Sent messages awaiting an asynchronous delivery receipt (AS2 MDNs)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Row, delete, insert, select, update

from procurelink.adapters.store.database import Database
from procurelink.adapters.store.tables import pending_receipts
from procurelink.ports.records import PendingReceipt

_table = pending_receipts


def _receipt(row: Row[Any]) -> PendingReceipt:
    return PendingReceipt(
        channel=row.channel,
        message_ref=row.message_ref,
        partner_id=row.partner_id,
        sent_at=row.sent_at,
        data=dict(row.data or {}),
        outbound_message_id=row.outbound_message_id,
        resolved_at=row.resolved_at,
    )


class SqlPendingReceiptRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def _key(self, channel: str, message_ref: str) -> Any:
        return (_table.c.channel == channel) & (_table.c.message_ref == message_ref)

    async def add(self, receipt: PendingReceipt) -> None:
        # Delete + insert in one transaction: a portable upsert (a retried send waits again).
        key = self._key(receipt.channel, receipt.message_ref)
        await self._db.execute(delete(_table).where(key))
        await self._db.execute(
            insert(_table).values(
                channel=receipt.channel,
                message_ref=receipt.message_ref,
                partner_id=receipt.partner_id,
                outbound_message_id=receipt.outbound_message_id,
                sent_at=receipt.sent_at,
                data=receipt.data,
                resolved_at=receipt.resolved_at,
            )
        )

    async def get(self, channel: str, message_ref: str) -> PendingReceipt | None:
        statement = select(_table).where(self._key(channel, message_ref))
        row = (await self._db.execute(statement)).first()
        return None if row is None else _receipt(row)

    async def resolve(self, channel: str, message_ref: str, now: datetime) -> bool:
        result = await self._db.execute(
            update(_table)
            .where(self._key(channel, message_ref), _table.c.resolved_at.is_(None))
            .values(resolved_at=now)
        )
        return result.rowcount == 1

    async def waiting(self, channel: str | None = None) -> list[PendingReceipt]:
        statement = (
            select(_table)
            .where(_table.c.resolved_at.is_(None))
            .order_by(_table.c.sent_at, _table.c.message_ref)
        )
        if channel is not None:
            statement = statement.where(_table.c.channel == channel)
        return [_receipt(row) for row in await self._db.execute(statement)]
