"""What happened and what needs a human: effect keys, the exception queue, the audit trail."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Row, select, update

from procurelink.adapters.store.database import Database
from procurelink.adapters.store.tables import audit, effects, exceptions
from procurelink.errors import IllegalTransition
from procurelink.ports.records import (
    AuditEntry,
    Effect,
    ExceptionRecord,
    ExceptionStatus,
    NewException,
)


def _effect(row: Row[Any]) -> Effect:
    return Effect(
        key=row.key,
        kind=row.kind,
        applied_at=row.applied_at,
        correlation_id=row.correlation_id,
        job_id=row.job_id,
        result=row.result,
    )


def _exception(row: Row[Any]) -> ExceptionRecord:
    return ExceptionRecord(
        id=row.id,
        status=ExceptionStatus(row.status),
        reason_code=row.reason_code,
        message=row.message,
        created_at=row.created_at,
        partner_id=row.partner_id,
        correlation_id=row.correlation_id,
        order_number=row.order_number,
        document_id=row.document_id,
        message_id=row.message_id,
        payload=row.payload,
        approvable=bool(row.approvable),
        resolved_by=row.resolved_by,
        resolved_at=row.resolved_at,
        resolution_note=row.resolution_note,
    )


def _audit(row: Row[Any]) -> AuditEntry:
    return AuditEntry(
        id=row.id,
        at=row.at,
        actor=row.actor,
        action=row.action,
        correlation_id=row.correlation_id,
        order_number=row.order_number,
        subject=row.subject,
        before=row.before,
        after=row.after,
    )


class SqlEffectRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def record(self, effect: Effect) -> bool:
        statement = (
            self._db.insert(effects)
            .values(
                key=effect.key,
                kind=effect.kind,
                applied_at=effect.applied_at,
                correlation_id=effect.correlation_id,
                job_id=effect.job_id,
                result=effect.result,
            )
            .on_conflict_do_nothing(index_elements=[effects.c.key])
            .returning(effects.c.key)
        )
        return (await self._db.execute(statement)).first() is not None

    async def get(self, key: str) -> Effect | None:
        row = (await self._db.execute(select(effects).where(effects.c.key == key))).first()
        return _effect(row) if row else None

    async def list_by_correlation(self, correlation_id: str) -> list[Effect]:
        statement = (
            select(effects)
            .where(effects.c.correlation_id == correlation_id)
            .order_by(effects.c.applied_at, effects.c.key)
        )
        return [_effect(row) for row in await self._db.execute(statement)]


class SqlExceptionRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def open(self, exception: NewException, now: datetime) -> int:
        statement = (
            exceptions.insert()
            .values(
                status=ExceptionStatus.OPEN.value,
                reason_code=exception.reason_code,
                message=exception.message,
                created_at=now,
                partner_id=exception.partner_id,
                correlation_id=exception.correlation_id,
                order_number=exception.order_number,
                document_id=exception.document_id,
                message_id=exception.message_id,
                payload=exception.payload,
                approvable=exception.approvable,
            )
            .returning(exceptions.c.id)
        )
        return int((await self._db.execute(statement)).scalar_one())

    async def get(self, exception_id: int) -> ExceptionRecord | None:
        statement = select(exceptions).where(exceptions.c.id == exception_id)
        row = (await self._db.execute(statement)).first()
        return _exception(row) if row else None

    async def list(
        self,
        status: ExceptionStatus | None = None,
        partner_id: str | None = None,
        correlation_id: str | None = None,
        limit: int = 200,
    ) -> list[ExceptionRecord]:
        """Oldest first: the queue a buyer works through."""
        statement = select(exceptions).order_by(exceptions.c.id).limit(limit)
        if status is not None:
            statement = statement.where(exceptions.c.status == status.value)
        if partner_id is not None:
            statement = statement.where(exceptions.c.partner_id == partner_id)
        if correlation_id is not None:
            statement = statement.where(exceptions.c.correlation_id == correlation_id)
        return [_exception(row) for row in await self._db.execute(statement)]

    async def resolve(
        self,
        exception_id: int,
        status: ExceptionStatus,
        by: str,
        now: datetime,
        note: str | None = None,
    ) -> bool:
        if status is ExceptionStatus.OPEN:
            raise IllegalTransition("An exception cannot be resolved into 'open'")
        result = await self._db.execute(
            update(exceptions)
            .where(
                exceptions.c.id == exception_id,
                exceptions.c.status == ExceptionStatus.OPEN.value,
            )
            .values(status=status.value, resolved_by=by, resolved_at=now, resolution_note=note)
        )
        return result.rowcount == 1


class SqlAuditRepository:
    """Append-only: there is deliberately no update or delete."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def append(self, entry: AuditEntry) -> int:
        statement = (
            audit.insert()
            .values(
                at=entry.at,
                actor=entry.actor,
                action=entry.action,
                correlation_id=entry.correlation_id,
                order_number=entry.order_number,
                subject=entry.subject,
                before=entry.before,
                after=entry.after,
            )
            .returning(audit.c.id)
        )
        return int((await self._db.execute(statement)).scalar_one())

    async def list(
        self,
        correlation_id: str | None = None,
        order_number: str | None = None,
        limit: int = 500,
    ) -> list[AuditEntry]:
        """In the order entries were appended (ids, not clocks, which may disagree)."""
        statement = select(audit).order_by(audit.c.id).limit(limit)
        if correlation_id is not None:
            statement = statement.where(audit.c.correlation_id == correlation_id)
        if order_number is not None:
            statement = statement.where(audit.c.order_number == order_number)
        return [_audit(row) for row in await self._db.execute(statement)]
