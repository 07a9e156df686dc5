"""Processes calling one Odoo instance count each other in the store and take their share
(two stores on one SQLite file stand for two processes)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from service_world import store_only

from procurelink.adapters.store import create_store, migrate
from procurelink.services.context import Deps
from procurelink.services.peer_share import PeerShare

GROUP = "odoo:http://erp:8069:prod"


@dataclass
class Clock:
    at: datetime = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self.at


@pytest.fixture
async def two(tmp_path: Path) -> AsyncIterator[tuple[Deps, Deps, Clock]]:
    url = f"sqlite:///{tmp_path / 'peers.db'}"
    await migrate(url)
    clock = Clock()
    stores = [create_store(url), create_store(url)]
    try:
        yield store_only(stores[0], clock), store_only(stores[1], clock), clock
    finally:
        for store in stores:
            await store.close()


async def test_two_processes_each_take_half_and_the_survivor_all(
    two: tuple[Deps, Deps, Clock],
) -> None:
    one, other, _ = two
    got_one: list[int] = []
    got_other: list[int] = []

    async def to(shares: list[int], peers: int) -> None:
        shares.append(peers)

    a = PeerShare(one, GROUP, lambda n: to(got_one, n), peer="a")
    b = PeerShare(other, GROUP, lambda n: to(got_other, n), peer="b")
    assert await a.round() == 1  # alone so far
    assert await b.round() == 2
    assert await a.round() == 2
    stop = asyncio.Event()
    running = asyncio.create_task(b.run(stop))
    await asyncio.sleep(0.05)
    stop.set()
    await running  # b stops and leaves the group
    assert await a.round() == 1
    assert got_one == [1, 2, 1] and got_other[:2] == [2, 2]


async def test_a_dead_process_stops_counting_after_three_beats(
    two: tuple[Deps, Deps, Clock],
) -> None:
    one, other, clock = two

    async def ignore(peers: int) -> None:
        return None

    a = PeerShare(one, GROUP, ignore, peer="a")
    dead = PeerShare(other, GROUP, ignore, peer="dead")
    await dead.round()  # then killed: it never leaves
    clock.at += timedelta(seconds=29)
    assert await a.round() == 2
    clock.at += timedelta(seconds=2)
    assert await a.round() == 1
