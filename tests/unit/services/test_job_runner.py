"""The job runner's retry and dead-letter behaviour, on a real SQLite store."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from procurelink.adapters.bus.memory import InProcessBus
from procurelink.adapters.partners.yaml_directory import PartnerRegistry
from procurelink.adapters.store import SqlStore, create_store, migrate
from procurelink.errors import ErpError, ErpUnavailable, UnknownOrder
from procurelink.ports.records import ExceptionStatus, Job, JobStatus, NewJob
from procurelink.services.context import Deps
from procurelink.services.jobs import JobRunner
from procurelink.workflow.retry import RetryPolicy


@dataclass
class FixedClock:
    at: datetime = field(default_factory=lambda: datetime(2026, 1, 1, tzinfo=UTC))

    def now(self) -> datetime:
        return self.at


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[SqlStore]:
    url = f"sqlite:///{tmp_path / 'jobs.db'}"
    await migrate(url)
    s = create_store(url)
    yield s
    await s.close()


def runner(store: SqlStore, clock: FixedClock, handler: Any, attempts: int = 3) -> JobRunner:
    deps = Deps(
        store=store,
        clock=clock,
        partners=PartnerRegistry([]),
        router=None,  # type: ignore[arg-type]
        erp=None,
        bus=InProcessBus(),
        rand=lambda: 0.5,
    )  # type: ignore[arg-type]
    return JobRunner(
        deps,
        {"k": handler},
        {"k": RetryPolicy(max_attempts=attempts, base=timedelta(seconds=10), jitter=0)},
    )


async def enqueue(
    store: SqlStore, clock: FixedClock, n: int = 1, partition: str | None = None
) -> list[int]:
    async with store.unit_of_work() as uow:
        ids = [
            await uow.jobs.enqueue(
                NewJob(kind="k", payload={"n": i}, partition_key=partition), clock.now()
            )
            for i in range(n)
        ]
        await uow.commit()
    return ids


async def job(store: SqlStore, job_id: int) -> Job:
    async with store.unit_of_work() as uow:
        found = await uow.jobs.get(job_id)
    assert found is not None
    return found


async def exceptions(store: SqlStore) -> list[str]:
    async with store.unit_of_work() as uow:
        return [x.reason_code for x in await uow.exceptions.list(status=ExceptionStatus.OPEN)]


async def test_transient_errors_back_off_then_dead_letter(store: SqlStore) -> None:
    clock = FixedClock()

    async def flaky(_: Job) -> None:
        raise ErpUnavailable("Odoo answered 502")

    run = runner(store, clock, flaky)
    [jid] = await enqueue(store, clock)
    first = await run.run_one()
    assert first is not None
    assert first.outcome == "retry"
    queued = await job(store, jid)
    assert queued.status == JobStatus.QUEUED
    assert queued.next_attempt_at == clock.now() + timedelta(seconds=10)
    assert "502" in (queued.last_error or "")
    assert await run.run_one() is None  # not due yet
    clock.at += timedelta(seconds=10)
    assert (await run.run_one()).outcome == "retry"  # type: ignore[union-attr]
    clock.at += timedelta(seconds=20)
    assert (await run.run_one()).outcome == "dead"  # type: ignore[union-attr]
    assert (await job(store, jid)).status == JobStatus.DEAD
    assert await exceptions(store) == ["erp_unavailable"]


async def test_permanent_and_domain_errors_are_buried_at_once(store: SqlStore) -> None:
    clock = FixedClock()
    errors = [ErpError("Odoo refused the write"), UnknownOrder("PO-X is unknown")]

    async def refuse(_: Job) -> None:
        raise errors.pop(0)

    run = runner(store, clock, refuse)
    await enqueue(store, clock, 2)
    outcomes = [r.outcome for r in await run.drain()]
    assert outcomes == ["dead", "dead"]
    assert sorted(await exceptions(store)) == ["erp_refused", "unknown_order"]


async def test_a_bug_is_retried_and_recorded_when_it_keeps_failing(store: SqlStore) -> None:
    clock = FixedClock()

    async def buggy(_: Job) -> None:
        raise KeyError("oops")

    run = runner(store, clock, buggy, attempts=1)
    [jid] = await enqueue(store, clock)
    result = await run.run_one()
    assert result is not None
    assert result.outcome == "dead"
    assert "Traceback" in (await job(store, jid)).last_error  # type: ignore[operator]
    assert await exceptions(store) == ["error"]


async def test_jobs_of_one_partition_run_in_order(store: SqlStore) -> None:
    clock = FixedClock()
    seen: list[int] = []

    async def record(j: Job) -> None:
        seen.append(int(j.payload["n"]))

    run = runner(store, clock, record)
    await enqueue(store, clock, 5, partition="po:1")
    results = await run.drain()
    assert [r.outcome for r in results] == ["done"] * 5
    assert seen == [0, 1, 2, 3, 4]


async def test_a_dead_letter_is_raised_once_per_job_and_per_document(store: SqlStore) -> None:
    clock = FixedClock()

    async def refuse(_: Job) -> None:
        raise ErpError("Odoo refused it")

    run = runner(store, clock, refuse)
    async with store.unit_of_work() as uow:
        for doc, key in (("d1", "a"), ("d1", "b"), ("d2", "c")):
            await uow.jobs.enqueue(
                NewJob(kind="k", payload={"document_id": doc}, dedupe_key=key), clock.now()
            )
        await uow.commit()
    assert [r.outcome for r in await run.drain()] == ["dead", "dead", "dead"]
    async with store.unit_of_work() as uow:
        open_ = await uow.exceptions.list(status=ExceptionStatus.OPEN)
    assert sorted((x.document_id, x.payload["job_id"]) for x in open_) == [("d1", 1), ("d2", 3)]

    async with store.unit_of_work() as uow:
        assert await uow.jobs.replay(3, clock.now())
        await uow.commit()
    assert [r.outcome for r in await run.drain()] == ["dead"]
    assert await exceptions(store) == ["erp_refused", "erp_refused"]
