"""Rejected acknowledgment lines reach the ERP per the partner's ``rejected_lines`` policy."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from service_world import service_world

from procurelink.domain.ledger import LedgerLine, LedgerOrder, OrderState
from procurelink.domain.partner_profile import PartnerProfile
from procurelink.domain.response import LineStatus, OrderResponse, ResponseLine, ResponseStatus
from procurelink.ports.erp import AcknowledgmentWrite, RejectedLine
from procurelink.ports.records import Direction, JobStatus, RawMessage
from procurelink.services.acknowledgments import AcknowledgmentService

NOW = datetime(2025, 4, 20, 8, tzinfo=UTC)


class RecordingErp:
    def __init__(self) -> None:
        self.acks: list[AcknowledgmentWrite] = []

    async def apply_acknowledgment(self, write: AcknowledgmentWrite) -> None:
        self.acks.append(write)


def _profile(policy: str) -> PartnerProfile:
    return PartnerProfile.model_validate(
        {
            "id": "sw",
            "name": "SW",
            "codec": {"type": "json"},
            "channels": {"outbound": {"type": "directory"}},
            "tolerances": {"auto_apply_rejections": True},
            "rejected_lines": policy,
        }
    )


def _line(no: str, odoo_id: int, received: int) -> LedgerLine:
    q = Decimal(10)
    return LedgerLine(
        no, q, "unit", None, q, None, odoo_line_id=odoo_id, received_quantity=Decimal(received)
    )


@pytest.mark.parametrize(("policy", "kept"), [("cancel", [4, 10]), ("flag", [10, 10])])
async def test_rejected_line_is_cancelled_or_flagged(
    tmp_path: Path, policy: str, kept: list[int]
) -> None:
    erp = RecordingErp()
    order = LedgerOrder(
        order_number="P00042",
        partner_id="sw",
        correlation_id="corr-42",
        state=OrderState.SENT,
        revision=1,
        currency="EUR",
        updated_at=NOW,
        lines=(_line("1", 501, 4), _line("2", 502, 0)),
        odoo_id=42,
    )
    async with service_world(tmp_path, erp, order, [_profile(policy)]) as (deps, store):
        service = AcknowledgmentService(deps)
        response = OrderResponse(
            document_id="ack-1",
            partner_id="sw",
            correlation_id="ack-1",
            order_number="P00042",
            response_date=date(2025, 4, 19),
            overall=ResponseStatus.ACCEPTED_WITH_CHANGES,
            lines=(ResponseLine(line_no="1", status=LineStatus.REJECTED),),
        )
        message = RawMessage("m1", Direction.INBOUND, "sw", "api", b"{}", "0" * 64, NOW)
        await service.receive(message, response, "k")
        async with store.unit_of_work() as uow:
            [job] = await uow.jobs.list(status=JobStatus.QUEUED)
        await service.apply_job(job)
        [write] = erp.acks
        assert write.rejected == (RejectedLine(501, "1"),)
        assert write.rejections == policy
        assert write.lines == ()  # the quantity is the gateway's to set, from Odoo's received
        assert "line 1: rejected" in write.note and "corr-42" in write.note
        async with store.unit_of_work() as uow:
            saved = await uow.ledger.get("P00042")
        assert saved is not None
        assert [ln.quantity for ln in saved.lines] == kept
