"""The SQL implementation of the MessageStore port (SQLite by default, or PostgreSQL)."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncEngine

from procurelink.adapters.store.engine import (
    build_engine,
    is_sqlite,
    parse_url,
    prepare_sqlite_file,
)
from procurelink.adapters.store.unit_of_work import SqlUnitOfWork

if TYPE_CHECKING:
    from procurelink.ports.store import MessageStore


class SqlStore:
    """Hands out units of work over one engine. Build it with :func:`create_store`."""

    def __init__(self, url: URL) -> None:
        self.url = url
        self._engine = build_engine(url)
        # SQLite has one writer per file. Queueing our own coroutines here, instead of in
        # SQLite's busy loop, keeps them from ever seeing "database is locked"; BEGIN
        # IMMEDIATE (see engine.py) covers other processes.
        self._writer_lock = asyncio.Lock() if is_sqlite(url) else None

    @property
    def engine(self) -> AsyncEngine:
        """For health checks and schema inspection; repositories go through units of work."""
        return self._engine

    @property
    def redacted_url(self) -> str:
        return self.url.render_as_string(hide_password=True)

    def unit_of_work(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self._engine, self.url, self._writer_lock)

    async def close(self) -> None:
        await self._engine.dispose()


def create_store(url: str) -> SqlStore:
    """A store for ``url`` (run :func:`migrate` on it first); creates a SQLite file's folder."""
    parsed = parse_url(url)
    prepare_sqlite_file(parsed)
    return SqlStore(parsed)


if TYPE_CHECKING:
    # mypy proves here that the adapter implements the port exactly.
    _implements_port: type[MessageStore] = SqlStore
