"""Live processes per group, by heartbeat (to share a limit between them)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, func, select

from procurelink.adapters.store.database import Database
from procurelink.adapters.store.tables import peers

_table = peers
FORGET_AFTER = timedelta(hours=1)


class SqlPeerRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def beat(self, group: str, peer: str, now: datetime) -> None:
        insert = self._db.insert(_table).values(peer_group=group, peer=peer, seen_at=now)
        await self._db.execute(
            insert.on_conflict_do_update(
                index_elements=[_table.c.peer_group, _table.c.peer],
                set_={"seen_at": insert.excluded.seen_at},
            )
        )
        # Processes killed without leaving: their rows would otherwise stay forever.
        await self._db.execute(
            delete(_table).where(
                _table.c.peer_group == group, _table.c.seen_at < now - FORGET_AFTER
            )
        )

    async def live(self, group: str, since: datetime) -> int:
        statement = select(func.count()).where(
            _table.c.peer_group == group, _table.c.seen_at >= since
        )
        return int((await self._db.execute(statement)).scalar_one())

    async def leave(self, group: str, peer: str) -> None:
        await self._db.execute(
            delete(_table).where(_table.c.peer_group == group, _table.c.peer == peer)
        )
