"""Key/value state and counters that never hand out the same value twice."""

from __future__ import annotations

import asyncio

from procurelink.adapters.store import SqlStore


async def test_put_overwrites_and_get_reads(store: SqlStore) -> None:
    async with store.unit_of_work() as uow:
        assert await uow.state.get("odoo.poller.cursor") is None
        await uow.state.put("odoo.poller.cursor", "2025-03-14 09:00:00")
        await uow.state.put("odoo.poller.cursor", "2025-03-14 10:00:00")
        await uow.commit()

    async with store.unit_of_work() as uow:
        assert await uow.state.get("odoo.poller.cursor") == "2025-03-14 10:00:00"


async def test_counters_count_from_their_start(store: SqlStore) -> None:
    async with store.unit_of_work() as uow:
        isa = [await uow.state.next_counter("x12.isa.acme") for _ in range(3)]
        gs = [await uow.state.next_counter("x12.gs.acme", start=1000) for _ in range(2)]
        await uow.commit()

    async with store.unit_of_work() as uow:
        after_commit = await uow.state.next_counter("x12.isa.acme")

    assert (isa, gs, after_commit) == ([1, 2, 3], [1000, 1001], 4)


async def test_a_rolled_back_counter_is_not_consumed(store: SqlStore) -> None:
    async with store.unit_of_work() as uow:
        assert await uow.state.next_counter("n") == 1

    async with store.unit_of_work() as uow:
        assert await uow.state.next_counter("n") == 1


async def test_values_and_counters_share_keys_without_interfering(store: SqlStore) -> None:
    async with store.unit_of_work() as uow:
        await uow.state.put("k", "text")
        first = await uow.state.next_counter("k", start=5)
        await uow.state.put("k", "changed")
        second = await uow.state.next_counter("k", start=5)
        value = await uow.state.get("k")

    assert (first, second, value) == (5, 6, "changed")


async def test_concurrent_counters_never_repeat(store: SqlStore) -> None:
    async def take() -> int:
        async with store.unit_of_work() as uow:
            value = await uow.state.next_counter("x12.isa.acme")
            # Keep the transaction open a moment so the others really overlap on PostgreSQL.
            await asyncio.sleep(0.005)
            await uow.commit()
        return value

    values = await asyncio.gather(*(take() for _ in range(50)))

    assert sorted(values) == list(range(1, 51))


async def test_put_if_absent_keeps_the_first_value(store: SqlStore) -> None:
    async with store.unit_of_work() as uow:
        assert await uow.state.put_if_absent("idem:p1:k1", "msg-1") is None
        assert await uow.state.put_if_absent("idem:p1:k1", "msg-2") == "msg-1"
        await uow.commit()
    async with store.unit_of_work() as uow:
        assert await uow.state.get("idem:p1:k1") == "msg-1"


async def test_replace_if_swaps_only_the_expected_value(store: SqlStore) -> None:
    async with store.unit_of_work() as uow:
        await uow.state.put("lease:x", "a")
        assert await uow.state.replace_if("lease:x", "b", "c") is False
        assert await uow.state.replace_if("lease:y", "a", "c") is False  # absent
        assert await uow.state.replace_if("lease:x", "a", "c") is True
        assert await uow.state.get("lease:x") == "c"
        assert await uow.state.get("lease:y") is None
        await uow.commit()


async def test_of_concurrent_replaces_exactly_one_wins(store: SqlStore) -> None:
    async with store.unit_of_work() as uow:
        await uow.state.put("lease:x", "free")
        await uow.commit()

    async def replace(n: int) -> bool:
        async with store.unit_of_work() as uow:
            won = await uow.state.replace_if("lease:x", "free", f"holder-{n}")
            await uow.commit()
        return won

    assert sum(await asyncio.gather(*(replace(n) for n in range(10)))) == 1
