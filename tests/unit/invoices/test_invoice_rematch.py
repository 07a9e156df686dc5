"""An invoice already with a buyer for want of goods is matched again when they arrive later."""

from __future__ import annotations

from collections.abc import AsyncIterator
from decimal import Decimal
from pathlib import Path

import pytest
from invoice_builders import inv_line, invoice, ledger_order
from invoice_world import MESSAGE, SUPPLIER, World, make_world

from procurelink.adapters.partners.yaml_directory import PartnerRegistry
from procurelink.domain.events import BillCreated, ExceptionRaised, ExceptionResolved
from procurelink.domain.receipt import GoodsReceipt, ReceiptLine
from procurelink.domain.tolerances import MatchTolerances
from procurelink.domain.values import Quantity
from procurelink.ports.records import ExceptionStatus, JobStatus
from procurelink.services.approvals import ApprovalService
from procurelink.services.invoices import INVOICE_JOB
from procurelink.services.receipts import RECEIPT_JOB, ReceiptService


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[World]:
    """Nothing received yet, and no grace: a quantity billed early is an exception at once
    (as after a grace period that ran out)."""
    w = await make_world(tmp_path)
    w.erp.received = {}
    strict = SUPPLIER.model_copy(
        update={"invoice_match": MatchTolerances(price_pct=Decimal(2), receipt_grace_days=0)}
    )
    w.deps.partners = PartnerRegistry([strict])
    async with w.store.unit_of_work() as uow:
        await uow.ledger.save(ledger_order(received=("0", "0")))
        await uow.commit()
    yield w
    await w.store.close()


def goods(number: str, qty: str, line_no: str = "1", uom: str = "unit") -> GoodsReceipt:
    return GoodsReceipt(
        document_id=f"gr-{number}",
        partner_id="steelworks",
        correlation_id="x",
        receipt_number=number,
        order_number="PO42",
        received_at=MESSAGE.received_at,
        lines=(ReceiptLine(order_line_no=line_no, quantity=Quantity(value=Decimal(qty), uom=uom)),),
    )


async def audit(world: World) -> list[tuple[str, str, str]]:
    async with world.store.unit_of_work() as uow:
        rows = await uow.audit.list(correlation_id="corr-42")
    return [(a.actor, a.action, a.subject) for a in rows]


async def invoice_jobs(world: World) -> list[dict[str, object]]:
    async with world.store.unit_of_work() as uow:
        return [j.payload for j in await uow.jobs.list() if j.kind == INVOICE_JOB]


async def test_quantity_exception_is_matched_and_resolved_when_the_goods_arrive(
    world: World,
) -> None:
    service = world.service("when_matched")
    await service.receive(MESSAGE, invoice(inv_line("1", "100", "0.12")), "k1")
    await world.drain(service)
    [exc] = await world.exceptions()
    assert [d["kind"] for d in exc.payload["discrepancies"]] == ["quantity_over_received"]
    assert world.erp.bills == {}

    await ReceiptService(world.deps).receive(MESSAGE, goods("GR-7", "100"), "gr7")
    await world.drain(service)

    [(write, state)] = world.erp.bills.values()
    assert (state, write.vendor_ref) == ("posted", "INV-1")  # the normal path's policy
    assert [(ln.odoo_line_id, ln.quantity) for ln in write.lines] == [(100, Decimal(100))]
    [done] = await world.exceptions()
    assert done.id == exc.id
    assert (done.status, done.resolved_by) == (ExceptionStatus.RESOLVED, "procurelink")
    assert done.resolution_note == "matched after receipt GR-7: bill 1"
    trail = await audit(world)
    assert (
        "procurelink",
        "exception_resolved",
        f"exception {exc.id}: invoice_mismatch of invoice INV-1 matched after receipt GR-7: bill 1",
    ) in trail
    assert [a for _, a, _ in trail][-2:] == ["bill_posted", "exception_resolved"]
    events = [type(e) for e in world.bus.published]
    assert events == [ExceptionRaised, BillCreated, ExceptionResolved]
    [created] = [e for e in world.bus.published if isinstance(e, BillCreated)]
    assert (created.data["bill_id"], created.data["state"]) == (1, "posted")
    assert created.data["approved_by"] is None

    # The same receipt replayed, or the job run again: one bill, nothing more to resolve.
    async with world.store.unit_of_work() as uow:
        [rematch] = [
            j
            for j in await uow.jobs.list(status=JobStatus.DONE)
            if j.kind == INVOICE_JOB and "rematch_of" in j.payload
        ]
    await service.apply_job(rematch)
    assert len(world.erp.bills) == 1
    assert len(world.bus.published) == 3


