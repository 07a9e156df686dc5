"""Effect keys, the exception queue and the audit trail."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from procurelink.adapters.store import SqlStore
from procurelink.errors import IllegalTransition
from procurelink.ports.records import (
    AuditEntry,
    Effect,
    ExceptionStatus,
    NewException,
)


async def test_an_effect_key_is_recorded_once(store: SqlStore, now: datetime) -> None:
    effect = Effect(
        key="odoo:purchase.order.line:42:date_planned:rev3",
        kind="erp.write",
        applied_at=now,
        correlation_id="c-1",
        job_id=7,
        result={"written": [42]},
    )
    async with store.unit_of_work() as uow:
        assert await uow.effects.record(effect) is True
        assert await uow.effects.record(effect) is False
        await uow.commit()

    async with store.unit_of_work() as uow:
        # Also across transactions, and whatever the second attempt carried.
        assert await uow.effects.record(Effect(effect.key, "other", now, result={})) is False
        loaded = await uow.effects.get(effect.key)
        missing = await uow.effects.get("nope")

    assert loaded == effect
    assert missing is None


async def test_a_rolled_back_effect_was_never_recorded(store: SqlStore, now: datetime) -> None:
    async with store.unit_of_work() as uow:
        assert await uow.effects.record(Effect("k", "erp.write", now)) is True

    async with store.unit_of_work() as uow:
        assert await uow.effects.record(Effect("k", "erp.write", now)) is True


async def test_effects_by_thread_in_time_order(store: SqlStore, now: datetime) -> None:
    async with store.unit_of_work() as uow:
        await uow.effects.record(Effect("b", "sent", now + timedelta(seconds=1), "c-1"))
        await uow.effects.record(Effect("a", "sent", now, "c-1"))
        await uow.effects.record(Effect("z", "sent", now, "c-2"))
        thread = await uow.effects.list_by_correlation("c-1")

    assert [e.key for e in thread] == ["a", "b"]
    assert thread[0].result == {}


def exception(reason: str = "qty_over_tolerance", **fields: object) -> NewException:
    defaults: dict[str, object] = {
        "message": "Quantity 120 exceeds ordered 100 by more than 5%",
        "partner_id": "acme",
        "correlation_id": "c-1",
        "order_number": "PO-1",
        "document_id": "d-1",
        "message_id": "m-1",
        "payload": {"line_no": "10", "proposed": {"quantity": "120"}},
        "approvable": True,
    }
    defaults.update(fields)
    return NewException(reason, **defaults)  # type: ignore[arg-type]


async def test_open_then_resolve_once(store: SqlStore, now: datetime) -> None:
    async with store.unit_of_work() as uow:
        exception_id = await uow.exceptions.open(exception(), now)
        await uow.commit()

    async with store.unit_of_work() as uow:
        opened = await uow.exceptions.get(exception_id)
        resolved_at = now + timedelta(hours=2)
        first = await uow.exceptions.resolve(
            exception_id, ExceptionStatus.APPROVED, "buyer@acme", resolved_at, "ok, one-off"
        )
        second = await uow.exceptions.resolve(
            exception_id, ExceptionStatus.REJECTED, "other@acme", resolved_at
        )
        await uow.commit()

    async with store.unit_of_work() as uow:
        closed = await uow.exceptions.get(exception_id)
        missing = await uow.exceptions.resolve(10_000, ExceptionStatus.RESOLVED, "x", now)

    assert opened is not None
    assert opened.status is ExceptionStatus.OPEN
    assert (opened.reason_code, opened.approvable, opened.created_at) == (
        "qty_over_tolerance",
        True,
        now,
    )
    assert opened.payload == {"line_no": "10", "proposed": {"quantity": "120"}}
    assert (opened.resolved_by, opened.resolved_at, opened.resolution_note) == (None, None, None)
    assert (first, second, missing) == (True, False, False)
    assert closed is not None
    assert (closed.status, closed.resolved_by, closed.resolved_at, closed.resolution_note) == (
        ExceptionStatus.APPROVED,
        "buyer@acme",
        resolved_at,
        "ok, one-off",
    )


async def test_resolving_into_open_is_refused(store: SqlStore, now: datetime) -> None:
    async with store.unit_of_work() as uow:
        exception_id = await uow.exceptions.open(exception(), now)
        with pytest.raises(IllegalTransition):
            await uow.exceptions.resolve(exception_id, ExceptionStatus.OPEN, "x", now)


async def test_list_exceptions_by_status_partner_and_thread(store: SqlStore, now: datetime) -> None:
    async with store.unit_of_work() as uow:
        a = await uow.exceptions.open(exception(), now)
        b = await uow.exceptions.open(exception("unknown_order", partner_id="globex"), now)
        c = await uow.exceptions.open(exception("late_ack", correlation_id="c-2"), now)
        await uow.exceptions.resolve(a, ExceptionStatus.RESOLVED, "buyer", now)
        open_ = await uow.exceptions.list(status=ExceptionStatus.OPEN)
        acme = await uow.exceptions.list(partner_id="acme")
        thread = await uow.exceptions.list(correlation_id="c-1")
        acme_open = await uow.exceptions.list(ExceptionStatus.OPEN, "acme", "c-1")
        first = await uow.exceptions.list(limit=1)

    assert [e.id for e in open_] == [b, c]
    assert [e.id for e in acme] == [a, c]
    assert [e.id for e in thread] == [a, b]
    assert acme_open == []
    assert [e.id for e in first] == [a]


async def test_audit_is_listed_in_append_order(store: SqlStore, now: datetime) -> None:
    entries = [
        AuditEntry(now, "system", "order.released", "c-1", "PO-1", None, None, {"rev": 1}),
        # An earlier clock does not reorder the trail: append order does.
        AuditEntry(
            now - timedelta(seconds=5),
            "buyer@acme",
            "line.date_changed",
            "c-1",
            "PO-1",
            "line 10",
            {"date": "2025-04-01"},
            {"date": "2025-04-08"},
        ),
        AuditEntry(now, "system", "order.released", "c-2", "PO-2"),
    ]
    async with store.unit_of_work() as uow:
        ids = [await uow.audit.append(entry) for entry in entries]
        await uow.commit()

    async with store.unit_of_work() as uow:
        by_thread = await uow.audit.list(correlation_id="c-1")
        by_order = await uow.audit.list(order_number="PO-2")
        everything = await uow.audit.list()
        first = await uow.audit.list(limit=1)

    assert ids == sorted(ids)
    assert len(set(ids)) == 3
    assert [e.action for e in by_thread] == ["order.released", "line.date_changed"]
    assert by_thread[1].before == {"date": "2025-04-01"}
    assert by_thread[1].after == {"date": "2025-04-08"}
    assert (by_thread[0].before, by_thread[0].after) == (None, {"rev": 1})
    assert [e.id for e in by_order] == [ids[2]]
    assert [e.id for e in everything] == ids
    assert everything[1].at == now - timedelta(seconds=5)
    assert [e.id for e in first] == [ids[0]]
