"""Console sign-in attempts: a compare-and-swap per login name, so that of several processes
counting the same name at once exactly one takes each turn; pruned by age."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from procurelink.adapters.store import SqlStore
from procurelink.ports.records import SignInAttempts


async def _swap(
    store: SqlStore, name: str, expected: SignInAttempts | None, count: int, at: datetime
) -> SignInAttempts | None:
    async with store.unit_of_work() as uow:
        written = await uow.sign_in_attempts.swap(name, expected, count, at)
        await uow.commit()
    return written


async def _get(store: SqlStore, name: str) -> SignInAttempts | None:
    async with store.unit_of_work() as uow:
        return await uow.sign_in_attempts.get(name)


async def test_a_swap_writes_only_over_what_it_expects(store: SqlStore, now: datetime) -> None:
    first = await _swap(store, "jane", None, 1, now)
    assert first == SignInAttempts(1, now, 1)
    assert await _get(store, "jane") == first
    assert await _swap(store, "jane", None, 1, now) is None  # someone came first
    second = await _swap(store, "jane", first, 2, now + timedelta(seconds=1))
    assert second == SignInAttempts(2, now + timedelta(seconds=1), 2)
    assert await _swap(store, "jane", first, 5, now) is None  # stale expectation
    assert await _get(store, "jane") == second
    async with store.unit_of_work() as uow:
        await uow.sign_in_attempts.clear("jane", version=1)  # not the current version
        await uow.commit()
    assert await _get(store, "jane") == second
    async with store.unit_of_work() as uow:
        await uow.sign_in_attempts.clear("jane")
        await uow.commit()
    assert await _get(store, "jane") is None


async def test_concurrent_swaps_from_one_record_let_exactly_one_through(
    store: SqlStore, now: datetime
) -> None:
    seen = await _swap(store, "jane", None, 1, now)
    results = await asyncio.gather(*(_swap(store, "jane", seen, 2, now) for _ in range(12)))
    assert sum(r is not None for r in results) == 1
    fresh = await asyncio.gather(*(_swap(store, f"new-{n % 3}", None, 1, now) for n in range(12)))
    assert sum(r is not None for r in fresh) == 3


async def test_prune_forgets_names_idle_since_the_cut(store: SqlStore, now: datetime) -> None:
    for n, name in enumerate(("a", "b", "c")):
        await _swap(store, name, None, 1, now + timedelta(minutes=n))
    async with store.unit_of_work() as uow:
        assert await uow.sign_in_attempts.prune(now + timedelta(minutes=1)) == 2
        await uow.commit()
    assert [await _get(store, n) is not None for n in "abc"] == [False, False, True]
