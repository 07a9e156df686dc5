"""Messages awaiting an asynchronous delivery receipt: kept, found, resolved once."""

from __future__ import annotations

from datetime import datetime, timedelta

from procurelink.adapters.store import SqlStore
from procurelink.ports.records import PendingReceipt


def pending(ref: str, at: datetime, **overrides: object) -> PendingReceipt:
    values: dict[str, object] = {
        "channel": "as2",
        "message_ref": ref,
        "partner_id": "nordcast",
        "sent_at": at,
        "data": {"mic": "abc=", "mic_algorithm": "sha256"},
        "outbound_message_id": f"msg-{ref}",
    }
    return PendingReceipt(**{**values, **overrides})  # type: ignore[arg-type]


async def test_a_pending_receipt_survives_the_unit_of_work(store: SqlStore, now: datetime) -> None:
    async with store.unit_of_work() as uow:
        await uow.pending_receipts.add(pending("m-2@acme", now + timedelta(seconds=1)))
        await uow.pending_receipts.add(pending("m-1@acme", now))
        await uow.pending_receipts.add(pending("m-1@acme", now, channel="other"))
        await uow.commit()

    async with store.unit_of_work() as uow:
        found = await uow.pending_receipts.get("as2", "m-1@acme")
        assert found == pending("m-1@acme", now)
        assert await uow.pending_receipts.get("as2", "m-9@acme") is None
        assert [p.message_ref for p in await uow.pending_receipts.waiting("as2")] == [
            "m-1@acme",
            "m-2@acme",
        ]
        assert len(await uow.pending_receipts.waiting()) == 3


async def test_resolved_once_and_no_longer_waiting(store: SqlStore, now: datetime) -> None:
    async with store.unit_of_work() as uow:
        await uow.pending_receipts.add(pending("m-1@acme", now))
        await uow.commit()
    later = now + timedelta(minutes=5)
    async with store.unit_of_work() as uow:
        assert await uow.pending_receipts.resolve("as2", "m-1@acme", later) is True
        assert await uow.pending_receipts.resolve("as2", "m-1@acme", later) is False
        assert await uow.pending_receipts.resolve("as2", "unknown", later) is False
        await uow.commit()
    async with store.unit_of_work() as uow:
        resolved = await uow.pending_receipts.get("as2", "m-1@acme")
        assert resolved is not None and resolved.resolved_at == later
        assert await uow.pending_receipts.waiting() == []


async def test_a_retried_send_waits_again_with_the_new_details(
    store: SqlStore, now: datetime
) -> None:
    async with store.unit_of_work() as uow:
        await uow.pending_receipts.add(pending("m-1@acme", now))
        await uow.pending_receipts.resolve("as2", "m-1@acme", now)
        retry = pending("m-1@acme", now + timedelta(minutes=1), data={"mic": "new="})
        await uow.pending_receipts.add(retry)
        await uow.commit()
    async with store.unit_of_work() as uow:
        assert await uow.pending_receipts.get("as2", "m-1@acme") == retry


async def test_uncommitted_records_are_rolled_back(store: SqlStore, now: datetime) -> None:
    async with store.unit_of_work() as uow:
        await uow.pending_receipts.add(pending("m-1@acme", now))
    async with store.unit_of_work() as uow:
        assert await uow.pending_receipts.get("as2", "m-1@acme") is None
