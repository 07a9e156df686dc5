"""Supplier invoices: match -> bill once (posted per policy), mismatch -> exception -> approval."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from invoice_builders import inv_line, invoice, ledger_order
from invoice_world import MESSAGE, World, make_world

from procurelink.domain.events import BillCreated
from procurelink.domain.invoice import Invoice, InvoiceKind
from procurelink.errors import IllegalTransition
from procurelink.ports.erp import BillWrite
from procurelink.ports.records import ExceptionStatus, JobStatus
from procurelink.services.approvals import ApprovalService
from procurelink.services.jobs import replay_dead_job


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[World]:
    w = await make_world(tmp_path)
    yield w
    await w.store.close()


def _inv(price: str = "0.12", **kw: object) -> Invoice:
    return invoice(inv_line("1", "100", price), **kw)  # type: ignore[arg-type]


async def test_matched_invoice_becomes_one_draft_bill_linked_to_the_order_lines(
    world: World,
) -> None:
    service = world.service()
    await service.receive(MESSAGE, _inv(), "k1")
    assert await world.run(service) == 1
    [(write, state)] = world.erp.bills.values()
    assert state == "draft"  # policy "never": accounting posts
    assert (write.vendor_odoo_id, write.vendor_ref, write.move_type) == (7, "INV-1", "in_invoice")
    assert write.origin == "PO42"
    assert [(ln.odoo_line_id, ln.quantity, ln.price_unit) for ln in write.lines] == [
        (100, Decimal(100), Decimal("0.12"))
    ]
    assert await world.exceptions() == []
    async with world.store.unit_of_work() as uow:
        effect = await uow.effects.get("erp.bill:doc-1")
        audit = await uow.audit.list(correlation_id="corr-42")
    assert effect is not None and effect.result["bill_id"] == 1
    assert {"invoice_received", "bill_drafted"} <= {a.action for a in audit}


async def test_policy_when_matched_posts_the_bill(world: World) -> None:
    service = world.service("when_matched")
    await service.receive(MESSAGE, _inv(), "k1")
    await world.run(service)
    assert world.erp.posted == [1]


async def test_a_replayed_job_never_creates_a_second_bill(world: World) -> None:
    service = world.service()
    await service.receive(MESSAGE, _inv(), "k1")
    async with world.store.unit_of_work() as uow:
        [job] = await uow.jobs.list(status=JobStatus.QUEUED)
    await service.apply_job(job)
    await service.apply_job(job)  # replay: the effect key stops it
    assert len(world.erp.bills) == 1


async def test_a_bill_odoo_created_before_a_lost_answer_is_reused(world: World) -> None:
    service = world.service()
    inv = _inv()
    # The first attempt's create reached Odoo, its answer did not: no effect was recorded.
    lost = BillWrite(7, "INV-1", inv.invoice_date, "EUR", (), "in_invoice")
    await world.erp.create_draft_bill(lost)
    await service.receive(MESSAGE, inv, "k1")
    await world.run(service)
    assert len(world.erp.bills) == 1
    async with world.store.unit_of_work() as uow:
        effect = await uow.effects.get("erp.bill:doc-1")
    assert effect is not None and effect.result["bill_id"] == 1


async def test_the_same_invoice_number_again_is_recorded_as_a_duplicate(world: World) -> None:
    service = world.service()
    await service.receive(MESSAGE, _inv(), "k1")
    await service.receive(MESSAGE, _inv(document_id="doc-2"), "k2")
    assert await world.run(service) == 1
    assert len(world.erp.bills) == 1
    [exc] = await world.exceptions()
    assert exc.reason_code == "duplicate_invoice"
    assert not exc.approvable
    assert exc.payload["discrepancies"][0]["kind"] == "duplicate_invoice"


async def test_price_off_invoice_waits_for_a_buyer_then_becomes_a_draft(world: World) -> None:
    service = world.service("when_matched")
    await service.receive(MESSAGE, _inv(price="0.15"), "k1")  # 25 % over, tolerance 2 %
    await world.run(service)
    assert world.erp.bills == {}
    [exc] = await world.exceptions()
    assert exc.reason_code == "invoice_mismatch"
    assert exc.approvable
    [d] = exc.payload["discrepancies"]
    assert (d["kind"], d["line_no"], d["expected"], d["actual"]) == (
        "price_variance",
        "1",
        "0.12",
        "0.15",
    )
    assert "unit price 0.15, ordered at 0.12" in exc.message

    await ApprovalService(world.deps).approve(exc.id, "jane")
    assert await world.run(service) == 1
    [(write, state)] = world.erp.bills.values()
    assert state == "draft"  # an approved mismatch is never posted automatically
    assert write.lines[0].price_unit == Decimal("0.15")
    async with world.store.unit_of_work() as uow:
        audit = await uow.audit.list(correlation_id="corr-42")
    drafted = [a for a in audit if a.action == "bill_drafted"]
    assert [a.actor for a in drafted] == ["buyer:jane"]
    with pytest.raises(IllegalTransition):
        await ApprovalService(world.deps).approve(exc.id, "jane")


async def test_rejected_mismatch_creates_no_bill(world: World) -> None:
    service = world.service()
    await service.receive(MESSAGE, invoice(inv_line("1", "120", "0.12")), "k1")  # 100 received
    await world.run(service)
    [exc] = await world.exceptions()
    assert exc.payload["discrepancies"][0]["kind"] == "quantity_over_received"
    await ApprovalService(world.deps).reject(exc.id, "jane")
    assert await world.run(service) == 0
    assert world.erp.bills == {}
    async with world.store.unit_of_work() as uow:
        [rejected] = await uow.exceptions.list(status=ExceptionStatus.REJECTED)
    assert rejected.id == exc.id


async def test_invoice_for_an_unknown_order_is_refused_without_asking_odoo(world: World) -> None:
    service = world.service()
    await service.receive(MESSAGE, _inv(order_number="PO99"), "k1")
    assert await world.run(service) == 0
    [exc] = await world.exceptions()
    assert exc.reason_code == "invoice_refused"
    assert not exc.approvable


async def test_credit_note_becomes_a_refund_of_what_was_billed(world: World) -> None:
    service = world.service()
    await service.receive(MESSAGE, _inv(), "k1")
    await world.run(service)
    credit = invoice(
        inv_line("1", "30", "0.12"),
        kind=InvoiceKind.CREDIT_NOTE,
        number="CN-1",
        document_id="doc-cn",
    )
    await service.receive(MESSAGE, credit, "k2")
    await world.run(service)
    refund = [w for w, _ in world.erp.bills.values() if w.move_type == "in_refund"]
    assert [(w.vendor_ref, w.lines[0].quantity) for w in refund] == [("CN-1", Decimal(30))]
    too_much = invoice(
        inv_line("1", "80", "0.12"),
        kind=InvoiceKind.CREDIT_NOTE,
        number="CN-2",
        document_id="doc-cn2",
    )
    await service.receive(MESSAGE, too_much, "k3")
    await world.run(service)
    [exc] = await world.exceptions()
    assert exc.payload["discrepancies"][0]["kind"] == "credit_over_invoiced"


async def test_invoice_for_another_suppliers_order_is_refused_and_not_linked(world: World) -> None:
    async with world.store.unit_of_work() as uow:
        await uow.ledger.save(
            replace(
                ledger_order(), order_number="PO77", partner_id="polymer", correlation_id="corr-77"
            )
        )
        await uow.commit()
    service = world.service()
    await service.receive(MESSAGE, _inv(order_number="PO77"), "k1")
    assert await world.run(service) == 0
    [exc] = await world.exceptions()
    assert exc.reason_code == "invoice_refused"
    assert [d["kind"] for d in exc.payload["discrepancies"]] == ["wrong_supplier"]
    assert exc.correlation_id != "corr-77"


async def test_tax_rate_other_than_the_order_lines_is_an_approvable_discrepancy(
    world: World,
) -> None:
    world.erp.tax_rates = {100: Decimal(19), 101: Decimal(19)}
    service = world.service()
    await service.receive(MESSAGE, _inv(tax_rate="7"), "k1")
    await world.run(service)
    assert world.erp.bills == {}
    [exc] = await world.exceptions()
    assert exc.reason_code == "invoice_mismatch" and exc.approvable
    [d] = exc.payload["discrepancies"]
    assert (d["kind"], d["line_no"], d["expected"], d["actual"]) == ("tax_rate", "1", "19", "7")
    assert "line 1: tax 7%, order line 1 is taxed at 19%" in exc.message
    await ApprovalService(world.deps).approve(exc.id, "jane")
    await world.run(service)
    assert len(world.erp.bills) == 1


async def test_the_ordered_tax_rate_matches(world: World) -> None:
    world.erp.tax_rates = {100: Decimal(19)}
    service = world.service()
    await service.receive(MESSAGE, _inv(tax_rate="19"), "k1")
    await world.run(service)
    assert len(world.erp.bills) == 1
    assert await world.exceptions() == []


async def test_a_replayed_dead_invoice_job_keeps_one_exception_per_invoice(world: World) -> None:
    service = world.service()
    runner = world.runner(service)
    world.erp.fail_billing = 2
    await service.receive(MESSAGE, _inv(price="0.15"), "k1")  # a price mismatch, once read
    [dead] = await runner.drain()
    assert dead.outcome == "dead"
    [letter] = await world.exceptions()
    assert (letter.document_id, letter.payload["job_id"]) == ("doc-1", dead.job_id)

    assert await replay_dead_job(world.deps, dead.job_id)
    assert [r.outcome for r in await runner.drain()] == ["dead"]  # refused again
    assert [x.id for x in await world.exceptions()] == [letter.id]

    assert await replay_dead_job(world.deps, dead.job_id)
    assert [r.outcome for r in await runner.drain()] == ["done"]  # now the mismatch is seen
    async with world.store.unit_of_work() as uow:
        [mismatch] = await uow.exceptions.list(status=ExceptionStatus.OPEN)
        closed = await uow.exceptions.get(letter.id)
    assert mismatch.reason_code == "invoice_mismatch" and mismatch.document_id == "doc-1"
    assert closed is not None and closed.status == ExceptionStatus.RESOLVED
    assert closed.resolution_note == f"superseded by exception {mismatch.id}"

    async with world.store.unit_of_work() as uow:
        job = await uow.jobs.get(dead.job_id)
    assert job is not None
    await service.apply_job(job)  # any further run of the job: still that one exception
    async with world.store.unit_of_work() as uow:
        assert [x.id for x in await uow.exceptions.list(status=ExceptionStatus.OPEN)] == [
            mismatch.id
        ]
    raised = [e for e in world.bus.published if e.event_type == "exception_raised"]
    assert [e.data["exception_id"] for e in raised] == [mismatch.id]


async def test_a_bill_closes_the_dead_letter_of_its_invoice(world: World) -> None:
    service = world.service("when_matched")
    runner = world.runner(service)
    world.erp.fail_billing = 1
    await service.receive(MESSAGE, _inv(), "k1")
    [dead] = await runner.drain()
    assert await replay_dead_job(world.deps, dead.job_id)
    await runner.drain()
    assert world.erp.posted == [1]
    async with world.store.unit_of_work() as uow:
        assert await uow.exceptions.list(status=ExceptionStatus.OPEN) == []
    [event] = [e for e in world.bus.published if isinstance(e, BillCreated)]
    assert event.data["state"] == "posted" and event.data["name"] == "BILL/1"
    assert event.correlation_id == "corr-42" and event.partner_id == "steelworks"
