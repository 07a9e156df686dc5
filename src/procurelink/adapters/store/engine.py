"""Engines configured per backend: SQLite as one careful writer, PostgreSQL pooled."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from procurelink.adapters.store.settings import SUPPORTED_DRIVERS, normalise_url, redact_url
from procurelink.errors import ConfigurationError

SQLITE_BUSY_TIMEOUT_MS = 10_000
POSTGRES_CONNECT_TIMEOUT_S = 5


def parse_url(url: str) -> URL:
    normalised = normalise_url(url)
    try:
        parsed = make_url(normalised)
    except Exception as exc:
        raise ConfigurationError(
            "The database URL cannot be parsed", database=redact_url(normalised)
        ) from exc
    if parsed.drivername not in SUPPORTED_DRIVERS:
        raise ConfigurationError(
            f"Unsupported database driver {parsed.drivername!r}; "
            "use sqlite+aiosqlite:// or postgresql+psycopg://",
            database=parsed.render_as_string(hide_password=True),
        )
    if parsed.drivername.startswith("sqlite") and parsed.database in (None, "", ":memory:"):
        # Every pooled connection would see its own empty database, and migrations would
        # run in yet another one.
        raise ConfigurationError("An in-memory SQLite database cannot be shared; use a file")
    return parsed


def is_sqlite(url: URL) -> bool:
    return url.get_backend_name() == "sqlite"


def prepare_sqlite_file(url: URL) -> None:
    """Create the folder (``./var`` on a fresh checkout) and put the file in WAL mode.

    Switching to WAL needs the file to itself. Done here, in one short statement before any
    engine exists, it cannot deadlock with another connection that is already inside a
    transaction, as it can from the connect hook when several processes migrate a new file.
    """
    if not is_sqlite(url) or not url.database:
        return
    path = Path(url.database).expanduser()
    path.parent.mkdir(parents=True, exist_ok=True)
    with closing(sqlite3.connect(path, timeout=SQLITE_BUSY_TIMEOUT_MS / 1000)) as connection:
        connection.execute("PRAGMA journal_mode=WAL")


def build_engine(url: URL) -> AsyncEngine:
    if is_sqlite(url):
        engine = create_async_engine(url)
        _configure_sqlite(engine)
        return engine
    connect_args: dict[str, Any] = {}
    if "connect_timeout" not in url.query:
        connect_args["connect_timeout"] = POSTGRES_CONNECT_TIMEOUT_S
    return create_async_engine(url, pool_pre_ping=True, connect_args=connect_args)


def _configure_sqlite(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # The stdlib driver opens transactions lazily and only before DML, which breaks
        # savepoints, transactional DDL and BEGIN IMMEDIATE; we issue BEGIN ourselves.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        # busy_timeout first, so even the WAL pragma waits instead of failing. WAL is
        # persistent and normally already set by prepare_sqlite_file.
        for pragma in (
            f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}",
            "PRAGMA journal_mode=WAL",
            "PRAGMA foreign_keys=ON",
            "PRAGMA synchronous=NORMAL",
        ):
            cursor.execute(pragma)
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Connection) -> None:
        # Take the write lock up front: a deferred transaction that reads and then writes
        # fails with "database is locked" instead of waiting when another process wrote.
        connection.exec_driver_sql("BEGIN IMMEDIATE")
