"""Supplier API keys."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Row, insert, select, update

from procurelink.adapters.store.database import Database
from procurelink.adapters.store.tables import api_keys
from procurelink.ports.records import ApiKey


def _key(row: Row[Any]) -> ApiKey:
    return ApiKey(
        key_id=row.key_id,
        partner_id=row.partner_id,
        secret_sha256=row.secret_sha256,
        created_at=row.created_at,
        label=row.label,
        revoked_at=row.revoked_at,
    )


class SqlApiKeyRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def add(self, key: ApiKey) -> None:
        await self._db.execute(
            insert(api_keys).values(
                key_id=key.key_id,
                partner_id=key.partner_id,
                secret_sha256=key.secret_sha256,
                created_at=key.created_at,
                label=key.label,
                revoked_at=key.revoked_at,
            )
        )

    async def get(self, key_id: str) -> ApiKey | None:
        row = (await self._db.execute(select(api_keys).where(api_keys.c.key_id == key_id))).first()
        return None if row is None else _key(row)

    async def list(self, partner_id: str | None = None) -> list[ApiKey]:
        statement = select(api_keys).order_by(api_keys.c.created_at, api_keys.c.key_id)
        if partner_id is not None:
            statement = statement.where(api_keys.c.partner_id == partner_id)
        return [_key(row) for row in await self._db.execute(statement)]

    async def revoke(self, key_id: str, now: datetime) -> bool:
        result = await self._db.execute(
            update(api_keys)
            .where(api_keys.c.key_id == key_id, api_keys.c.revoked_at.is_(None))
            .values(revoked_at=now)
        )
        return result.rowcount == 1
