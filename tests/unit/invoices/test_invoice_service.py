"""Supplier invoices: match -> bill once (posted per policy), mismatch -> exception -> approval."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from invoice_builders import inv_line, invoice, ledger_order
from invoice_world import MESSAGE, World, make_world

from procurelink.domain.invoice import Invoice, InvoiceKind
from procurelink.errors import IllegalTransition
from procurelink.ports.erp import BillWrite
from procurelink.ports.records import ExceptionStatus, JobStatus
from procurelink.services.approvals import ApprovalService


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
