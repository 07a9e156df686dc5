"""Late delivery receipts: recorded once when positive, an exception when negative or forged."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from procurelink.adapters.bus.memory import InProcessBus
from procurelink.adapters.clock import SystemClock
from procurelink.adapters.store import SqlStore, create_store, migrate
from procurelink.ports.records import ExceptionStatus
from procurelink.services.context import Deps
from procurelink.services.delivery_receipts import DeliveryReceiptService, ReceiptNotice


@pytest.fixture
async def service(tmp_path: Path) -> AsyncIterator[tuple[DeliveryReceiptService, SqlStore]]:
    url = f"sqlite:///{tmp_path / 'r.db'}"
    await migrate(url)
    store = create_store(url)
    deps = Deps(
        store=store,
        clock=SystemClock(),
        partners=None,
        router=None,
        erp=None,
        bus=InProcessBus(),
    )  # type: ignore[arg-type]
    yield DeliveryReceiptService(deps), store
    await store.close()


def notice(**overrides: object) -> ReceiptNotice:
    values: dict[str, object] = {
        "channel": "as2",
        "partner_id": "nordcast",
        "message_ref": "procurelink-m1@acme.test",
        "outbound_message_id": "m1",
        "positive": True,
        "disposition": "processed",
    }
    return ReceiptNotice(**{**values, **overrides})  # type: ignore[arg-type]


async def open_codes(store: SqlStore) -> list[str]:
    async with store.unit_of_work() as uow:
        return [x.reason_code for x in await uow.exceptions.list(status=ExceptionStatus.OPEN)]


async def test_a_positive_receipt_is_recorded_once(
    service: tuple[DeliveryReceiptService, SqlStore],
) -> None:
    receipts, store = service
    assert await receipts.record(notice()) is True
    assert await receipts.record(notice()) is False
    async with store.unit_of_work() as uow:
        effect = await uow.effects.get("receipt:as2:m1")
    assert effect is not None and effect.result["disposition"] == "processed"
    assert await open_codes(store) == []


async def test_a_negative_receipt_opens_an_exception_naming_the_disposition(
    service: tuple[DeliveryReceiptService, SqlStore],
) -> None:
    receipts, store = service
    await receipts.record(notice(positive=False, disposition="processed/Error: decryption-failed"))
    async with store.unit_of_work() as uow:
        [refused] = await uow.exceptions.list(status=ExceptionStatus.OPEN)
    assert refused.reason_code == "delivery_refused"
    assert "decryption-failed" in refused.message and refused.partner_id == "nordcast"


async def test_a_receipt_that_proves_nothing_is_an_exception_not_a_delivery(
    service: tuple[DeliveryReceiptService, SqlStore],
) -> None:
    receipts, store = service
    await receipts.record(notice(problem="MIC mismatch: we sent a=, the MDN says b="))
    async with store.unit_of_work() as uow:
        assert await uow.effects.get("receipt:as2:m1") is None
    assert await open_codes(store) == ["receipt_untrusted"]
