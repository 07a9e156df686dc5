"""Raw messages are stored once, unchanged, and found again by hash; documents by key."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from procurelink.adapters.store import SqlStore
from procurelink.adapters.store.errors import DuplicateRecord
from procurelink.errors import DuplicateMessage
from procurelink.ports.records import Direction, RawMessage, StoredDocument

BODY = bytes(range(256)) + b"\x00ISA*00*~\r\n"


def message(
    message_id: str,
    now: datetime,
    body: bytes = BODY,
    partner_id: str | None = "acme",
    direction: Direction = Direction.INBOUND,
    correlation_id: str | None = None,
) -> RawMessage:
    return RawMessage(
        id=message_id,
        direction=direction,
        partner_id=partner_id,
        channel="sftp",
        body=body,
        sha256=hashlib.sha256(body).hexdigest(),
        received_at=now,
        correlation_id=correlation_id,
        filename="PO_4711.x12",
        content_type="application/edi-x12",
        metadata={"remote_path": "/out/PO_4711.x12", "size": len(body), "nested": {"a": [1]}},
    )


def document(doc_id: str, now: datetime, business_key: str | None = "PO-1") -> StoredDocument:
    return StoredDocument(
        id=doc_id,
        document_type="order_response",
        partner_id="acme",
        correlation_id="corr-1",
        body={"order_number": "PO-1", "lines": [{"line_no": "10", "qty": "5.000"}]},
        created_at=now,
        message_id="m-1",
        business_key=business_key,
    )


async def test_a_message_reads_back_byte_for_byte(store: SqlStore, now: datetime) -> None:
    stored = message("m-1", now)
    async with store.unit_of_work() as uow:
        await uow.messages.add(stored)
        await uow.commit()

    async with store.unit_of_work() as uow:
        loaded = await uow.messages.get("m-1")

    assert loaded == stored
    assert loaded.received_at.tzinfo is not None
    assert loaded.received_at.utcoffset() == timedelta(0)


async def test_timestamps_in_another_zone_come_back_as_the_same_instant_in_utc(
    store: SqlStore, now: datetime
) -> None:
    local = now.astimezone(timezone(timedelta(hours=-5)))
    async with store.unit_of_work() as uow:
        await uow.messages.add(message("m-1", local))
        loaded = await uow.messages.get("m-1")

    assert loaded is not None
    assert loaded.received_at == now
    assert loaded.received_at.utcoffset() == timedelta(0)


async def test_a_stored_message_cannot_be_replaced(store: SqlStore, now: datetime) -> None:
    async with store.unit_of_work() as uow:
        await uow.messages.add(message("m-1", now))
        with pytest.raises(DuplicateMessage):
            await uow.messages.add(message("m-1", now, body=b"something else"))
        # The refused insert must not poison the transaction (PostgreSQL would).
        await uow.messages.add(message("m-2", now, body=b"next"))
        await uow.commit()

    async with store.unit_of_work() as uow:
        first = await uow.messages.get("m-1")
        assert first is not None
        assert first.body == BODY
        assert await uow.messages.get("m-2") is not None


async def test_find_by_hash_matches_partner_and_direction(store: SqlStore, now: datetime) -> None:
    digest = hashlib.sha256(BODY).hexdigest()
    async with store.unit_of_work() as uow:
        await uow.messages.add(message("first", now))
        await uow.messages.add(message("again", now + timedelta(minutes=5)))
        await uow.messages.add(message("other-partner", now, partner_id="globex"))
        await uow.messages.add(message("anonymous", now, partner_id=None))
        await uow.messages.add(message("outbound", now, direction=Direction.OUTBOUND))

        found = await uow.messages.find_by_hash("acme", digest, Direction.INBOUND)
        anonymous = await uow.messages.find_by_hash(None, digest, Direction.INBOUND)
        out = await uow.messages.find_by_hash("acme", digest, Direction.OUTBOUND)
        unknown = await uow.messages.find_by_hash("initech", digest, Direction.INBOUND)
        other_hash = await uow.messages.find_by_hash("acme", "0" * 64, Direction.INBOUND)

    assert found is not None
    assert found.id == "first"
    assert anonymous is not None
    assert anonymous.id == "anonymous"
    assert out is not None
    assert out.id == "outbound"
    assert unknown is None
    assert other_hash is None


async def test_linking_a_message_to_its_order_thread(store: SqlStore, now: datetime) -> None:
    async with store.unit_of_work() as uow:
        await uow.messages.add(message("m-1", now))
        await uow.messages.add(message("m-2", now - timedelta(hours=1), correlation_id="c-1"))
        await uow.messages.add(message("m-3", now, correlation_id="c-2"))
        await uow.messages.link_correlation("m-1", "c-1")
        await uow.commit()

    async with store.unit_of_work() as uow:
        thread = await uow.messages.list_by_correlation("c-1")
        linked = await uow.messages.get("m-1")

    assert [m.id for m in thread] == ["m-2", "m-1"]
    assert linked is not None
    assert linked.correlation_id == "c-1"
    assert linked.body == BODY


async def test_documents_round_trip_and_list_by_thread(store: SqlStore, now: datetime) -> None:
    async with store.unit_of_work() as uow:
        await uow.documents.add(document("d-2", now + timedelta(seconds=1)))
        await uow.documents.add(document("d-1", now))
        await uow.documents.add(replace(document("d-3", now), correlation_id="corr-other"))
        await uow.commit()

    async with store.unit_of_work() as uow:
        loaded = await uow.documents.get("d-1")
        thread = await uow.documents.list_by_correlation("corr-1")
        missing = await uow.documents.get("nope")

    assert loaded == document("d-1", now)
    assert [d.id for d in thread] == ["d-1", "d-2"]
    assert missing is None


async def test_business_key_finds_the_latest_version(store: SqlStore, now: datetime) -> None:
    async with store.unit_of_work() as uow:
        await uow.documents.add(document("v1", now))
        await uow.documents.add(document("v2", now + timedelta(minutes=1)))
        await uow.documents.add(document("unkeyed", now + timedelta(minutes=2), None))
        latest = await uow.documents.find_by_business_key("acme", "PO-1")
        wrong_partner = await uow.documents.find_by_business_key("globex", "PO-1")

    assert latest is not None
    assert latest.id == "v2"
    assert wrong_partner is None


async def test_a_document_id_is_stored_once(store: SqlStore, now: datetime) -> None:
    async with store.unit_of_work() as uow:
        await uow.documents.add(document("d-1", now))
        with pytest.raises(DuplicateRecord):
            await uow.documents.add(document("d-1", now))
