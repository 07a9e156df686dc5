"""Quality results: a failed or held inspection becomes one quarantine move in the ERP."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from service_world import service_world

from procurelink.adapters.store import SqlStore
from procurelink.domain.ledger import LedgerLine, LedgerOrder, OrderState
from procurelink.domain.receipt import QualityResult, QualityVerdict
from procurelink.domain.values import Quantity
from procurelink.errors import PolicyViolation, UnknownOrderLine
from procurelink.ports.erp import HeldLine, QualityHold, QualityHoldWrite
from procurelink.ports.records import Direction, JobStatus, RawMessage
from procurelink.services.quality import QUALITY_HOLD_JOB, QualityService

NOW = datetime(2025, 4, 20, 8, tzinfo=UTC)
MESSAGE = RawMessage("m1", Direction.INBOUND, "plant1", "api", b"{}", "0" * 64, NOW)
ORDER = LedgerOrder(
    order_number="P00042",
    partner_id="sw",
    correlation_id="corr-42",
    state=OrderState.CONFIRMED,
    revision=1,
    currency="EUR",
    updated_at=NOW,
    lines=(
        LedgerLine(
            "1",
            Decimal(10),
            "unit",
            None,
            Decimal(10),
            None,
            odoo_line_id=501,
            received_quantity=Decimal(8),
        ),
    ),
    odoo_id=42,
    plant="WH2",
)


class RecordingErp:
    def __init__(self) -> None:
        self.holds: list[QualityHoldWrite] = []

    async def apply_quality_hold(self, write: QualityHoldWrite) -> None:
        self.holds.append(write)


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[tuple[QualityService, SqlStore, RecordingErp]]:
    erp = RecordingErp()
    quarantine = {"*": "stock.quarantine_all"}
    async with service_world(tmp_path, erp, ORDER, quarantine_locations=quarantine) as (
        deps,
        store,
    ):
        yield QualityService(deps), store, erp


def _result(verdict: QualityVerdict, rejected: int | None, line: str = "1") -> QualityResult:
    return QualityResult(
        document_id="qr-1",
        partner_id="plant1",
        correlation_id="qr-1",
        inspection_number="QI-1",
        order_number="P00042",
        order_line_no=line,
        lot="L7",
        verdict=verdict,
        rejected_qty=Quantity(value=Decimal(rejected)) if rejected is not None else None,
        defect_codes=("DIM-07",),
        inspected_at=NOW,
    )


async def test_failed_inspection_holds_the_rejected_quantity_once(
    world: tuple[QualityService, SqlStore, RecordingErp],
) -> None:
    service, store, erp = world
    await service.receive(MESSAGE, _result(QualityVerdict.FAILED, 3), "k")
    async with store.unit_of_work() as uow:
        [job] = await uow.jobs.list(status=JobStatus.QUEUED)
    assert job.kind == QUALITY_HOLD_JOB
    await service.apply_job(job)
    await service.apply_job(job)  # replayed: the effect key stops it
    assert erp.holds == [
        QualityHoldWrite(
            42,
            (HeldLine(501, Decimal(3), "L7"),),
            QualityHold(
                "stock.quarantine_all", "inspection QI-1 failed; DIM-07", "corr-42", "QI-1"
            ),
        )
    ]


async def test_passed_inspection_is_recorded_without_a_hold(
    world: tuple[QualityService, SqlStore, RecordingErp],
) -> None:
    service, store, _ = world
    await service.receive(MESSAGE, _result(QualityVerdict.PASSED, None), "k")
    async with store.unit_of_work() as uow:
        assert await uow.jobs.list(status=JobStatus.QUEUED) == []
        [entry] = await uow.audit.list(correlation_id="corr-42")
    assert entry.action == "quality_result_received"


@pytest.mark.parametrize(
    ("rejected", "line", "error"),
    [(9, "1", PolicyViolation), (None, "1", PolicyViolation), (1, "7", UnknownOrderLine)],
)
async def test_holds_that_do_not_fit_are_refused(
    world: tuple[QualityService, SqlStore, RecordingErp],
    rejected: int | None,
    line: str,
    error: type[Exception],
) -> None:
    service, store, _ = world
    with pytest.raises(error):
        await service.receive(MESSAGE, _result(QualityVerdict.HOLD, rejected, line), "k")
    async with store.unit_of_work() as uow:
        assert await uow.jobs.list(status=JobStatus.QUEUED) == []
