"""Live processes per group, by heartbeat: counted since a cut, gone when they leave or after
an hour of silence."""

from __future__ import annotations

from datetime import datetime, timedelta

from procurelink.adapters.store import SqlStore


async def test_peers_are_counted_by_their_last_beat(store: SqlStore, now: datetime) -> None:
    group = "odoo:http://erp:8069:prod"
    async with store.unit_of_work() as uow:
        await uow.peers.beat(group, "a", now - timedelta(seconds=40))
        await uow.peers.beat(group, "b", now - timedelta(seconds=5))
        await uow.peers.beat(group, "c", now)
        await uow.peers.beat("odoo:other", "d", now)
        await uow.commit()
    async with store.unit_of_work() as uow:
        assert await uow.peers.live(group, now - timedelta(seconds=30)) == 2
        await uow.peers.beat(group, "a", now)  # a beats again: one row, newer
        assert await uow.peers.live(group, now - timedelta(seconds=30)) == 3
        await uow.peers.leave(group, "b")
        assert await uow.peers.live(group, now - timedelta(seconds=30)) == 2
        assert await uow.peers.live("odoo:other", now - timedelta(seconds=30)) == 1
        await uow.commit()


async def test_a_peer_silent_for_an_hour_is_forgotten(store: SqlStore, now: datetime) -> None:
    async with store.unit_of_work() as uow:
        await uow.peers.beat("g", "dead", now - timedelta(hours=2))
        await uow.peers.beat("g", "alive", now)
        assert await uow.peers.live("g", now - timedelta(days=1)) == 1
        await uow.commit()
