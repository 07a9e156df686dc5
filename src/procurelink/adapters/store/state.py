"""Small durable state: poller cursors, seen versions, control-number counters."""

from __future__ import annotations

from sqlalchemy import func, select, update

from procurelink.adapters.store.database import Database
from procurelink.adapters.store.tables import kv_state


class SqlKeyValueRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, key: str) -> str | None:
        statement = select(kv_state.c.value).where(kv_state.c.key == key)
        value = (await self._db.execute(statement)).scalar_one_or_none()
        return None if value is None else str(value)

    async def put(self, key: str, value: str) -> None:
        insert = self._db.insert(kv_state).values(key=key, value=value)
        await self._db.execute(
            insert.on_conflict_do_update(
                index_elements=[kv_state.c.key], set_={"value": insert.excluded.value}
            )
        )

    async def put_if_absent(self, key: str, value: str) -> str | None:
        inserted = await self._db.execute(
            self._db.insert(kv_state)
            .values(key=key, value=value)
            .on_conflict_do_nothing(index_elements=[kv_state.c.key])
            .returning(kv_state.c.key)
        )
        # RETURNING, not rowcount: drivers disagree on rowcount after ON CONFLICT DO NOTHING.
        if inserted.first() is not None:
            return None
        return await self.get(key)

    async def replace_if(self, key: str, expected: str, value: str) -> bool:
        # A conditional UPDATE: of several processes replacing the same value at once, the
        # database lets exactly one match it.
        replaced = await self._db.execute(
            update(kv_state)
            .where(kv_state.c.key == key, kv_state.c.value == expected)
            .values(value=value)
            .returning(kv_state.c.key)
        )
        return replaced.first() is not None

    async def next_counter(self, name: str, start: int = 1) -> int:
        # One statement, so the database serialises concurrent callers on the row lock:
        # a read-then-write would hand two workers the same EDI control number.
        insert = self._db.insert(kv_state).values(key=name, counter=start)
        statement = insert.on_conflict_do_update(
            index_elements=[kv_state.c.key],
            set_={"counter": func.coalesce(kv_state.c.counter, start - 1) + 1},
        ).returning(kv_state.c.counter)
        return int((await self._db.execute(statement)).scalar_one())
