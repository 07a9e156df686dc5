"""Migrations create exactly tables.py, run idempotently, and run concurrently."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path
from typing import Any

import psycopg
import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from psycopg import sql
from sqlalchemy import Connection

from procurelink.adapters import store as store_package
from procurelink.adapters.store import SqlStore, current_revision, head_revision, migrate
from procurelink.adapters.store.tables import metadata


def _differences(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, metadata))


async def test_the_migrated_schema_is_tables_py(store: SqlStore, store_url: str) -> None:
    # The head is the newest migration file: a new migration must not fork the history.
    versions = Path(store_package.__file__).parent / "migrations" / "versions"
    newest = max(p.name.split("_", 1)[0] for p in versions.glob("[0-9]*.py"))
    assert head_revision() == newest
    assert await current_revision(store_url) == head_revision()
    async with store.engine.connect() as connection:
        differences = await connection.run_sync(_differences)

    assert differences == []


async def test_migrate_again_is_a_no_op_even_in_parallel(store: SqlStore, store_url: str) -> None:
    async with store.unit_of_work() as uow:
        await uow.state.put("kept", "yes")
        await uow.commit()

    await asyncio.gather(migrate(store_url), migrate(store_url), migrate(store_url))

    assert await current_revision(store_url) == head_revision()
    async with store.unit_of_work() as uow:
        assert await uow.state.get("kept") == "yes"


async def test_parallel_first_migrations_of_an_empty_database(
    store_url: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    if store_url.startswith("sqlite"):
        # Also checks that migrate creates the folder, as on a fresh checkout (./var).
        fresh = f"sqlite:///{tmp_path}/nested/folder/fresh.db"
    else:
        admin: psycopg.Connection = request.getfixturevalue("postgres_cleaner")
        name = f"procurelink_{uuid.uuid4().hex}"
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        request.addfinalizer(
            lambda: admin.execute(
                sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name))
            )
        )
        fresh = store_url.rsplit("/", 1)[0] + f"/{name}"
        assert await current_revision(fresh) is None
    await asyncio.gather(*(migrate(fresh) for _ in range(3)))

    assert await current_revision(fresh) == head_revision()
