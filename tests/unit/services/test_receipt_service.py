"""Goods receipts: ledger checks at intake, one Odoo write per receipt, ledger counts."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from service_world import service_world

from procurelink.adapters.store import SqlStore
from procurelink.domain.ledger import LedgerLine, LedgerOrder, OrderState
from procurelink.domain.partner_profile import PartnerProfile
from procurelink.domain.receipt import GoodsReceipt, ReceiptLine
from procurelink.domain.values import Quantity
from procurelink.errors import PolicyViolation, UnknownOrder, UnknownOrderLine
from procurelink.ports.erp import (
    QualityHold,
    ReceiptWrite,
    ReceivedLine,
    ReceivedLot,
    ReceivedPackage,
)
from procurelink.ports.records import Direction, JobStatus, RawMessage
from procurelink.services.receipts import RECEIPT_JOB, ReceiptService

SUPPLIER = PartnerProfile.model_validate(
    {
        "id": "sw",
        "name": "SW",
        "odoo": {"partner_id": 1},
        "codec": {"type": "json"},
        "channels": {"outbound": {"type": "directory"}},
        "tolerances": {"over_delivery_pct": "10"},
    }
)
NOW = datetime(2025, 4, 20, 8, tzinfo=UTC)


class RecordingErp:
    def __init__(self) -> None:
        self.receipts: list[ReceiptWrite] = []

    async def apply_receipt(self, write: ReceiptWrite) -> None:
        self.receipts.append(write)


def _line(no: str, qty: int, odoo_id: int) -> LedgerLine:
    q = Decimal(qty)
    return LedgerLine(no, q, "unit", None, q, None, odoo_line_id=odoo_id)


ORDER = LedgerOrder(
    order_number="P00042",
    partner_id="sw",
    correlation_id="corr-42",
    state=OrderState.CONFIRMED,
    revision=1,
    currency="EUR",
    updated_at=NOW,
    lines=(_line("1", 10, 501), _line("2", 4, 502)),
    odoo_id=42,
)


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[tuple[ReceiptService, SqlStore, RecordingErp]]:
    erp = RecordingErp()
    quarantine = {"WH2": "WH2/QC-Hold"}
    async with service_world(tmp_path, erp, ORDER, [SUPPLIER], quarantine_locations=quarantine) as (
        deps,
        store,
    ):
        yield ReceiptService(deps), store, erp


def _receipt(*lines: tuple[str, int], order: str = "P00042") -> GoodsReceipt:
    return GoodsReceipt(
        document_id="gr-1",
        partner_id="plant1",
        correlation_id="gr-1",
        receipt_number="GR-1",
        order_number=order,
        received_at=NOW,
        lines=tuple(
            ReceiptLine(order_line_no=no, quantity=Quantity(value=Decimal(q))) for no, q in lines
        ),
    )


MESSAGE = RawMessage("m1", Direction.INBOUND, "plant1", "api", b"{}", "0" * 64, NOW)


async def test_receipt_is_applied_once_and_counted(
    world: tuple[ReceiptService, SqlStore, RecordingErp],
) -> None:
    service, store, erp = world
    await service.receive(MESSAGE, _receipt(("1", 6), ("1", 1)), "k")
    async with store.unit_of_work() as uow:
        [job] = await uow.jobs.list(status=JobStatus.QUEUED)
    assert job.kind == RECEIPT_JOB
    await service.apply_job(job)
    await service.apply_job(job)  # a replay: the effect key stops it
    assert erp.receipts == [ReceiptWrite(42, (ReceivedLine(501, Decimal(7)),), "create")]
    async with store.unit_of_work() as uow:
        order = await uow.ledger.get("P00042")
    assert order is not None
    assert [ln.received_quantity for ln in order.lines] == [7, 0]


@pytest.mark.parametrize(
    ("lines", "order", "error"),
    [
        ((("1", 12),), "P00042", PolicyViolation),  # 10 open + 10 % = 11
        ((("9", 1),), "P00042", UnknownOrderLine),
        ((("1", 1),), "P99999", UnknownOrder),
    ],
)
async def test_receipts_not_fitting_the_ledger_are_refused(
    world: tuple[ReceiptService, SqlStore, RecordingErp],
    lines: tuple[tuple[str, int], ...],
    order: str,
    error: type[Exception],
) -> None:
    service, store, _ = world
    with pytest.raises(error):
        await service.receive(MESSAGE, _receipt(*lines, order=order), "k")
    async with store.unit_of_work() as uow:
        assert await uow.jobs.list(status=JobStatus.QUEUED) == []


async def test_tolerance_allows_a_small_over_delivery(
    world: tuple[ReceiptService, SqlStore, RecordingErp],
) -> None:
    service, store, _ = world
    await service.receive(MESSAGE, _receipt(("1", 11)), "k")
    async with store.unit_of_work() as uow:
        assert len(await uow.jobs.list(status=JobStatus.QUEUED)) == 1


async def test_held_quantities_go_to_the_plants_quarantine(
    world: tuple[ReceiptService, SqlStore, RecordingErp],
) -> None:
    service, store, erp = world
    receipt = GoodsReceipt(
        document_id="gr-2",
        partner_id="plant1",
        correlation_id="gr-2",
        receipt_number="GR-2",
        order_number="P00042",
        plant="WH2",
        received_at=NOW,
        lines=(
            ReceiptLine(
                order_line_no="1",
                quantity=Quantity(value=Decimal(6)),
                lot="L7",
                held_quantity=Decimal(2),
                hold_reason="dented",
            ),
            ReceiptLine(order_line_no="2", quantity=Quantity(value=Decimal(4))),
        ),
    )
    await service.receive(MESSAGE, receipt, "k2")
    async with store.unit_of_work() as uow:
        [job] = await uow.jobs.list(status=JobStatus.QUEUED)
    await service.apply_job(job)
    [write] = erp.receipts
    assert write.lines == (
        ReceivedLine(
            501,
            Decimal(6),
            (ReceivedLot("L7", Decimal(6)),),
            Decimal(2),
            (ReceivedLot("L7", Decimal(2)),),
        ),
        ReceivedLine(502, Decimal(4)),
    )
    assert write.hold == QualityHold("WH2/QC-Hold", "dented", "corr-42")
    async with store.unit_of_work() as uow:
        order = await uow.ledger.get("P00042")
    assert order is not None
    assert [ln.received_quantity for ln in order.lines] == [6, 4]  # held goods were received


async def test_packages_named_by_the_receipt_lines_reach_odoo(
    world: tuple[ReceiptService, SqlStore, RecordingErp],
) -> None:
    service, store, erp = world
    receipt = _receipt(("1", 1)).model_copy(
        update={
            "lines": (
                ReceiptLine(
                    order_line_no="1",
                    quantity=Quantity(value=Decimal(6)),
                    lot="L1",
                    sscc="003456789012345678",
                ),
                ReceiptLine(
                    order_line_no="1",
                    quantity=Quantity(value=Decimal(3)),
                    sscc="003456789012345685",
                ),
                ReceiptLine(order_line_no="2", quantity=Quantity(value=Decimal(4))),
            )
        }
    )
    await service.receive(MESSAGE, receipt, "k3")
    async with store.unit_of_work() as uow:
        [job] = await uow.jobs.list(status=JobStatus.QUEUED)
    await service.apply_job(job)
    [write] = erp.receipts
    assert write.lines == (
        ReceivedLine(
            501,
            Decimal(9),
            (ReceivedLot("L1", Decimal(6)),),
            packages=(
                ReceivedPackage("003456789012345678", Decimal(6), "L1"),
                ReceivedPackage("003456789012345685", Decimal(3)),
            ),
        ),
        ReceivedLine(502, Decimal(4)),
    )


def test_a_line_cannot_hold_more_than_it_received() -> None:
    with pytest.raises(ValueError, match="held"):
        ReceiptLine(
            order_line_no="1", quantity=Quantity(value=Decimal(2)), held_quantity=Decimal(3)
        )
