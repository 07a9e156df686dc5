"""One connection, one transaction, every repository of the MessageStore port."""

from __future__ import annotations

import asyncio
from types import TracebackType
from typing import Self

from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from procurelink.adapters.store.api_keys import SqlApiKeyRepository
from procurelink.adapters.store.database import Database
from procurelink.adapters.store.errors import TRANSLATABLE, translate
from procurelink.adapters.store.jobs import SqlJobRepository
from procurelink.adapters.store.ledger import SqlLedgerRepository
from procurelink.adapters.store.messages import SqlDocumentRepository, SqlMessageRepository
from procurelink.adapters.store.peers import SqlPeerRepository
from procurelink.adapters.store.pending_receipts import SqlPendingReceiptRepository
from procurelink.adapters.store.shipments import SqlShipmentRepository
from procurelink.adapters.store.sign_in_attempts import SqlSignInAttemptRepository
from procurelink.adapters.store.state import SqlKeyValueRepository
from procurelink.adapters.store.tracking import (
    SqlAuditRepository,
    SqlEffectRepository,
    SqlExceptionRepository,
)
from procurelink.ports.store import (
    ApiKeyRepository,
    AuditRepository,
    DocumentRepository,
    EffectRepository,
    ExceptionRepository,
    JobRepository,
    KeyValueRepository,
    LedgerRepository,
    MessageRepository,
    PeerRepository,
    PendingReceiptRepository,
    ShipmentRepository,
    SignInAttemptRepository,
)


class SqlUnitOfWork:
    """Use once, as ``async with store.unit_of_work() as uow``; not re-entrant.

    With a ``writer_lock`` (SQLite), the lock is held from entry to exit, so a coroutine must
    not open a second unit of work on the same store while inside one: it would wait forever.
    """

    # Typed as the port's protocols: the port declares them as plain (settable) attributes,
    # which a narrower type would not satisfy.
    messages: MessageRepository
    documents: DocumentRepository
    jobs: JobRepository
    effects: EffectRepository
    exceptions: ExceptionRepository
    audit: AuditRepository
    ledger: LedgerRepository
    state: KeyValueRepository
    api_keys: ApiKeyRepository
    shipments: ShipmentRepository
    pending_receipts: PendingReceiptRepository
    sign_in_attempts: SignInAttemptRepository
    peers: PeerRepository

    def __init__(self, engine: AsyncEngine, url: URL, writer_lock: asyncio.Lock | None) -> None:
        self._engine = engine
        self._url = url
        self._lock = writer_lock
        self._connection: AsyncConnection | None = None
        self._holds_lock = False

    async def __aenter__(self) -> Self:
        if self._connection is not None:
            raise RuntimeError("a unit of work cannot be entered twice")
        if self._lock is not None:
            await self._lock.acquire()
            self._holds_lock = True
        try:
            self._connection = await self._engine.connect()
        except TRANSLATABLE as exc:
            self._release()
            raise translate(exc, self._url) from exc
        except BaseException:
            self._release()
            raise
        db = Database(self._connection, self._url)
        self.messages = SqlMessageRepository(db)
        self.documents = SqlDocumentRepository(db)
        self.jobs = SqlJobRepository(db)
        self.effects = SqlEffectRepository(db)
        self.exceptions = SqlExceptionRepository(db)
        self.audit = SqlAuditRepository(db)
        self.ledger = SqlLedgerRepository(db)
        self.state = SqlKeyValueRepository(db)
        self.api_keys = SqlApiKeyRepository(db)
        self.shipments = SqlShipmentRepository(db)
        self.pending_receipts = SqlPendingReceiptRepository(db)
        self.sign_in_attempts = SqlSignInAttemptRepository(db)
        self.peers = SqlPeerRepository(db)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        connection = self._connection
        if connection is None:
            return
        try:
            if connection.in_transaction():
                await connection.rollback()
        except TRANSLATABLE as rollback_error:
            # A dead connection rolls back on the server anyway; only report it if nothing
            # else is being raised, so the original error is not masked.
            if exc is None:
                raise translate(rollback_error, self._url) from rollback_error
        finally:
            try:
                await connection.close()
            finally:
                self._connection = None
                self._release()

    async def commit(self) -> None:
        # After a commit the same unit of work may go on; the next statement begins a new
        # transaction (SQLAlchemy's autobegin).
        try:
            await self._open().commit()
        except TRANSLATABLE as exc:
            raise translate(exc, self._url) from exc

    async def rollback(self) -> None:
        try:
            await self._open().rollback()
        except TRANSLATABLE as exc:
            raise translate(exc, self._url) from exc

    def _open(self) -> AsyncConnection:
        if self._connection is None:
            raise RuntimeError("the unit of work is not entered")
        return self._connection

    def _release(self) -> None:
        if self._lock is not None and self._holds_lock:
            self._holds_lock = False
            self._lock.release()
