"""The inbox/outbox queue. Every transition is a guarded UPDATE that reports if it won."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Row, and_, exists, func, or_, select, update

from procurelink.adapters.store.database import Database
from procurelink.adapters.store.tables import jobs
from procurelink.ports.records import Job, JobStatus, NewJob

QUEUED = JobStatus.QUEUED.value
RUNNING = JobStatus.RUNNING.value


def _job(row: Row[Any]) -> Job:
    return Job(
        id=row.id,
        kind=row.kind,
        status=JobStatus(row.status),
        payload=row.payload,
        correlation_id=row.correlation_id,
        partner_id=row.partner_id,
        partition_key=row.partition_key,
        attempts=row.attempts,
        max_attempts=row.max_attempts,
        next_attempt_at=row.next_attempt_at,
        created_at=row.created_at,
        updated_at=row.updated_at,
        lease_owner=row.lease_owner,
        lease_expires_at=row.lease_expires_at,
        last_error=row.last_error,
        dedupe_key=row.dedupe_key,
    )


def _due(now: datetime) -> ColumnElement[bool]:
    """Queued and due, or running under a lease its worker let expire."""
    return or_(
        and_(jobs.c.status == QUEUED, jobs.c.next_attempt_at <= now),
        and_(jobs.c.status == RUNNING, jobs.c.lease_expires_at <= now),
    )


def _blocked_by_older_in_partition() -> ColumnElement[bool]:
    # Done and dead jobs do not block: a dead order must not stall its partition forever;
    # the buyer replays or resolves it through the exception queue.
    older = jobs.alias("older")
    return exists().where(
        older.c.partition_key == jobs.c.partition_key,
        older.c.id < jobs.c.id,
        older.c.status.in_((QUEUED, RUNNING)),
    )


def _owned_by(job_id: int, worker: str) -> ColumnElement[bool]:
    return and_(jobs.c.id == job_id, jobs.c.status == RUNNING, jobs.c.lease_owner == worker)


class SqlJobRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def enqueue(self, job: NewJob, now: datetime) -> int:
        insert = self._db.insert(jobs).values(
            kind=job.kind,
            status=QUEUED,
            payload=job.payload,
            correlation_id=job.correlation_id,
            partner_id=job.partner_id,
            partition_key=job.partition_key,
            attempts=0,
            max_attempts=job.max_attempts,
            next_attempt_at=job.run_at or now,
            dedupe_key=job.dedupe_key,
            created_at=now,
            updated_at=now,
        )
        if job.dedupe_key is None:
            return int((await self._db.execute(insert.returning(jobs.c.id))).scalar_one())
        # On PostgreSQL a concurrent insert of the same key waits for the other transaction;
        # if it commits we do nothing and the next statement (new snapshot) finds its row.
        inserted = (
            await self._db.execute(
                insert.on_conflict_do_nothing(index_elements=[jobs.c.dedupe_key]).returning(
                    jobs.c.id
                )
            )
        ).first()
        if inserted is not None:
            return int(inserted.id)
        existing = select(jobs.c.id).where(jobs.c.dedupe_key == job.dedupe_key)
        return int((await self._db.execute(existing)).scalar_one())

    async def claim(
        self, worker: str, now: datetime, lease: timedelta, kinds: Sequence[str] | None = None
    ) -> Job | None:
        candidate = (
            select(jobs.c.id, jobs.c.status, jobs.c.lease_owner)
            .where(_due(now), ~_blocked_by_older_in_partition())
            .order_by(jobs.c.id)
            .limit(1)
        )
        if kinds is not None:
            candidate = candidate.where(jobs.c.kind.in_(list(kinds)))
        if self._db.is_postgres:
            # Rows another worker is claiming right now are skipped, not waited for.
            candidate = candidate.with_for_update(skip_locked=True, of=jobs)
        found = (await self._db.execute(candidate)).first()
        if found is None:
            return None
        # Guarded even after the row lock: the transition only happens from what we read.
        guard = [jobs.c.id == found.id, jobs.c.status == found.status, _due(now)]
        guard.append(
            jobs.c.lease_owner.is_(None)
            if found.lease_owner is None
            else jobs.c.lease_owner == found.lease_owner
        )
        claimed = (
            await self._db.execute(
                update(jobs)
                .where(*guard)
                .values(
                    status=RUNNING,
                    lease_owner=worker,
                    lease_expires_at=now + lease,
                    attempts=jobs.c.attempts + 1,
                    updated_at=now,
                )
                .returning(*jobs.c)
            )
        ).first()
        return _job(claimed) if claimed else None

    async def complete(self, job_id: int, worker: str, now: datetime) -> bool:
        return await self._transition(
            _owned_by(job_id, worker),
            status=JobStatus.DONE.value,
            lease_expires_at=None,
            updated_at=now,
        )

    async def retry(
        self, job_id: int, worker: str, error: str, next_attempt_at: datetime, now: datetime
    ) -> bool:
        return await self._transition(
            _owned_by(job_id, worker),
            status=QUEUED,
            next_attempt_at=next_attempt_at,
            last_error=error,
            lease_owner=None,
            lease_expires_at=None,
            updated_at=now,
        )

    async def bury(self, job_id: int, worker: str, error: str, now: datetime) -> bool:
        return await self._transition(
            _owned_by(job_id, worker),
            status=JobStatus.DEAD.value,
            last_error=error,
            lease_expires_at=None,
            updated_at=now,
        )

    async def replay(self, job_id: int, now: datetime) -> bool:
        # last_error stays: it is why someone replayed the job.
        return await self._transition(
            and_(jobs.c.id == job_id, jobs.c.status == JobStatus.DEAD.value),
            status=QUEUED,
            attempts=0,
            next_attempt_at=now,
            lease_owner=None,
            lease_expires_at=None,
            updated_at=now,
        )

    async def _transition(self, guard: ColumnElement[bool], **values: Any) -> bool:
        result = await self._db.execute(update(jobs).where(guard).values(**values))
        return result.rowcount == 1

    async def get(self, job_id: int) -> Job | None:
        row = (await self._db.execute(select(jobs).where(jobs.c.id == job_id))).first()
        return _job(row) if row else None

    async def list(
        self,
        status: JobStatus | None = None,
        correlation_id: str | None = None,
        limit: int = 100,
    ) -> list[Job]:
        """Oldest first, like the queue itself."""
        statement = select(jobs).order_by(jobs.c.id).limit(limit)
        if status is not None:
            statement = statement.where(jobs.c.status == status.value)
        if correlation_id is not None:
            statement = statement.where(jobs.c.correlation_id == correlation_id)
        return [_job(row) for row in await self._db.execute(statement)]

    async def count_due(self, now: datetime) -> int:
        """Jobs a worker could pick up now, ignoring partition order (a gauge, not a promise)."""
        result = await self._db.execute(select(func.count()).select_from(jobs).where(_due(now)))
        return int(result.scalar_one())
