"""Recording what happened: exception rows, audit entries and business events, together."""

from __future__ import annotations

from typing import Any

from procurelink.domain.events import BusinessEvent, ExceptionRaised
from procurelink.errors import ProcurelinkError
from procurelink.ports.records import AuditEntry, NewException
from procurelink.ports.store import UnitOfWork
from procurelink.services.context import Deps


async def record_exception(
    deps: Deps,
    uow: UnitOfWork,
    error: ProcurelinkError,
    *,
    partner_id: str | None = None,
    correlation_id: str | None = None,
    order_number: str | None = None,
    document_id: str | None = None,
    message_id: str | None = None,
    payload: dict[str, Any] | None = None,
    approvable: bool = False,
) -> int:
    """Open an exception row for ``error`` and write its audit entry, in ``uow``."""
    now = deps.clock.now()
    data = {"error": error.to_dict(), **(payload or {})}
    exception_id = await uow.exceptions.open(
        NewException(
            reason_code=error.code,
            message=error.message,
            partner_id=partner_id,
            correlation_id=correlation_id,
            order_number=order_number,
            document_id=document_id,
            message_id=message_id,
            payload=data,
            approvable=approvable,
        ),
        now,
    )
    await uow.audit.append(
        AuditEntry(
            at=now,
            actor="procurelink",
            action="exception_raised",
            correlation_id=correlation_id,
            order_number=order_number,
            subject=f"exception {exception_id}: {error.code}",
            after={"message": error.message, "details": _jsonable(error.details)},
        )
    )
    return exception_id


def exception_event(
    deps: Deps, exception_id: int, error: ProcurelinkError, correlation_id: str | None, **kw: Any
) -> BusinessEvent:
    return ExceptionRaised(
        event_id=deps.new_id(),
        occurred_at=deps.clock.now(),
        correlation_id=correlation_id or f"exception-{exception_id}",
        data={"exception_id": exception_id, "code": error.code, "message": error.message},
        **kw,
    )


def _jsonable(details: Any) -> dict[str, Any]:
    return {
        str(k): v if isinstance(v, str | int | float | bool | None) else str(v)
        for k, v in dict(details).items()
    }
