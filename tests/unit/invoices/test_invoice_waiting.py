"""Invoices that come before their goods wait for the receipt, within the partner's grace."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from invoice_builders import inv_line, invoice, ledger_order
from invoice_world import MESSAGE, SUPPLIER, World, make_world

from procurelink.adapters.partners.yaml_directory import PartnerRegistry
from procurelink.domain.events import BillCreated
from procurelink.domain.receipt import GoodsReceipt, ReceiptLine
from procurelink.domain.tolerances import MatchTolerances
from procurelink.domain.values import Quantity
from procurelink.ports.records import JobStatus
from procurelink.services.receipts import ReceiptService


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[World]:
    w = await make_world(tmp_path)
    w.erp.received = {}  # nothing has arrived yet
    async with w.store.unit_of_work() as uow:
        await uow.ledger.save(ledger_order(received=("0", "0")))
        await uow.commit()
    yield w
    await w.store.close()


def goods(qty: str) -> GoodsReceipt:
    return GoodsReceipt(
        document_id="gr-1",
        partner_id="steelworks",
        correlation_id="x",
        receipt_number="GR-1",
        order_number="PO42",
        received_at=MESSAGE.received_at,
        lines=(ReceiptLine(order_line_no="1", quantity=Quantity(value=Decimal(qty), uom="unit")),),
    )


async def actions(world: World) -> list[str]:
    async with world.store.unit_of_work() as uow:
        return [a.action for a in await uow.audit.list(correlation_id="corr-42")]


async def test_invoice_first_then_the_receipt_becomes_a_bill_without_exception(
    world: World,
) -> None:
    service = world.service()
    await service.receive(MESSAGE, invoice(inv_line("1", "100", "0.12")), "k1")
    await world.drain(service)
    assert world.erp.bills == {}
    assert await world.exceptions() == []
    assert "invoice_awaiting_receipt" in await actions(world)  # on the order's timeline
    async with world.store.unit_of_work() as uow:
        [recheck] = await uow.jobs.list(status=JobStatus.QUEUED)
    assert recheck.payload == {"document_id": "doc-1", "recheck": 0}
    assert recheck.next_attempt_at == world.clock.now() + timedelta(hours=1)

    await ReceiptService(world.deps).receive(MESSAGE, goods("100"), "gr")
    await world.drain(service)  # the receipt job wakes the invoice: no waiting for the re-check
    [(write, state)] = world.erp.bills.values()
    assert (state, write.lines[0].quantity) == ("draft", Decimal(100))
    assert await world.exceptions() == []
    [event] = [e for e in world.bus.published if isinstance(e, BillCreated)]
    assert (event.order_number, event.data["bill_id"], event.data["state"]) == ("PO42", 1, "draft")
    assert event.data["invoice_number"] == "INV-1"

    world.clock.advance(timedelta(days=10))  # the old re-check comes due: it ends quietly
    await world.drain(service)
    assert len(world.erp.bills) == 1
    assert await world.exceptions() == []
    assert await actions(world) == [
        "invoice_received",
        "invoice_awaiting_receipt",
        "goods_receipt_received",
        "receipt_posted",
        "bill_drafted",
    ]


async def test_a_partial_receipt_keeps_the_invoice_waiting(world: World) -> None:
    service = world.service()
    await service.receive(MESSAGE, invoice(inv_line("1", "100", "0.12")), "k1")
    await world.drain(service)
    await ReceiptService(world.deps).receive(MESSAGE, goods("60"), "gr")
    await world.drain(service)
    assert world.erp.bills == {}
    assert await world.exceptions() == []
    async with world.store.unit_of_work() as uow:
        queued = await uow.jobs.list(status=JobStatus.QUEUED)
    # The wake-up parked it again: one re-check counts, the first one is superseded.
    assert sorted(j.payload.get("recheck") for j in queued) == [0, 0]


async def test_no_receipt_within_the_grace_period_becomes_an_exception(world: World) -> None:
    service = world.service()
    await service.receive(MESSAGE, invoice(inv_line("1", "100", "0.12")), "k1")
    start = world.clock.now()
    await world.drain(service)
    rechecks = 0
    while world.clock.now() < start + timedelta(days=5) - timedelta(hours=1):
        world.clock.advance(timedelta(hours=1))
        rechecks += sum(r.outcome == "done" for r in await world.drain(service))
        assert await world.exceptions() == [], world.clock.now()
    assert 5 <= rechecks <= 10  # backoff: hourly at first, then daily, not every hour
    world.clock.advance(timedelta(hours=1))  # the grace (5 days by default) is over
    await world.drain(service)
    [exc] = await world.exceptions()
    assert exc.reason_code == "invoice_mismatch" and exc.approvable
    assert [d["kind"] for d in exc.payload["discrepancies"]] == ["quantity_over_received"]
    assert "no receipt by 2025-04-25T08:00" in exc.message
    world.clock.advance(timedelta(days=30))
    assert await world.drain(service) == []  # nothing left that re-checks
    assert len(await world.exceptions()) == 1


async def test_the_grace_period_is_the_partners(world: World) -> None:
    strict = SUPPLIER.model_copy(update={"invoice_match": MatchTolerances(receipt_grace_days=0)})
    world.deps.partners = PartnerRegistry([strict])
    service = world.service()
    await service.receive(MESSAGE, invoice(inv_line("1", "100", "0.12")), "k1")
    await world.drain(service)
    [exc] = await world.exceptions()
    assert exc.payload["discrepancies"][0]["kind"] == "quantity_over_received"
    assert "invoice_awaiting_receipt" not in await actions(world)


async def test_more_than_ordered_never_waits(world: World) -> None:
    service = world.service()
    await service.receive(MESSAGE, invoice(inv_line("1", "120", "0.12")), "k1")  # 100 ordered
    await world.drain(service)
    [exc] = await world.exceptions()
    assert exc.payload["discrepancies"][0]["kind"] == "quantity_over_received"
    assert "invoice_awaiting_receipt" not in await actions(world)
