"""The one connection a unit of work runs on, with errors translated at the boundary."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Executable, Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import URL, CursorResult
from sqlalchemy.ext.asyncio import AsyncConnection

from procurelink.adapters.store.errors import TRANSLATABLE, translate

Upsert = postgresql.Insert | sqlite.Insert


class Database:
    """Executes statements on one connection; repositories share it inside a unit of work."""

    def __init__(self, connection: AsyncConnection, url: URL) -> None:
        self._connection = connection
        self._url = url
        self.is_postgres = url.get_backend_name() == "postgresql"

    async def execute(
        self,
        statement: Executable,
        parameters: Sequence[Mapping[str, Any]] | Mapping[str, Any] | None = None,
    ) -> CursorResult[Any]:
        try:
            return await self._connection.execute(statement, parameters)
        except TRANSLATABLE as exc:
            raise translate(exc, self._url) from exc

    def insert(self, table: Table) -> Upsert:
        """An INSERT that understands ON CONFLICT on this backend (both have it)."""
        if self.is_postgres:
            return postgresql.insert(table)
        return sqlite.insert(table)
