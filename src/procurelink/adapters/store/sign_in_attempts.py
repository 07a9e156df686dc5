"""Console sign-in attempts per login name (the throttle's shared count)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Row, delete, select, update

from procurelink.adapters.store.database import Database
from procurelink.adapters.store.tables import sign_in_attempts
from procurelink.ports.records import SignInAttempts

_table = sign_in_attempts


def _attempts(row: Row[Any]) -> SignInAttempts:
    return SignInAttempts(attempts=row.attempts, last_at=row.last_at, version=row.version)


class SqlSignInAttemptRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, name: str) -> SignInAttempts | None:
        row = (await self._db.execute(select(_table).where(_table.c.name == name))).first()
        return None if row is None else _attempts(row)

    async def swap(
        self, name: str, expected: SignInAttempts | None, attempts: int, last_at: datetime
    ) -> SignInAttempts | None:
        # One conditional statement each way, so the database decides which of several
        # processes counting the same name at once gets the turn; a read-then-write would
        # let all of them through.
        if expected is None:
            statement: Any = (
                self._db.insert(_table)
                .values(name=name, attempts=attempts, last_at=last_at, version=1)
                .on_conflict_do_nothing(index_elements=[_table.c.name])
            )
            version = 1
        else:
            version = expected.version + 1
            statement = (
                update(_table)
                .where(_table.c.name == name, _table.c.version == expected.version)
                .values(attempts=attempts, last_at=last_at, version=version)
            )
        written = await self._db.execute(statement.returning(_table.c.name))
        if written.first() is None:
            return None
        return SignInAttempts(attempts=attempts, last_at=last_at, version=version)

    async def clear(self, name: str, version: int | None = None) -> None:
        statement = delete(_table).where(_table.c.name == name)
        if version is not None:
            statement = statement.where(_table.c.version == version)
        await self._db.execute(statement)

    async def prune(self, before: datetime) -> int:
        gone = await self._db.execute(
            delete(_table).where(_table.c.last_at <= before).returning(_table.c.name)
        )
        return len(gone.all())
