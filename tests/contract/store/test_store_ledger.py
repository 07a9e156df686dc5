"""The procurement ledger: exact quantities, dates, guarded state changes."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal

from procurelink.adapters.store import SqlStore
from procurelink.ports.records import LedgerLine, LedgerOrder, OrderState

AWKWARD_DECIMALS = [
    Decimal("1.50"),
    Decimal("0.000001"),
    Decimal("12345678901234567890.123456789012345678"),
    Decimal("-3.25"),
    Decimal("0"),
    Decimal("100"),
]


def line(line_no: str, quantity: Decimal, **fields: object) -> LedgerLine:
    defaults: dict[str, object] = {
        "uom": "EA",
        "requested_date": date(2025, 4, 1),
        "original_quantity": quantity,
        "original_date": date(2025, 4, 1),
    }
    defaults.update(fields)
    return LedgerLine(line_no, quantity, **defaults)  # type: ignore[arg-type]


def order(number: str, now: datetime, *lines: LedgerLine, **fields: object) -> LedgerOrder:
    defaults: dict[str, object] = {
        "partner_id": "acme",
        "correlation_id": f"c-{number}",
        "state": OrderState.SENT,
        "revision": 1,
        "currency": "EUR",
        "updated_at": now,
    }
    defaults.update(fields)
    return LedgerOrder(number, lines=tuple(lines), **defaults)  # type: ignore[arg-type]


async def save(store: SqlStore, *orders: LedgerOrder) -> None:
    async with store.unit_of_work() as uow:
        for o in orders:
            await uow.ledger.save(o)
        await uow.commit()


async def get(store: SqlStore, number: str) -> LedgerOrder | None:
    async with store.unit_of_work() as uow:
        return await uow.ledger.get(number)


async def test_an_order_round_trips_exactly(store: SqlStore, now: datetime) -> None:
    lines = [
        line(
            f"{i + 1}0",
            quantity,
            original_quantity=quantity + Decimal("0.5"),
            unit_price=quantity,
            received_quantity=quantity,
            requested_date=date(2024, 2, 29),
            original_date=date(1999, 12, 31),
            odoo_line_id=9_000_000_000 + i,
            buyer_item="BI-1",
            supplier_item="SI-1",
            description="Sechskantschraube M8x40, verzinkt (Größe 8.8)",
        )
        for i, quantity in enumerate(AWKWARD_DECIMALS)
    ]
    lines.append(line("99", Decimal("2"), requested_date=None, original_date=None))
    saved = order(
        "PO-1",
        now,
        *lines,
        odoo_id=4711,
        supplier_odoo_id=12,
        plant="P1",
        vendor_ref="SO-88",
        erp_write_date="2025-03-14 09:26:53",
    )
    await save(store, saved)

    loaded = await get(store, "PO-1")

    assert loaded == saved
    assert loaded is not None
    for got, want in zip(loaded.lines, saved.lines, strict=True):
        # Equal is not enough: Decimal("1.5") == Decimal("1.50"), but the scale matters.
        assert str(got.quantity) == str(want.quantity)
        assert str(got.unit_price) == str(want.unit_price)
        assert type(got.requested_date) in (date, type(None))
    assert loaded.line("99") == lines[-1]


async def test_save_replaces_the_order_and_its_lines(store: SqlStore, now: datetime) -> None:
    await save(store, order("PO-1", now, line("10", Decimal(5)), line("20", Decimal(7))))
    revised = order(
        "PO-1",
        now + timedelta(hours=1),
        line("30", Decimal("1.25")),
        line("10", Decimal(6)),
        revision=2,
        state=OrderState.CHANGE_PENDING,
        vendor_ref="SO-1",
    )
    await save(store, revised)

    loaded = await get(store, "PO-1")

    assert loaded == revised
    assert loaded is not None
    assert [ln.line_no for ln in loaded.lines] == ["30", "10"]
    assert loaded.line("20") is None


async def test_an_order_without_lines(store: SqlStore, now: datetime) -> None:
    await save(store, order("PO-1", now, line("10", Decimal(1))))
    await save(store, order("PO-1", now))

    loaded = await get(store, "PO-1")
    assert loaded is not None
    assert loaded.lines == ()


async def test_set_state_only_from_an_expected_state(store: SqlStore, now: datetime) -> None:
    await save(store, order("PO-1", now, line("10", Decimal(1)), state=OrderState.SENT))
    later = now + timedelta(minutes=3)

    async with store.unit_of_work() as uow:
        wrong = await uow.ledger.set_state(
            "PO-1", [OrderState.RELEASED], OrderState.ACKNOWLEDGED, later
        )
        right = await uow.ledger.set_state(
            "PO-1", [OrderState.RELEASED, OrderState.SENT], OrderState.ACKNOWLEDGED, later
        )
        again = await uow.ledger.set_state(
            "PO-1", [OrderState.SENT], OrderState.ACKNOWLEDGED, later
        )
        unknown = await uow.ledger.set_state(
            "PO-404", [OrderState.SENT], OrderState.ACKNOWLEDGED, later
        )
        nothing_expected = await uow.ledger.set_state("PO-1", [], OrderState.CLOSED, later)
        await uow.commit()

    loaded = await get(store, "PO-1")
    assert (wrong, right, again, unknown, nothing_expected) == (False, True, False, False, False)
    assert loaded is not None
    assert (loaded.state, loaded.updated_at) == (OrderState.ACKNOWLEDGED, later)
    assert len(loaded.lines) == 1


async def test_lookup_by_thread_and_list_by_partner(store: SqlStore, now: datetime) -> None:
    await save(
        store,
        order("PO-2", now, line("10", Decimal(2))),
        order("PO-1", now, line("10", Decimal(1)), line("20", Decimal(3))),
        order("PO-3", now, partner_id="globex"),
    )

    async with store.unit_of_work() as uow:
        by_thread = await uow.ledger.get_by_correlation("c-PO-2")
        missing = await uow.ledger.get_by_correlation("c-none")
        acme = await uow.ledger.list(partner_id="acme")
        everything = await uow.ledger.list()
        first = await uow.ledger.list(limit=1)

    assert by_thread is not None
    assert by_thread.order_number == "PO-2"
    assert by_thread.lines == (line("10", Decimal(2)),)
    assert missing is None
    assert [o.order_number for o in acme] == ["PO-1", "PO-2"]
    assert [len(o.lines) for o in acme] == [2, 1]
    assert [o.order_number for o in everything] == ["PO-1", "PO-2", "PO-3"]
    assert [o.order_number for o in first] == ["PO-1"]


async def test_unknown_order_is_none(store: SqlStore) -> None:
    assert await get(store, "PO-404") is None


async def test_saved_order_is_independent_of_later_edits(store: SqlStore, now: datetime) -> None:
    original = order("PO-1", now, line("10", Decimal(1)))
    await save(store, original)
    await save(store, replace(original, order_number="PO-2", correlation_id="c-2"))

    first = await get(store, "PO-1")
    assert first == original
