"""The write_date poller: one snapshot per change, two changes in one second included."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from service_world import service_world
from test_receipt_service import ORDER

from procurelink.adapters.store import SqlStore
from procurelink.ports.erp import ErpChange
from procurelink.services.erp_sync import SNAPSHOT_JOB, ErpSyncService


class ChangeFeed:
    """An ERP whose change feed answers what the test sets."""

    def __init__(self) -> None:
        self.changes: list[ErpChange] = []

    async def changed_orders(self, since: datetime | None) -> list[ErpChange]:
        return list(self.changes)


async def snapshot_jobs(store: SqlStore) -> int:
    async with store.unit_of_work() as uow:
        jobs = await uow.jobs.list()
    return len([j for j in jobs if j.kind == SNAPSHOT_JOB])


async def test_a_second_change_in_the_same_second_is_not_lost(tmp_path: Path) -> None:
    feed = ChangeFeed()
    async with service_world(tmp_path, feed, ORDER) as (deps, store):
        sync = ErpSyncService(deps, dispatch=None)  # type: ignore[arg-type]
        feed.changes = [ErpChange(7, "2026-11-30 07:00:01", version="written")]
        assert await sync.poll() == 1
        assert await sync.poll() == 0  # the overlap window reads it again: nothing new
        # Cancelled within the same second: same write_date, other state.
        feed.changes = [ErpChange(7, "2026-11-30 07:00:01", version="cancelled")]
        assert await sync.poll() == 1
        assert await sync.poll() == 0
        assert await snapshot_jobs(store) == 2