async def test_a_partial_receipt_leaves_the_exception_open_until_the_rest_arrives(
    world: World,
) -> None:
    service = world.service()
    await service.receive(MESSAGE, invoice(inv_line("1", "100", "0.12")), "k1")
    await world.drain(service)
    [exc] = await world.exceptions()

    await ReceiptService(world.deps).receive(MESSAGE, goods("GR-1", "60"), "gr1")
    await world.drain(service)
    assert world.erp.bills == {}
    [still] = await world.exceptions()
    assert still.status == ExceptionStatus.OPEN and still.message == exc.message
    [note] = [s for _, a, s in await audit(world) if a == "invoice_rematched"]
    assert note.startswith("invoice INV-1 after receipt GR-1: still line 1: bills 100 unit")
    assert note.endswith(f"(exception {exc.id} stays open)")

    await ReceiptService(world.deps).receive(MESSAGE, goods("GR-2", "40"), "gr2")
    await world.drain(service)
    [(write, state)] = world.erp.bills.values()
    assert (state, write.lines[0].quantity) == ("draft", Decimal(100))
    [done] = await world.exceptions()
    assert done.status == ExceptionStatus.RESOLVED
    assert done.resolution_note == "matched after receipt GR-2: bill 1"


async def test_a_price_mismatch_stays_an_exception_when_goods_arrive(world: World) -> None:
    service = world.service()
    # Billed before the goods *and* at another price: the goods cannot cure the price.
    await service.receive(MESSAGE, invoice(inv_line("1", "100", "0.20")), "k1")
    await world.drain(service)
    [exc] = await world.exceptions()
    kinds = {d["kind"] for d in exc.payload["discrepancies"]}
    assert kinds == {"quantity_over_received", "price_variance"}

    await ReceiptService(world.deps).receive(MESSAGE, goods("GR-1", "100"), "gr1")
    await world.drain(service)
    assert world.erp.bills == {}
    [still] = await world.exceptions()
    assert still.status == ExceptionStatus.OPEN
    assert [p for p in await invoice_jobs(world) if "rematch_of" in p] == []  # not even tried


async def test_only_quantity_exceptions_of_the_same_order_are_rematched(world: World) -> None:
    world.erp.received = {100: Decimal(100)}
    async with world.store.unit_of_work() as uow:
        await uow.ledger.save(ledger_order(received=("100", "0")))
        await uow.commit()
    service = world.service()
    await service.receive(MESSAGE, invoice(inv_line("1", "100", "0.30")), "k1")  # price only
    await world.drain(service)
    [exc] = await world.exceptions()
    assert [d["kind"] for d in exc.payload["discrepancies"]] == ["price_variance"]
    await ReceiptService(world.deps).receive(MESSAGE, goods("GR-1", "50", "2", "kg"), "gr1")
    await world.drain(service)
    assert [p for p in await invoice_jobs(world) if "rematch_of" in p] == []
    assert world.erp.bills == {}
    assert (await world.exceptions())[0].status == ExceptionStatus.OPEN


async def test_a_buyer_who_decided_first_wins(world: World) -> None:
    service = world.service()
    await service.receive(MESSAGE, invoice(inv_line("1", "100", "0.12")), "k1")
    await world.drain(service)
    [exc] = await world.exceptions()

    receipts = ReceiptService(world.deps)
    await receipts.receive(MESSAGE, goods("GR-1", "100"), "gr1")
    async with world.store.unit_of_work() as uow:
        [job] = [j for j in await uow.jobs.list(status=JobStatus.QUEUED) if j.kind == RECEIPT_JOB]
    await receipts.apply_job(job)  # the receipt is in; its re-match is queued, not run yet
    assert [p["rematch_of"] for p in await invoice_jobs(world) if "rematch_of" in p] == [exc.id]

    await ApprovalService(world.deps).reject(exc.id, "jane", "supplier sends a new invoice")
    await world.drain(service)
    assert world.erp.bills == {}
    [rejected] = await world.exceptions()
    assert (rejected.status, rejected.resolved_by) == (ExceptionStatus.REJECTED, "jane")
    assert "exception_resolved" not in [a for _, a, _ in await audit(world)]
