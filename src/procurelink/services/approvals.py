"""Buyers resolve exceptions: approve a proposed change (applied to Odoo) or reject it.

The proposal is an acknowledgment's line changes, or an invoice's bill despite its
discrepancies (``apply.kind == "invoice"``).
"""

from __future__ import annotations

from procurelink.domain.events import ExceptionResolved
from procurelink.domain.ledger import OrderState
from procurelink.errors import IllegalTransition, UnknownOrder
from procurelink.ports.records import AuditEntry, ExceptionRecord, ExceptionStatus
from procurelink.services.acknowledgments import enqueue_apply
from procurelink.services.context import Deps
from procurelink.services.invoices import APPLY_KIND, enqueue_invoice
from procurelink.workflow.lifecycle import Actor, sources_for


class ExceptionNotFound(IllegalTransition):
    """No such exception."""

    code = "exception_not_found"


class ApprovalService:
    def __init__(self, deps: Deps) -> None:
        self._deps = deps

    async def approve(self, exception_id: int, actor: str, note: str | None = None) -> None:
        """Approve an exception's proposed change; it is queued for writing to Odoo."""
        await self._resolve(exception_id, actor, ExceptionStatus.APPROVED, note)

    async def reject(self, exception_id: int, actor: str, note: str | None = None) -> None:
        """Refuse the proposed change; Odoo keeps the original commitment."""
        await self._resolve(exception_id, actor, ExceptionStatus.REJECTED, note)

    async def dismiss(self, exception_id: int, actor: str, note: str | None = None) -> None:
        """Close an informational exception (bad file, duplicate) once it has been dealt with."""
        await self._resolve(exception_id, actor, ExceptionStatus.RESOLVED, note)

    async def _resolve(
        self, exception_id: int, actor: str, status: ExceptionStatus, note: str | None
    ) -> None:
        deps = self._deps
        now = deps.clock.now()
        async with deps.store.unit_of_work() as uow:
            record = await uow.exceptions.get(exception_id)
            if record is None:
                raise ExceptionNotFound(f"exception {exception_id} does not exist")
            _check(record, status)
            if not await uow.exceptions.resolve(exception_id, status, actor, now, note):
                raise IllegalTransition(f"exception {exception_id} was resolved meanwhile")
            apply = record.payload.get("apply") or {}
            if record.approvable and apply.get("kind") == APPLY_KIND:
                # An invoice mismatch: approved, the bill is created as a draft; rejected,
                # no bill (the supplier must send a corrected invoice or a credit note).
                order = await uow.ledger.get(record.order_number or "")
                if order is None:
                    raise UnknownOrder(f"order {record.order_number} left the ledger")
                if status == ExceptionStatus.APPROVED:
                    payload = dict(apply, actor=f"buyer:{actor}", exception_id=exception_id)
                    await enqueue_invoice(deps, uow, order, payload)
            elif record.approvable and record.order_number:
                order = await uow.ledger.get(record.order_number)
                if order is None:
                    raise UnknownOrder(f"order {record.order_number} left the ledger")
                if status == ExceptionStatus.APPROVED:
                    payload = dict(
                        record.payload["apply"], actor=f"buyer:{actor}", exception_id=exception_id
                    )
                    await enqueue_apply(deps, uow, order, payload)
                else:
                    # The supplier's proposal is refused: the order stands as committed.
                    await uow.ledger.set_state(
                        order.order_number,
                        sources_for(OrderState.SENT, Actor.BUYER),
                        OrderState.SENT,
                        now,
                    )
            await uow.audit.append(
                AuditEntry(
                    at=now,
                    actor=f"buyer:{actor}",
                    action=f"exception_{status}",
                    correlation_id=record.correlation_id,
                    order_number=record.order_number,
                    subject=f"exception {exception_id}: {record.reason_code}",
                    after={"note": note} if note else None,
                )
            )
            await uow.commit()
        await deps.bus.publish(
            ExceptionResolved(
                event_id=deps.new_id(),
                occurred_at=now,
                correlation_id=record.correlation_id or f"exception-{exception_id}",
                partner_id=record.partner_id,
                order_number=record.order_number,
                data={"exception_id": exception_id, "status": str(status), "by": actor},
            )
        )


def _check(record: ExceptionRecord, status: ExceptionStatus) -> None:
    if record.status != ExceptionStatus.OPEN:
        raise IllegalTransition(
            f"exception {record.id} is already {record.status}", exception_id=record.id
        )
    if status == ExceptionStatus.APPROVED and not record.approvable:
        raise IllegalTransition(
            f"exception {record.id} ({record.reason_code}) carries no change to approve; "
            "dismiss it once handled",
            exception_id=record.id,
        )
    if status == ExceptionStatus.RESOLVED and record.approvable:
        raise IllegalTransition(
            f"exception {record.id} proposes a change: approve or reject it",
            exception_id=record.id,
        )
