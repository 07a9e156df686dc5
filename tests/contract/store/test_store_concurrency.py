"""Many workers on one queue: no job is claimed twice, and partitions stay in order.

On PostgreSQL the workers run truly in parallel on separate connections (SKIP LOCKED and
the guarded UPDATE do the work); on SQLite they are serialised by the single writer.
"""

from __future__ import annotations

import asyncio
from collections import Counter, defaultdict
from datetime import datetime, timedelta

import pytest

from procurelink.adapters.store import SqlStore
from procurelink.ports.records import JobStatus, NewJob

LEASE = timedelta(minutes=5)


async def fill(store: SqlStore, now: datetime, jobs: list[NewJob]) -> list[int]:
    async with store.unit_of_work() as uow:
        ids = [await uow.jobs.enqueue(job, now) for job in jobs]
        await uow.commit()
    return ids


async def test_concurrent_claims_never_hand_out_a_job_twice(store: SqlStore, now: datetime) -> None:
    ids = await fill(store, now, [NewJob("outbound.deliver", {"n": n}) for n in range(40)])

    async def worker(name: str) -> list[int]:
        mine = []
        while True:
            async with store.unit_of_work() as uow:
                job = await uow.jobs.claim(name, now, LEASE)
                # Hold the row lock a moment, so the other workers must skip past it.
                await asyncio.sleep(0.002)
                await uow.commit()
            if job is None:
                return mine
            mine.append(job.id)

    per_worker = await asyncio.gather(*(worker(f"w{n}") for n in range(8)))

    claimed = [job_id for ids_ in per_worker for job_id in ids_]
    assert Counter(claimed).most_common(1)[0][1] == 1
    assert sorted(claimed) == sorted(ids)
    async with store.unit_of_work() as uow:
        running = await uow.jobs.list(status=JobStatus.RUNNING, limit=1000)
    assert len(running) == 40
    owners = {job.id: job.lease_owner for job in running}
    for n, ids_ in enumerate(per_worker):
        assert all(owners[job_id] == f"w{n}" for job_id in ids_)


async def test_concurrent_workers_keep_each_partition_in_order(
    store: SqlStore, now: datetime
) -> None:
    partitions = [f"PO-{n}" for n in range(4)]
    jobs = [
        NewJob("inbound.apply", {"seq": s}, partition_key=p) for s in range(6) for p in partitions
    ]
    await fill(store, now, jobs)
    finished: dict[str, list[int]] = defaultdict(list)
    running: set[str] = set()
    overlaps: list[str] = []

    async def worker(name: str) -> None:
        idle = 0
        while idle < 3:
            async with store.unit_of_work() as uow:
                job = await uow.jobs.claim(name, now, LEASE)
                await uow.commit()
            if job is None:
                idle += 1
                await asyncio.sleep(0.002)
                continue
            idle = 0
            assert job.partition_key is not None
            if job.partition_key in running:
                overlaps.append(job.partition_key)
            running.add(job.partition_key)
            await asyncio.sleep(0.001)
            finished[job.partition_key].append(job.payload["seq"])
            running.discard(job.partition_key)
            async with store.unit_of_work() as uow:
                assert await uow.jobs.complete(job.id, name, now)
                await uow.commit()

    await asyncio.gather(*(worker(f"w{n}") for n in range(6)))

    assert overlaps == []
    assert dict(finished) == {p: list(range(6)) for p in partitions}


@pytest.mark.postgres
async def test_a_claim_in_flight_is_skipped_not_waited_for(
    pg_store: SqlStore, now: datetime
) -> None:
    # SQLite runs one writer, so a second claim cannot overlap the first there.
    store = pg_store
    first, second = await fill(store, now, [NewJob("a", {}), NewJob("a", {})])

    async with store.unit_of_work() as holding:
        held = await holding.jobs.claim("w1", now, LEASE)
        # Not committed: w1 still holds the row lock on the first job.
        async with store.unit_of_work() as other:
            skipped_to = await asyncio.wait_for(other.jobs.claim("w2", now, LEASE), timeout=3)
            await other.commit()
        await holding.commit()

    assert held is not None
    assert skipped_to is not None
    assert (held.id, skipped_to.id) == (first, second)
