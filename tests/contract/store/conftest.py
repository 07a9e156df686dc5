"""One contract suite for the SQL store, run against SQLite and the real PostgreSQL.

Every test taking ``store`` runs once per backend. PostgreSQL lives at 127.0.0.1:5432 (trust
auth); a fresh database is created for the session and dropped at the end. Unreachable, it
skips the PostgreSQL half loudly on a laptop, and fails it when ``CI=true``.
"""

from __future__ import annotations

import asyncio
import getpass
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from procurelink.adapters.store import SqlStore, create_store, migrate
from procurelink.adapters.store.tables import metadata

PG_HOST = os.environ.get("PROCURELINK_TEST_PG_HOST", "127.0.0.1")
PG_PORT = int(os.environ.get("PROCURELINK_TEST_PG_PORT", "5432"))
PG_ADMIN_DB = os.environ.get("PROCURELINK_TEST_PG_DB", "test")
PG_USERS = ("postgres", getpass.getuser())

NOW = datetime(2025, 3, 14, 9, 26, 53, 589793, tzinfo=UTC)


def _postgres_unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"PostgreSQL is required when CI=true and is unreachable: {reason}")
    pytest.skip(
        f"!!! PostgreSQL at {PG_HOST}:{PG_PORT} unreachable: PostgreSQL contract tests "
        f"SKIPPED ({reason}). They run, and must pass, in CI."
    )


def _admin_connection() -> tuple[psycopg.Connection, str]:
    errors = []
    for user in dict.fromkeys(PG_USERS):
        try:
            connection = psycopg.connect(
                host=PG_HOST,
                port=PG_PORT,
                dbname=PG_ADMIN_DB,
                user=user,
                autocommit=True,
                connect_timeout=3,
            )
        except psycopg.Error as exc:
            errors.append(f"{user}: {exc}".strip())
            continue
        return connection, user
    _postgres_unavailable("; ".join(errors))
    raise AssertionError("unreachable")


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    admin, user = _admin_connection()
    name = f"procurelink_{uuid.uuid4().hex}"
    admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = f"postgresql+psycopg://{user}@{PG_HOST}:{PG_PORT}/{name}"
    try:
        asyncio.run(migrate(url))
        yield url
    finally:
        admin.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
        admin.close()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Migrated once; each test gets a copy, which is much faster than migrating again."""
    path = tmp_path_factory.mktemp("template") / "procurelink.db"
    asyncio.run(migrate(f"sqlite+aiosqlite:///{path}"))
    return path


@pytest.fixture(scope="session")
def postgres_cleaner(postgres_url: str) -> Iterator[psycopg.Connection]:
    # DELETE on a kept connection: TRUNCATE of every table costs ~0.1 s per test.
    conninfo = postgres_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(conninfo, autocommit=True) as connection:
        yield connection


def _empty_postgres(connection: psycopg.Connection) -> None:
    with connection.transaction():
        for table in reversed(metadata.sorted_tables):
            connection.execute(sql.SQL("DELETE FROM {}").format(sql.Identifier(table.name)))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "postgres":
        url: str = request.getfixturevalue("postgres_url")
        _empty_postgres(request.getfixturevalue("postgres_cleaner"))
        return url
    template: Path = request.getfixturevalue("sqlite_template")
    path = tmp_path / "procurelink.db"
    shutil.copyfile(template, path)
    return f"sqlite+aiosqlite:///{path}"


@pytest.fixture
async def pg_store(request: pytest.FixtureRequest) -> AsyncIterator[SqlStore]:
    """PostgreSQL only, for behaviour SQLite cannot have (row locks held by another claim)."""
    url: str = request.getfixturevalue("postgres_url")
    _empty_postgres(request.getfixturevalue("postgres_cleaner"))
    created = create_store(url)
    try:
        yield created
    finally:
        await created.close()


@pytest.fixture
async def store(store_url: str) -> AsyncIterator[SqlStore]:
    created = create_store(store_url)
    try:
        yield created
    finally:
        await created.close()


@pytest.fixture
def now() -> datetime:
    return NOW
