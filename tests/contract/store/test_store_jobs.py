"""The job queue: leases, guarded transitions, retries, dead letters, order per partition."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from procurelink.adapters.store import SqlStore
from procurelink.ports.records import Job, JobStatus, NewJob

LEASE = timedelta(seconds=30)


def new_job(kind: str = "outbound.deliver", **fields: Any) -> NewJob:
    return NewJob(kind=kind, payload=fields.pop("payload", {"n": 1}), **fields)


async def enqueue(store: SqlStore, now: datetime, *jobs: NewJob) -> list[int]:
    async with store.unit_of_work() as uow:
        ids = [await uow.jobs.enqueue(job, now) for job in jobs]
        await uow.commit()
    return ids


async def claim(
    store: SqlStore, worker: str, now: datetime, kinds: list[str] | None = None
) -> Job | None:
    async with store.unit_of_work() as uow:
        job = await uow.jobs.claim(worker, now, LEASE, kinds)
        await uow.commit()
    return job


async def get(store: SqlStore, job_id: int) -> Job:
    async with store.unit_of_work() as uow:
        job = await uow.jobs.get(job_id)
    assert job is not None
    return job


async def complete(store: SqlStore, job_id: int, worker: str, now: datetime) -> bool:
    async with store.unit_of_work() as uow:
        done = await uow.jobs.complete(job_id, worker, now)
        await uow.commit()
    return done


async def test_enqueue_then_claim_leases_the_job(store: SqlStore, now: datetime) -> None:
    (job_id,) = await enqueue(
        store,
        now,
        new_job(
            payload={"message_id": "m-1", "deep": {"x": [1, "2"]}},
            correlation_id="c-1",
            partner_id="acme",
            partition_key="PO-1",
            max_attempts=3,
        ),
    )

    job = await claim(store, "w1", now)

    assert job is not None
    assert job.id == job_id
    assert job.status is JobStatus.RUNNING
    assert job.payload == {"message_id": "m-1", "deep": {"x": [1, "2"]}}
    assert (job.correlation_id, job.partner_id, job.partition_key) == ("c-1", "acme", "PO-1")
    assert (job.attempts, job.max_attempts) == (1, 3)
    assert job.lease_owner == "w1"
    assert job.lease_expires_at == now + LEASE
    assert (job.created_at, job.updated_at, job.next_attempt_at) == (now, now, now)
    assert await claim(store, "w2", now) is None


async def test_claim_takes_the_oldest_due_job(store: SqlStore, now: datetime) -> None:
    later, first, second = await enqueue(
        store,
        now,
        new_job(run_at=now + timedelta(minutes=5)),
        new_job(),
        new_job(),
    )

    claimed = [await claim(store, "w", now) for _ in range(3)]

    assert [job.id if job else None for job in claimed] == [first, second, None]
    job = await claim(store, "w", now + timedelta(minutes=5))
    assert job is not None
    assert job.id == later


async def test_claim_filters_by_kind(store: SqlStore, now: datetime) -> None:
    decode, deliver = await enqueue(store, now, new_job("inbound.decode"), new_job())

    assert await claim(store, "w", now, kinds=["erp.apply"]) is None
    job = await claim(store, "w", now, kinds=["outbound.deliver", "erp.apply"])
    assert job is not None
    assert job.id == deliver
    job = await claim(store, "w", now)
    assert job is not None
    assert job.id == decode


async def test_only_the_lease_owner_completes(store: SqlStore, now: datetime) -> None:
    (job_id,) = await enqueue(store, now, new_job())
    await claim(store, "w1", now)

    assert await complete(store, job_id, "w2", now) is False
    assert (await get(store, job_id)).status is JobStatus.RUNNING
    assert await complete(store, job_id, "w1", now + timedelta(seconds=1)) is True
    assert await complete(store, job_id, "w1", now + timedelta(seconds=2)) is False

    done = await get(store, job_id)
    assert done.status is JobStatus.DONE
    assert done.updated_at == now + timedelta(seconds=1)
    assert await claim(store, "w1", now + timedelta(days=1)) is None


async def test_an_expired_lease_is_reclaimed_and_the_stale_owner_loses(
    store: SqlStore, now: datetime
) -> None:
    (job_id,) = await enqueue(store, now, new_job())
    await claim(store, "crashed", now)

    assert await claim(store, "w2", now + LEASE - timedelta(seconds=1)) is None
    reclaimed = await claim(store, "w2", now + LEASE)

    assert reclaimed is not None
    assert reclaimed.id == job_id
    assert (reclaimed.attempts, reclaimed.lease_owner) == (2, "w2")
    assert reclaimed.lease_expires_at == now + 2 * LEASE
    later = now + LEASE + timedelta(seconds=1)
    async with store.unit_of_work() as uow:
        assert await uow.jobs.complete(job_id, "crashed", later) is False
        assert await uow.jobs.retry(job_id, "crashed", "boom", later, later) is False
        assert await uow.jobs.bury(job_id, "crashed", "boom", later) is False
        assert await uow.jobs.complete(job_id, "w2", later) is True
        await uow.commit()
    assert (await get(store, job_id)).status is JobStatus.DONE


async def test_retry_requeues_with_backoff_and_error(store: SqlStore, now: datetime) -> None:
    (job_id,) = await enqueue(store, now, new_job())
    await claim(store, "w1", now)
    backoff = now + timedelta(minutes=2)

    async with store.unit_of_work() as uow:
        assert await uow.jobs.retry(job_id, "w2", "not mine", backoff, now) is False
        assert await uow.jobs.retry(job_id, "w1", "SFTP timeout", backoff, now) is True
        assert await uow.jobs.retry(job_id, "w1", "twice", backoff, now) is False
        await uow.commit()

    queued = await get(store, job_id)
    assert queued.status is JobStatus.QUEUED
    assert (queued.last_error, queued.next_attempt_at) == ("SFTP timeout", backoff)
    assert (queued.lease_owner, queued.lease_expires_at) == (None, None)
    assert await claim(store, "w1", backoff - timedelta(microseconds=1)) is None
    again = await claim(store, "w3", backoff)
    assert again is not None
    assert (again.id, again.attempts, again.lease_owner) == (job_id, 2, "w3")


async def test_bury_then_replay(store: SqlStore, now: datetime) -> None:
    (job_id,) = await enqueue(store, now, new_job())
    await claim(store, "w1", now)
    later = now + timedelta(hours=1)

    async with store.unit_of_work() as uow:
        assert await uow.jobs.replay(job_id, later) is False
        assert await uow.jobs.bury(job_id, "w2", "not mine", now) is False
        assert await uow.jobs.bury(job_id, "w1", "partner rejected: AK5*R", now) is True
        await uow.commit()
    dead = await get(store, job_id)
    assert (dead.status, dead.last_error, dead.attempts) == (
        JobStatus.DEAD,
        "partner rejected: AK5*R",
        1,
    )
    assert await claim(store, "w1", later) is None

    async with store.unit_of_work() as uow:
        assert await uow.jobs.replay(job_id, later) is True
        assert await uow.jobs.replay(job_id, later) is False
        await uow.commit()
    replayed = await get(store, job_id)
    assert (replayed.status, replayed.attempts, replayed.next_attempt_at) == (
        JobStatus.QUEUED,
        0,
        later,
    )
    again = await claim(store, "w1", later)
    assert again is not None
    assert (again.id, again.attempts) == (job_id, 1)


async def test_a_partition_runs_one_job_at_a_time_in_order(store: SqlStore, now: datetime) -> None:
    order, ack, other, free = await enqueue(
        store,
        now,
        new_job(partition_key="PO-1"),
        new_job(partition_key="PO-1"),
        new_job(partition_key="PO-2"),
        new_job(),
    )

    first = [await claim(store, "w", now) for _ in range(4)]
    assert [job.id if job else None for job in first] == [order, other, free, None]

    # A retried order still holds back its acknowledgment, even while not due.
    async with store.unit_of_work() as uow:
        await uow.jobs.retry(order, "w", "timeout", now + timedelta(minutes=1), now)
        await uow.commit()
    assert await claim(store, "w", now) is None

    retried = await claim(store, "w", now + timedelta(minutes=1))
    assert retried is not None
    assert retried.id == order
    await complete(store, order, "w", now + timedelta(minutes=1))
    unblocked = await claim(store, "w", now + timedelta(minutes=1))
    assert unblocked is not None
    assert unblocked.id == ack


async def test_a_dead_job_does_not_block_its_partition(store: SqlStore, now: datetime) -> None:
    first, second = await enqueue(
        store, now, new_job(partition_key="PO-1"), new_job(partition_key="PO-1")
    )
    await claim(store, "w", now)
    async with store.unit_of_work() as uow:
        await uow.jobs.bury(first, "w", "fatal", now)
        await uow.commit()

    job = await claim(store, "w", now)
    assert job is not None
    assert job.id == second


async def test_an_older_job_blocks_even_when_a_newer_kind_is_asked_for(
    store: SqlStore, now: datetime
) -> None:
    await enqueue(
        store,
        now,
        new_job("outbound.deliver", partition_key="PO-1"),
        new_job("inbound.apply", partition_key="PO-1"),
    )

    assert await claim(store, "w", now, kinds=["inbound.apply"]) is None


async def test_dedupe_key_returns_the_existing_job(store: SqlStore, now: datetime) -> None:
    first, again, other, plain_a, plain_b = await enqueue(
        store,
        now,
        new_job(dedupe_key="po-1:rev-2", payload={"v": 1}),
        new_job(dedupe_key="po-1:rev-2", payload={"v": 2}),
        new_job(dedupe_key="po-1:rev-3"),
        new_job(),
        new_job(),
    )

    assert again == first
    assert len({first, other, plain_a, plain_b}) == 4
    stored = await get(store, first)
    assert (stored.payload, stored.dedupe_key) == ({"v": 1}, "po-1:rev-2")
    async with store.unit_of_work() as uow:
        assert len(await uow.jobs.list()) == 4


async def test_list_filters_and_count_due(store: SqlStore, now: datetime) -> None:
    a, b, c = await enqueue(
        store,
        now,
        new_job(correlation_id="c-1"),
        new_job(correlation_id="c-2"),
        new_job(correlation_id="c-1", run_at=now + timedelta(hours=1)),
    )
    await claim(store, "w", now)

    async with store.unit_of_work() as uow:
        queued = await uow.jobs.list(status=JobStatus.QUEUED)
        thread = await uow.jobs.list(correlation_id="c-1")
        running_in_c1 = await uow.jobs.list(status=JobStatus.RUNNING, correlation_id="c-1")
        limited = await uow.jobs.list(limit=2)
        due_now = await uow.jobs.count_due(now)
        due_later = await uow.jobs.count_due(now + timedelta(hours=1))
        missing = await uow.jobs.get(10_000)

    assert [j.id for j in queued] == [b, c]
    assert [j.id for j in thread] == [a, c]
    assert [j.id for j in running_in_c1] == [a]
    assert [j.id for j in limited] == [a, b]
    assert due_now == 1
    # Later, the running job's lease has expired too: it is due again.
    assert due_later == 3
    assert missing is None
