"""Bring a database's schema to the newest revision with Alembic, from an installed package."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, text

from procurelink.adapters.store.engine import build_engine, parse_url, prepare_sqlite_file
from procurelink.adapters.store.errors import TRANSLATABLE, translate

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# Any constant works; it only has to be the same for every procurelink process.
_MIGRATION_LOCK_ID = 0x70726F63  # "proc"


def alembic_config() -> Config:
    # No ini file and no URL in the config: the connection is handed over directly, so a
    # password never passes through ConfigParser (which would also choke on "%" in it).
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


async def migrate(url: str) -> None:
    """Upgrade the database at ``url`` to the newest schema; a no-op when it is there already.

    Safe to run from several processes at once on PostgreSQL (an advisory lock serialises
    them); on SQLite BEGIN IMMEDIATE does the same.
    """
    parsed = parse_url(url)
    prepare_sqlite_file(parsed)
    engine = build_engine(parsed)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(_upgrade)
    except TRANSLATABLE as exc:
        raise translate(exc, parsed) from exc
    finally:
        await engine.dispose()


async def current_revision(url: str) -> str | None:
    """The revision the database at ``url`` is at, ``None`` before the first migration."""
    parsed = parse_url(url)
    engine = build_engine(parsed)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(
                lambda sync: MigrationContext.configure(sync).get_current_revision()
            )
    except TRANSLATABLE as exc:
        raise translate(exc, parsed) from exc
    finally:
        await engine.dispose()


def _upgrade(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _MIGRATION_LOCK_ID})
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, "head")
