"""Named leases in the store: one holder at a time across processes (two stores on one
SQLite file stand for two ``serve`` processes), lapsing when their holder dies."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from service_world import SetClock, two_processes

from procurelink.services.context import Deps
from procurelink.services.leases import LeaseBusy, lease


@pytest.fixture
async def processes(tmp_path: Path) -> AsyncIterator[tuple[Deps, Deps]]:
    async with two_processes(tmp_path, SetClock()) as both:
        yield both


async def test_holders_take_turns_across_processes(processes: tuple[Deps, Deps]) -> None:
    inside: list[int] = []
    most = 0

    async def work(deps: Deps, n: int) -> None:
        nonlocal most
        async with lease(deps, "rfq.batch:b-1"):
            inside.append(n)
            most = max(most, len(inside))
            await asyncio.sleep(0.05)
            inside.remove(n)

    one, two = processes
    await asyncio.gather(*(work(one if n % 2 else two, n) for n in range(6)))
    assert most == 1


async def test_a_caller_waiting_too_long_is_told_to_retry(processes: tuple[Deps, Deps]) -> None:
    one, two = processes
    async with lease(one, "rfq.batch:b-1"):
        with pytest.raises(LeaseBusy) as busy:
            async with lease(two, "rfq.batch:b-1", wait=timedelta(milliseconds=250)):
                pytest.fail("held twice")
        assert busy.value.details["lease"] == "rfq.batch:b-1"
        async with lease(two, "rfq.batch:b-2", wait=timedelta(0)):  # another name is free
            pass
    async with lease(two, "rfq.batch:b-1", wait=timedelta(0)):  # released
        pass


async def test_a_dead_holders_lease_lapses_after_its_ttl(processes: tuple[Deps, Deps]) -> None:
    one, two = processes
    dead = lease(one, "rfq.batch:b-1", ttl=timedelta(minutes=5))
    await dead.__aenter__()  # its holder never comes back to release it
    with pytest.raises(LeaseBusy):
        async with lease(two, "rfq.batch:b-1", wait=timedelta(0)):
            pass
    assert isinstance(one.clock, SetClock)
    one.clock.at += timedelta(minutes=5)
    async with lease(two, "rfq.batch:b-1", wait=timedelta(0)):
        pass
