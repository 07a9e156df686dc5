"""One purchase order end to end over X12 and a directory drop (issue: foundation §9)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from e2e_world import World

from procurelink.codecs.json_api import JsonCodec
from procurelink.codecs.x12 import X12Codec
from procurelink.domain.order import PurchaseOrder
from procurelink.domain.response import OrderResponse
from procurelink.entrypoints.demo.suppliers import acknowledge
from procurelink.ports.channel import InboundItem
from procurelink.ports.codec import DecodeContext, EncodeContext
from procurelink.ports.records import ExceptionStatus

SUPPLIER_ENVELOPE = {
    "sender_qualifier": "ZZ",
    "sender_id": "STEELWORKS",
    "receiver_qualifier": "ZZ",
    "receiver_id": "ACMEMFG",
}


def read_850(world: World, order_name: str) -> tuple[str, PurchaseOrder]:
    [path] = [p for p in world.outbox.glob("850_*.x12") if order_name in p.name]
    docs = X12Codec().decode(path.read_bytes(), DecodeContext("steelworks", "t", path.name))
    [order] = docs
    assert isinstance(order, PurchaseOrder)
    return path.read_text(), order


def render_855(response: OrderResponse, control: int) -> bytes:
    ctx = EncodeContext(
        partner_id="steelworks",
        correlation_id="t",
        now=datetime.now(UTC),
        interchange_control_number=control,
        group_control_number=control,
        options=SUPPLIER_ENVELOPE,
    )
    return X12Codec().encode(response, ctx).body


def drop(world: World, name: str, body: bytes) -> None:
    world.inbox.mkdir(parents=True, exist_ok=True)
    (world.inbox / name).write_bytes(body)


async def test_order_goes_out_as_850_and_the_855_comes_back_into_odoo(world: World) -> None:
    po, name = await world.confirm_order("SW-V-88120", [("ACME-10042", 5000), ("ACME-20117", 1200)])
    before = await world.odoo_lines(po)
    await world.runtime.run_once()

    # 1. An 850 with the order's content appears in the supplier's pickup folder.
    text, order = read_850(world, name)
    assert text.startswith("ISA*00*")
    assert "*ZZ*STEELWORKS     *" in text.splitlines()[0]
    assert order.order_number == name
    assert [(ln.item.buyer_item, ln.quantity.value) for ln in order.lines] == [
        ("ACME-10042", 5000),
        ("ACME-20117", 1200),
    ]
    assert [ln.item.supplier_item for ln in order.lines] == ["SW-HB-M10X40-ZN", "SW-ST-S235-2"]
    original = order.lines[1].requested_date
    assert original is not None

    # 2. The supplier drops an 855 moving line 2 by two days (inside its tolerance).
    response = acknowledge(order, "2", 2, "SO-4711", "855-test")
    ack = render_855(response, 901)
    drop(world, "855_first.x12", ack)
    await world.runtime.run_once()
    assert (world.inbox / "processed" / "855_first.x12").exists()

    # 3. Odoo now shows the new date on line 2, the vendor reference and a chatter note.
    after = await world.odoo_lines(po)
    assert after[0]["date_planned"] == before[0]["date_planned"]
    assert after[1]["date_planned"].startswith((original + timedelta(days=2)).isoformat())
    [header] = await world.rpc.execute_kw(
        "purchase.order", "read", [[po]], {"fields": ["partner_ref"]}
    )
    assert header["partner_ref"] == "SO-4711"
    view = await world.runtime.queries.order(name)
    assert view is not None
    notes = await world.odoo_notes(po)
    assert any(view.order.correlation_id in body for body in notes)

    # 4. The audit keeps the original commitment and the change with who and when.
    released = next(a for a in view.audit if a.action == "order_released")
    assert released.after is not None
    assert released.after["original_commitment"]["2"]["original_date"] == original.isoformat()
    changed = next(a for a in view.audit if a.action == "line_changed")
    assert changed.before == {"value": original.isoformat()}
    assert changed.actor == "supplier:steelworks"
    assert view.order.line("2").original_date == original  # type: ignore[union-attr]
    assert view.order.state == "confirmed"

    # 5. The same 855 again changes nothing in Odoo; the duplicate is recorded.
    notes_before = len(await world.odoo_notes(po))
    drop(world, "855_again.x12", ack)
    await world.runtime.run_once()
    assert len(await world.odoo_notes(po)) == notes_before
    assert await world.odoo_lines(po) == after
    duplicates = await world.runtime.queries.exceptions(status=ExceptionStatus.OPEN)
    assert [x.reason_code for x in duplicates] == ["duplicate_message"]

    # ... and so does the same acknowledgment in a new interchange (other control numbers).
    drop(world, "855_resent.x12", render_855(response, 902))
    await world.runtime.run_once()
    assert len(await world.odoo_notes(po)) == notes_before
    codes = [x.reason_code for x in await world.runtime.queries.exceptions()]
    assert codes.count("duplicate_message") == 2


async def test_855_for_an_unknown_order_is_an_exception_and_no_write(world: World) -> None:
    po, name = await world.confirm_order("SW-V-88120", [("ACME-10042", 10)])
    await world.runtime.run_once()
    _, order = read_850(world, name)
    stranger = order.model_copy(update={"order_number": "PO-NOT-OURS"})
    drop(
        world,
        "855_unknown.x12",
        render_855(acknowledge(stranger, "1", 1, "SO-1", "855-unknown"), 903),
    )
    lines_before, notes_before = await world.odoo_lines(po), await world.odoo_notes(po)
    results = await world.runtime.run_once()

    # The bad file is handled (not retried, not dead): the worker keeps going.
    decoded = [r for r in results if r.kind == "inbound.decode"]
    assert [r.outcome for r in decoded] == ["done"], results
    [exc] = await world.runtime.queries.exceptions()
    assert exc.reason_code == "unknown_order"
    assert "PO-NOT-OURS" in exc.message
    assert exc.message_id is not None
    raw = await world.runtime.queries.message(exc.message_id)
    assert raw is not None
    assert b"PO-NOT-OURS" in raw.body  # the raw bytes are kept
    assert await world.odoo_lines(po) == lines_before
    assert await world.odoo_notes(po) == notes_before


async def test_bad_input_never_kills_the_worker(world: World) -> None:
    _, name = await world.confirm_order("SW-V-88120", [("ACME-10042", 10)])
    await world.runtime.run_once()
    _, order = read_850(world, name)
    good = render_855(acknowledge(order, "1", 0, "SO-9", "855-ok"), 904)
    drop(world, "a_garbage.x12", b"this is not EDI at all")
    drop(world, "b_empty.x12", b"")
    drop(world, "c_bad_date.x12", re.sub(rb"\*067\*\d{8}", b"*067*20240231", good, count=1))
    drop(world, "d_good.x12", good)
    await world.runtime.run_once()

    codes = sorted(x.reason_code for x in await world.runtime.queries.exceptions())
    assert "malformed_message" in codes
    assert "invalid_date" in codes
    assert "empty_message" in codes
    assert (world.inbox / "error" / "b_empty.x12").exists()
    view = await world.runtime.queries.order(name)
    assert view is not None
    assert view.order.state == "confirmed"  # the good file after the bad ones still applied
    assert view.order.vendor_ref == "SO-9"
    assert date.today() <= view.order.lines[0].requested_date  # type: ignore[operator]


async def test_a_supplier_cannot_answer_for_another_suppliers_order(world: World) -> None:
    po, name = await world.confirm_order("SW-V-88120", [("ACME-10042", 10)])
    await world.runtime.run_once()
    _, order = read_850(world, name)
    forged = acknowledge(order, "1", 1, "PP-1", "forged").model_copy(
        update={"partner_id": "steelworks"}  # the sender claims to be someone else ...
    )
    body = JsonCodec().encode(forged, EncodeContext("polymer", "c", datetime.now(UTC))).body
    notes_before = await world.odoo_notes(po)
    # ... but arrives on polymer's authenticated channel, which is what counts.
    await world.runtime.intake.capture(
        InboundItem(
            partner_id="polymer",
            channel="http-api",
            filename=None,
            content_type="application/json",
            body=body,
            received_at=datetime.now(UTC),
            handle="",
        )
    )
    await world.runtime.runner.drain()
    [exc] = await world.runtime.queries.exceptions()
    assert exc.reason_code == "wrong_supplier"
    assert exc.partner_id == "polymer"
    view = await world.runtime.queries.order(name)
    assert view is not None
    assert view.order.state == "sent"
    assert exc.id not in [x.id for x in view.exceptions]  # not on steelworks' order thread
    assert await world.odoo_notes(po) == notes_before


async def test_another_suppliers_interchange_in_this_suppliers_folder_is_refused(
    world: World,
) -> None:
    po, name = await world.confirm_order("SW-V-88120", [("ACME-10042", 10)])
    await world.runtime.run_once()
    _, order = read_850(world, name)
    good = render_855(acknowledge(order, "1", 1, "SO-X", "855-foreign"), 905)
    # The same answer, but its envelope says another company sent it.
    foreign = good.replace(b"*ZZ*STEELWORKS     *", b"*ZZ*FASTENERDIRECT *", 1)
    lines, notes = await world.odoo_lines(po), await world.odoo_notes(po)
    outbox_before = sorted(p.name for p in world.outbox.iterdir())
    drop(world, "855_foreign.x12", foreign)
    await world.runtime.run_once()

    [exc] = await world.runtime.queries.exceptions()
    assert exc.reason_code == "wrong_supplier"
    assert "FASTENERDIRECT" in exc.message and "steelworks" in exc.message
    assert await world.odoo_lines(po) == lines
    assert await world.odoo_notes(po) == notes
    # Not answered with a 997 either: steelworks did not send it. (A real Odoo shared with
    # earlier tests may release their orders within the poll overlap: 850s of others only.)
    new = sorted({p.name for p in world.outbox.iterdir()} - set(outbox_before))
    assert [n for n in new if not n.startswith("850_") or name in n] == []
