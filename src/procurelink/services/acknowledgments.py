"""Supplier acknowledgments: validate against the ledger, decide, and apply to Odoo."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

from procurelink.domain.events import AcknowledgmentApplied
from procurelink.domain.ledger import LedgerLine, LedgerOrder, OrderState
from procurelink.domain.response import OrderResponse
from procurelink.errors import IllegalTransition, PolicyViolation, UnknownOrder
from procurelink.ports.erp import AcknowledgmentWrite, LineUpdate, RejectedLine, RejectionPolicy
from procurelink.ports.records import AuditEntry, Effect, Job, NewJob, RawMessage
from procurelink.ports.store import UnitOfWork
from procurelink.services.context import Deps
from procurelink.services.documents import stored_document
from procurelink.services.effects import order_for_effect
from procurelink.services.recording import exception_event, record_exception
from procurelink.workflow.acknowledgment import Assessment, ChangeKind, LineChange, assess
from procurelink.workflow.lifecycle import Actor, sources_for

APPLY_JOB = "erp.apply_acknowledgment"


def order_partition(order: LedgerOrder) -> str:
    """All jobs of one order share a partition, so they run in the order they were queued."""
    return f"po:{order.odoo_id}" if order.odoo_id is not None else f"po:{order.order_number}"


class AcknowledgmentService:
    def __init__(self, deps: Deps) -> None:
        self._deps = deps

    async def receive(self, message: RawMessage, response: OrderResponse, key: str) -> None:
        """Judge an acknowledgment; queue its application or open an exception for a buyer.

        Raises UnknownOrder, WrongSupplier or UnknownOrderLine (nothing is written then).
        """
        deps = self._deps
        profile = deps.partner(response.partner_id)
        now = deps.clock.now()
        async with deps.store.unit_of_work() as uow:
            order = await uow.ledger.get(response.order_number)
            if order is None:
                raise UnknownOrder(
                    f"acknowledgment refers to order {response.order_number!r}, "
                    "which procurelink never sent",
                    order_number=response.order_number,
                )
            assessment = assess(order, response, profile.tolerances)
            response = response.model_copy(update={"correlation_id": order.correlation_id})
            await uow.messages.link_correlation(message.id, order.correlation_id)
            await uow.documents.add(stored_document(deps, response, message.id, key))
            await uow.audit.append(
                AuditEntry(
                    at=now,
                    actor=f"supplier:{profile.id}",
                    action="acknowledgment_received",
                    correlation_id=order.correlation_id,
                    order_number=order.order_number,
                    subject=f"{response.overall} ({len(response.lines)} line(s))",
                    after={
                        "document_id": response.document_id,
                        "changes": [c.to_dict() for c in assessment.changes],
                    },
                )
            )
            raised: tuple[int, PolicyViolation] | None = None
            payload = _apply_payload(order, response, assessment)
            if assessment.needs_approval:
                await uow.ledger.set_state(
                    order.order_number,
                    sources_for(OrderState.CHANGE_PENDING, Actor.SUPPLIER),
                    OrderState.CHANGE_PENDING,
                    now,
                )
                error = PolicyViolation(
                    f"{order.order_number}: {assessment.summary()}",
                    order_number=order.order_number,
                )
                exception_id = await record_exception(
                    deps,
                    uow,
                    error,
                    partner_id=profile.id,
                    correlation_id=order.correlation_id,
                    order_number=order.order_number,
                    document_id=response.document_id,
                    message_id=message.id,
                    payload={
                        "apply": payload,
                        "violations": [v.to_dict() for v in assessment.violations],
                    },
                    approvable=True,
                )
                raised = (exception_id, error)
            else:
                await enqueue_apply(deps, uow, order, payload)
            await uow.commit()
        if raised is not None:
            await deps.bus.publish(
                exception_event(
                    deps,
                    *raised,
                    order.correlation_id,
                    partner_id=profile.id,
                    order_number=order.order_number,
                )
            )

    async def apply_job(self, job: Job) -> None:
        """Write an accepted acknowledgment to Odoo once, then update ledger and audit."""
        deps = self._deps
        payload = job.payload
        effect_key = f"erp.ack:{payload['document_id']}"
        found = await order_for_effect(deps, effect_key, str(payload["order_number"]))
        if found is None:
            return
        order, _ = found
        if order.state in (OrderState.CANCELLED, OrderState.CLOSED):
            # Odoo would accept the write on a cancelled or locked order; the buyer must not
            # find supplier dates applied to an order that no longer stands.
            raise IllegalTransition(
                f"order {order.order_number} is {order.state}: acknowledgment not applied",
                order_number=order.order_number,
            )
        changes = [LineChange.from_dict(c) for c in payload["changes"]]
        actor = str(payload.get("actor") or f"supplier:{order.partner_id}")
        profile = deps.partners.get(order.partner_id)
        policy: RejectionPolicy = profile.rejected_lines if profile else "cancel"
        write = _erp_write(
            order, changes, payload.get("vendor_ref"), actor, str(payload["document_id"]), policy
        )
        await deps.erp.apply_acknowledgment(write)
        now = deps.clock.now()
        async with deps.store.unit_of_work() as uow:
            if not await uow.effects.record(
                Effect(
                    key=effect_key,
                    kind="erp.acknowledgment",
                    applied_at=now,
                    correlation_id=order.correlation_id,
                    job_id=job.id,
                    result={"lines": len(write.lines)},
                )
            ):
                return
            await uow.ledger.save(_updated(order, changes, write.vendor_ref, now, policy))
            await uow.ledger.set_state(
                order.order_number,
                sources_for(OrderState.CONFIRMED, Actor.SYSTEM),
                OrderState.CONFIRMED,
                now,
            )
            for change in changes:
                await uow.audit.append(
                    AuditEntry(
                        at=now,
                        actor=actor,
                        action="line_changed",
                        correlation_id=order.correlation_id,
                        order_number=order.order_number,
                        subject=f"line {change.line_no} {change.kind}",
                        before={"value": change.before},
                        after={"value": change.after},
                    )
                )
            await uow.audit.append(
                AuditEntry(
                    at=now,
                    actor=actor,
                    action="acknowledgment_applied",
                    correlation_id=order.correlation_id,
                    order_number=order.order_number,
                    subject=f"written to Odoo purchase.order {order.odoo_id}",
                    after={
                        "document_id": payload["document_id"],
                        "vendor_ref": write.vendor_ref,
                        "lines": len(write.lines),
                    },
                )
            )
            await uow.commit()
        await deps.bus.publish(
            AcknowledgmentApplied(
                event_id=deps.new_id(),
                occurred_at=now,
                correlation_id=order.correlation_id,
                partner_id=order.partner_id,
                order_number=order.order_number,
                data={"document_id": payload["document_id"], "changes": len(changes)},
            )
        )


async def enqueue_apply(
    deps: Deps, uow: UnitOfWork, order: LedgerOrder, payload: dict[str, Any]
) -> int:
    return await uow.jobs.enqueue(
        NewJob(
            kind=APPLY_JOB,
            payload=payload,
            correlation_id=order.correlation_id,
            partner_id=order.partner_id,
            partition_key=order_partition(order),
            dedupe_key=f"{APPLY_JOB}:{payload['document_id']}",
        ),
        deps.clock.now(),
    )


def _apply_payload(
    order: LedgerOrder, response: OrderResponse, assessment: Assessment
) -> dict[str, Any]:
    return {
        "order_number": order.order_number,
        "document_id": response.document_id,
        "vendor_ref": response.vendor_ref,
        "changes": [c.to_dict() for c in assessment.changes],
    }


def _erp_write(
    order: LedgerOrder,
    changes: list[LineChange],
    vendor_ref: Any,
    actor: str,
    document_id: str,
    policy: RejectionPolicy = "cancel",
) -> AcknowledgmentWrite:
    per_line: dict[int, LineUpdate] = {}
    notes: list[str] = []
    rejected: list[RejectedLine] = []
    for ch in changes:
        if ch.odoo_line_id is None:
            continue
        if ch.kind == ChangeKind.REJECT:
            # Odoo knows best what was received by now: the gateway cancels down to it.
            rejected.append(RejectedLine(ch.odoo_line_id, ch.line_no))
            notes.append(
                f"line {ch.line_no}: rejected by the supplier, "
                + (
                    "quantity cancelled down to what was already received"
                    if policy == "cancel"
                    else f"quantity {ch.before} kept for the buyer to decide"
                )
            )
            continue
        current = per_line.get(ch.odoo_line_id, LineUpdate(odoo_line_id=ch.odoo_line_id))
        if ch.kind == ChangeKind.DATE and ch.after:
            current = replace(current, date_planned=date.fromisoformat(ch.after))
        elif ch.kind == ChangeKind.QUANTITY and ch.after is not None:
            current = replace(current, product_qty=Decimal(ch.after))
        elif ch.kind == ChangeKind.PRICE:
            # Prices are contractual: procurelink records the supplier's proposal for the
            # buyer but never rewrites the order price on its own.
            notes.append(f"line {ch.line_no}: supplier proposes price {ch.after} (was {ch.before})")
            continue
        per_line[ch.odoo_line_id] = current
        notes.append(f"line {ch.line_no}: {ch.kind} {ch.before} -> {ch.after}")
    body = (
        f"Supplier acknowledgment {document_id} applied by procurelink ({actor}).\n"
        + ("\n".join(notes) if notes else "Accepted as ordered.")
        + f"\nCorrelation id: {order.correlation_id}"
    )
    return AcknowledgmentWrite(
        order_odoo_id=order.odoo_id or 0,
        vendor_ref=str(vendor_ref) if vendor_ref else None,
        lines=tuple(per_line.values()),
        note=body,
        rejected=tuple(rejected),
        rejections=policy,
    )


def _updated(
    order: LedgerOrder,
    changes: list[LineChange],
    vendor_ref: str | None,
    now: Any,
    policy: RejectionPolicy = "cancel",
) -> LedgerOrder:
    lines: dict[str, LedgerLine] = {ln.line_no: ln for ln in order.lines}
    for ch in changes:
        line = lines[ch.line_no]
        if ch.kind == ChangeKind.DATE and ch.after:
            lines[ch.line_no] = replace(line, requested_date=date.fromisoformat(ch.after))
        elif ch.kind == ChangeKind.QUANTITY and ch.after is not None:
            lines[ch.line_no] = replace(line, quantity=Decimal(ch.after))
        elif ch.kind == ChangeKind.REJECT and policy == "cancel":
            # What Odoo keeps: the received quantity (never less).
            lines[ch.line_no] = replace(line, quantity=line.received_quantity)
    return replace(
        order,
        lines=tuple(lines.values()),
        vendor_ref=vendor_ref or order.vendor_ref,
        updated_at=now,
    )
