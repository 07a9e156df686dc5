"""Processes calling one Odoo instance count each other in the store and take their share
(two stores on one SQLite file stand for two processes)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from service_world import SetClock, two_processes

from procurelink.services.context import Deps
from procurelink.services.peer_share import PeerShare

GROUP = "odoo:http://erp:8069:prod"


@pytest.fixture
async def two(tmp_path: Path) -> AsyncIterator[tuple[Deps, Deps, SetClock]]:
    clock = SetClock()
    async with two_processes(tmp_path, clock) as (one, other):
        yield one, other, clock


async def test_two_processes_each_take_half_and_the_survivor_all(
    two: tuple[Deps, Deps, SetClock],
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
    two: tuple[Deps, Deps, SetClock],
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
