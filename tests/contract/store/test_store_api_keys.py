"""Supplier API keys: stored hashed, listed per partner, revoked once."""

from __future__ import annotations

from datetime import datetime, timedelta

from procurelink.adapters.store import SqlStore
from procurelink.ports.records import ApiKey


async def test_keys_are_added_listed_and_revoked(store: SqlStore, now: datetime) -> None:
    async with store.unit_of_work() as uow:
        await uow.api_keys.add(ApiKey("pk_a", "steelworks", "h" * 64, now, label="ERP"))
        await uow.api_keys.add(ApiKey("pk_b", "polymer", "g" * 64, now + timedelta(seconds=1)))
        await uow.commit()

    async with store.unit_of_work() as uow:
        found = await uow.api_keys.get("pk_a")
        assert found is not None
        assert (found.partner_id, found.label, found.active) == ("steelworks", "ERP", True)
        assert [k.key_id for k in await uow.api_keys.list()] == ["pk_a", "pk_b"]
        assert [k.key_id for k in await uow.api_keys.list("polymer")] == ["pk_b"]
        assert await uow.api_keys.revoke("pk_a", now) is True
        assert await uow.api_keys.revoke("pk_a", now) is False
        assert await uow.api_keys.revoke("pk_zzz", now) is False
        await uow.commit()

    async with store.unit_of_work() as uow:
        revoked = await uow.api_keys.get("pk_a")
        assert revoked is not None
        assert revoked.revoked_at == now
        assert revoked.active is False
