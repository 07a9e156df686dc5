"""Configuration and the translation of database failures (no PostgreSQL needed)."""

from __future__ import annotations

import socket
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy.exc import StatementError

from procurelink.adapters.store import StoreSettings, create_store, migrate
from procurelink.adapters.store.errors import SchemaMissing
from procurelink.adapters.store.settings import normalise_url
from procurelink.errors import ConfigurationError, TransientError
from procurelink.ports.records import Effect

PASSWORD = "s3cr3t-Pa55"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("sqlite:///var/x.db", "sqlite+aiosqlite:///var/x.db"),
        ("sqlite+aiosqlite:///x.db", "sqlite+aiosqlite:///x.db"),
        ("postgresql://u:p@h/db", "postgresql+psycopg://u:p@h/db"),
        ("postgres://u@h:5433/db", "postgresql+psycopg://u@h:5433/db"),
        ("postgresql+psycopg://h/db", "postgresql+psycopg://h/db"),
    ],
)
def test_urls_are_normalised_to_the_async_drivers(given: str, expected: str) -> None:
    assert normalise_url(given) == expected
    assert StoreSettings(database_url=given).database_url == expected


def test_settings_default_and_repr_hide_the_password() -> None:
    assert StoreSettings().database_url == "sqlite+aiosqlite:///./var/procurelink.db"
    settings = StoreSettings(database_url=f"postgres://app:{PASSWORD}@db/procurelink")
    assert PASSWORD not in repr(settings)
    assert PASSWORD not in str(settings)
    assert PASSWORD not in settings.redacted_url
    assert settings.redacted_url.startswith("postgresql+psycopg://app:***@db")


@pytest.mark.parametrize(
    "url", ["mysql://u@h/db", "postgresql+asyncpg://h/db", "sqlite://", "sqlite:///:memory:"]
)
def test_unsupported_urls_are_configuration_errors(url: str) -> None:
    with pytest.raises(ConfigurationError):
        create_store(url)


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_an_unreachable_database_is_transient_and_keeps_the_password_secret() -> None:
    url = f"postgresql://procurelink:{PASSWORD}@127.0.0.1:{_closed_port()}/procurelink"
    store = create_store(url)
    try:
        with pytest.raises(TransientError) as raised:
            await store.unit_of_work().__aenter__()
    finally:
        await store.close()

    error = raised.value
    assert raised.value.__cause__ is not None
    assert PASSWORD not in str(error)
    assert PASSWORD not in repr(error.to_dict())
    assert "127.0.0.1" in str(error)
    assert PASSWORD not in store.redacted_url


async def test_migrate_on_an_unreachable_database_is_transient() -> None:
    with pytest.raises(TransientError) as raised:
        await migrate(f"postgresql://u:{PASSWORD}@127.0.0.1:{_closed_port()}/x")
    assert PASSWORD not in str(raised.value)


async def test_an_unmigrated_database_says_so_and_frees_the_writer(tmp_path: Path) -> None:
    store = create_store(f"sqlite:///{tmp_path}/not-migrated.db")
    try:
        async with store.unit_of_work() as uow:
            with pytest.raises(SchemaMissing):
                await uow.state.get("k")
        # The single-writer lock was released on the way out.
        async with store.unit_of_work() as uow:
            with pytest.raises(SchemaMissing):
                await uow.state.get("k")
    finally:
        await store.close()


async def test_create_store_makes_the_sqlite_folder(tmp_path: Path) -> None:
    target = tmp_path / "var" / "deep" / "procurelink.db"
    store = create_store(f"sqlite:///{target}")
    await store.close()
    assert target.parent.is_dir()


async def test_naive_timestamps_are_refused(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/x.db"
    await migrate(url)
    store = create_store(url)
    try:
        async with store.unit_of_work() as uow:
            with pytest.raises(StatementError, match="naive datetime"):
                await uow.effects.record(Effect("k", "erp.write", datetime(2025, 1, 1)))
    finally:
        await store.close()
