"""The invoice job: its kind, how it is queued, and the keys it keeps its state under."""

from __future__ import annotations

from typing import Any

from procurelink.domain.ledger import LedgerOrder
from procurelink.ports.records import NewJob
from procurelink.ports.store import UnitOfWork
from procurelink.services.acknowledgments import order_partition
from procurelink.services.context import Deps

INVOICE_JOB = "erp.apply_invoice"
APPLY_KIND = "invoice"  # marks an exception whose approval queues INVOICE_JOB


def bill_effect_key(document_id: str) -> str:
    return f"erp.bill:{document_id}"


async def enqueue_invoice(
    deps: Deps, uow: UnitOfWork, order: LedgerOrder, payload: dict[str, Any]
) -> int:
    """Queue the match-and-bill job of one invoice (again, with ``actor``, once approved;
    again, with ``woken_by``, once a receipt it waits for was applied; again, with
    ``rematch_of``, once a receipt may cure its open quantity exception)."""
    suffix = ""
    if "exception_id" in payload:
        suffix = f":approved:{payload['exception_id']}"
    elif "rematch_of" in payload:
        suffix = f":rematch:{payload['rematch_of']}:{payload['woken_by']}"
    elif "woken_by" in payload:
        suffix = f":woken:{payload['woken_by']}"
    return await uow.jobs.enqueue(
        NewJob(
            kind=INVOICE_JOB,
            payload=payload,
            correlation_id=order.correlation_id,
            partner_id=order.partner_id,
            partition_key=order_partition(order),
            dedupe_key=f"{INVOICE_JOB}:{payload['document_id']}{suffix}",
        ),
        deps.clock.now(),
    )
