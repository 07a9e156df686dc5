"""Raw messages (immutable bytes) and the canonical documents decoded from them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row, select, update

from procurelink.adapters.store.database import Database
from procurelink.adapters.store.errors import DuplicateRecord
from procurelink.adapters.store.tables import documents, messages
from procurelink.errors import DuplicateMessage
from procurelink.ports.records import Direction, RawMessage, StoredDocument


def _message(row: Row[Any]) -> RawMessage:
    return RawMessage(
        id=row.id,
        direction=Direction(row.direction),
        partner_id=row.partner_id,
        channel=row.channel,
        body=bytes(row.body),
        sha256=row.sha256,
        received_at=row.received_at,
        correlation_id=row.correlation_id,
        filename=row.filename,
        content_type=row.content_type,
        metadata=row.metadata,
    )


def _document(row: Row[Any]) -> StoredDocument:
    return StoredDocument(
        id=row.id,
        document_type=row.document_type,
        partner_id=row.partner_id,
        correlation_id=row.correlation_id,
        body=row.body,
        created_at=row.created_at,
        message_id=row.message_id,
        business_key=row.business_key,
        schema_version=row.schema_version,
    )


class SqlMessageRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def add(self, message: RawMessage) -> None:
        # ON CONFLICT instead of catching the IntegrityError: on PostgreSQL a failed INSERT
        # would poison the whole transaction, and the caller may want to carry on.
        statement = (
            self._db.insert(messages)
            .values(
                id=message.id,
                direction=message.direction.value,
                partner_id=message.partner_id,
                channel=message.channel,
                body=message.body,
                sha256=message.sha256,
                received_at=message.received_at,
                correlation_id=message.correlation_id,
                filename=message.filename,
                content_type=message.content_type,
                metadata=message.metadata,
            )
            .on_conflict_do_nothing(index_elements=[messages.c.id])
            .returning(messages.c.id)
        )
        if (await self._db.execute(statement)).first() is None:
            raise DuplicateMessage(
                f"Message {message.id} is already stored; stored messages never change",
                message_id=message.id,
            )

    async def get(self, message_id: str) -> RawMessage | None:
        row = (await self._db.execute(select(messages).where(messages.c.id == message_id))).first()
        return _message(row) if row else None

    async def find_by_hash(
        self, partner_id: str | None, sha256: str, direction: Direction
    ) -> RawMessage | None:
        partner = (
            messages.c.partner_id.is_(None)
            if partner_id is None
            else messages.c.partner_id == partner_id
        )
        statement = (
            select(messages)
            .where(partner, messages.c.sha256 == sha256, messages.c.direction == direction.value)
            .order_by(messages.c.received_at, messages.c.id)
            .limit(1)
        )
        row = (await self._db.execute(statement)).first()
        return _message(row) if row else None

    async def list_by_correlation(self, correlation_id: str) -> list[RawMessage]:
        statement = (
            select(messages)
            .where(messages.c.correlation_id == correlation_id)
            .order_by(messages.c.received_at, messages.c.id)
        )
        return [_message(row) for row in await self._db.execute(statement)]

    async def link_correlation(self, message_id: str, correlation_id: str) -> None:
        # The only column of a stored message that may change: the thread it belongs to is
        # known only after decoding.
        await self._db.execute(
            update(messages)
            .where(messages.c.id == message_id)
            .values(correlation_id=correlation_id)
        )


class SqlDocumentRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def add(self, document: StoredDocument) -> None:
        statement = (
            self._db.insert(documents)
            .values(
                id=document.id,
                document_type=document.document_type,
                partner_id=document.partner_id,
                correlation_id=document.correlation_id,
                body=document.body,
                created_at=document.created_at,
                message_id=document.message_id,
                business_key=document.business_key,
                schema_version=document.schema_version,
            )
            .on_conflict_do_nothing(index_elements=[documents.c.id])
            .returning(documents.c.id)
        )
        if (await self._db.execute(statement)).first() is None:
            raise DuplicateRecord(
                f"Document {document.id} is already stored", document_id=document.id
            )

    async def get(self, document_id: str) -> StoredDocument | None:
        row = (
            await self._db.execute(select(documents).where(documents.c.id == document_id))
        ).first()
        return _document(row) if row else None

    async def list_by_correlation(self, correlation_id: str) -> list[StoredDocument]:
        statement = (
            select(documents)
            .where(documents.c.correlation_id == correlation_id)
            .order_by(documents.c.created_at, documents.c.id)
        )
        return [_document(row) for row in await self._db.execute(statement)]

    async def find_by_business_key(
        self, partner_id: str, business_key: str
    ) -> StoredDocument | None:
        """The latest version when a partner sent the same business document again."""
        statement = (
            select(documents)
            .where(documents.c.partner_id == partner_id, documents.c.business_key == business_key)
            .order_by(documents.c.created_at.desc(), documents.c.id.desc())
            .limit(1)
        )
        row = (await self._db.execute(statement)).first()
        return _document(row) if row else None
