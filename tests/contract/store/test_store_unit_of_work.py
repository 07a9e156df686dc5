"""A unit of work commits or rolls back everything it did, together."""

from __future__ import annotations

import hashlib
from datetime import datetime

import pytest

from procurelink.adapters.store import SqlStore
from procurelink.ports.records import Direction, NewJob, RawMessage


def inbound(message_id: str, body: bytes, now: datetime) -> RawMessage:
    return RawMessage(
        id=message_id,
        direction=Direction.INBOUND,
        partner_id="acme",
        channel="sftp",
        body=body,
        sha256=hashlib.sha256(body).hexdigest(),
        received_at=now,
    )


async def capture(store: SqlStore, message_id: str, now: datetime, *, commit: bool) -> int:
    async with store.unit_of_work() as uow:
        await uow.messages.add(inbound(message_id, b"ISA*00*...~", now))
        job_id = await uow.jobs.enqueue(
            NewJob(kind="inbound.decode", payload={"message_id": message_id}), now
        )
        if commit:
            await uow.commit()
    return job_id


async def test_commit_keeps_the_message_and_its_job(store: SqlStore, now: datetime) -> None:
    job_id = await capture(store, "m-1", now, commit=True)

    async with store.unit_of_work() as uow:
        assert await uow.messages.get("m-1") is not None
        job = await uow.jobs.get(job_id)
    assert job is not None
    assert job.payload == {"message_id": "m-1"}


async def test_leaving_without_commit_leaves_nothing(store: SqlStore, now: datetime) -> None:
    job_id = await capture(store, "m-1", now, commit=False)

    async with store.unit_of_work() as uow:
        assert await uow.messages.get("m-1") is None
        assert await uow.jobs.get(job_id) is None
        assert await uow.jobs.list() == []


async def test_an_error_inside_rolls_back_both(store: SqlStore, now: datetime) -> None:
    async def crash_midway() -> None:
        async with store.unit_of_work() as uow:
            await uow.messages.add(inbound("m-1", b"x", now))
            await uow.jobs.enqueue(NewJob(kind="inbound.decode", payload={}), now)
            raise RuntimeError("decoder crashed")

    with pytest.raises(RuntimeError, match="decoder crashed"):
        await crash_midway()

    async with store.unit_of_work() as uow:
        assert await uow.messages.get("m-1") is None
        assert await uow.jobs.count_due(now) == 0


async def test_explicit_rollback_then_more_work_in_the_same_unit(
    store: SqlStore, now: datetime
) -> None:
    async with store.unit_of_work() as uow:
        await uow.messages.add(inbound("dropped", b"a", now))
        await uow.rollback()
        await uow.messages.add(inbound("kept", b"b", now))
        await uow.commit()
        # After a commit the unit goes on in a new transaction, rolled back on exit.
        await uow.messages.add(inbound("late", b"c", now))

    async with store.unit_of_work() as uow:
        assert await uow.messages.get("dropped") is None
        assert await uow.messages.get("kept") is not None
        assert await uow.messages.get("late") is None


async def test_units_of_work_see_each_others_commits(store: SqlStore, now: datetime) -> None:
    await capture(store, "m-1", now, commit=True)
    await capture(store, "m-2", now, commit=True)

    async with store.unit_of_work() as uow:
        assert len(await uow.jobs.list()) == 2
