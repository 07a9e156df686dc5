"""A service's collaborators on a real, migrated SQLite store holding one ledger order, with a
recording ERP: what the service unit tests share."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from procurelink.adapters.bus.memory import InProcessBus
from procurelink.adapters.clock import SystemClock
from procurelink.adapters.partners.yaml_directory import PartnerRegistry
from procurelink.adapters.store import SqlStore, create_store, migrate
from procurelink.domain.ledger import LedgerOrder
from procurelink.domain.partner_profile import PartnerProfile
from procurelink.ports.clock import Clock
from procurelink.services.context import Deps


@asynccontextmanager
async def service_world(
    tmp_path: Path,
    erp: object,
    order: LedgerOrder,
    profiles: Sequence[PartnerProfile] = (),
    **deps: Any,
) -> AsyncIterator[tuple[Deps, SqlStore]]:
    url = f"sqlite:///{tmp_path / 'service.db'}"
    await migrate(url)
    store = create_store(url)
    try:
        context = Deps(
            store=store,
            clock=SystemClock(),
            partners=PartnerRegistry(list(profiles)),
            router=None,
            erp=erp,
            bus=InProcessBus(),
            **deps,
        )  # type: ignore[arg-type]
        async with store.unit_of_work() as uow:
            await uow.ledger.save(order)
            await uow.commit()
        yield context, store
    finally:
        await store.close()


def store_only(store: SqlStore, clock: Clock) -> Deps:
    """Deps for a service that needs only the store and a clock (no ERP, no partners)."""
    return Deps(
        store=store,
        clock=clock,
        partners=PartnerRegistry([]),
        router=None,  # type: ignore[arg-type]
        erp=None,  # type: ignore[arg-type]
        bus=InProcessBus(),
    )


@dataclass
class SetClock:
    """A clock that stands still until a test moves ``at``."""

    at: datetime = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self.at


@asynccontextmanager
async def two_processes(tmp_path: Path, clock: Clock) -> AsyncIterator[tuple[Deps, Deps]]:
    """Two stores on one migrated SQLite file: what two processes sharing it see."""
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    await migrate(url)
    stores = [create_store(url), create_store(url)]
    try:
        yield store_only(stores[0], clock), store_only(stores[1], clock)
    finally:
        for store in stores:
            await store.close()
