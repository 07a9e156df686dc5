"""Functional acknowledgments end to end: 997/CONTRL out for what suppliers send, 997/CONTRL
in for what we send, missing acks and re-used interchange control numbers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from e2e_world import World
from test_x12_order_flow import SUPPLIER_ENVELOPE, drop, read_850, render_855

from procurelink import bootstrap
from procurelink.codecs.edifact.codec import EdifactCodec
from procurelink.codecs.edifact.validation import acknowledgments
from procurelink.codecs.x12 import X12Codec
from procurelink.domain.acknowledgment import AckDetail, AckStatus, FunctionalAck, SyntaxIssue
from procurelink.domain.order import PurchaseOrder
from procurelink.entrypoints.demo.suppliers import acknowledge
from procurelink.ports.codec import DecodeContext, EncodeContext
from procurelink.ports.records import AuditEntry


@dataclass
class ShiftedClock:
    """The system clock, moved forward by the test."""

    offset: timedelta = timedelta(0)

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset


def acks_in_pickup(world: World) -> list[tuple[str, FunctionalAck]]:
    found = []
    for path in sorted(world.outbox.glob("997_*.x12")):
        [ack] = X12Codec().decode(path.read_bytes(), DecodeContext("steelworks", "t", path.name))
        assert isinstance(ack, FunctionalAck)
        found.append((path.read_text(), ack))
    return found


def supplier_997(world: World, order_name: str, control: int) -> tuple[bytes, FunctionalAck]:
    """What the supplier's translator answers to our 850: rendered, and as a document."""
    [path] = [p for p in world.outbox.glob("850_*.x12") if order_name in p.name]
    ctx = EncodeContext("steelworks", "t", datetime.now(UTC), control, control, {})
    [body] = X12Codec().generate_functional_acks(path.read_bytes(), ctx)
    [ack] = X12Codec().functional_acks(path.read_bytes(), ctx)
    return body, ack


def render_997(ack: FunctionalAck, control: int) -> bytes:
    ctx = EncodeContext("steelworks", "t", datetime.now(UTC), control, control, SUPPLIER_ENVELOPE)
    return X12Codec().encode(ack, ctx).body


def acks_audited(entries: tuple[AuditEntry, ...]) -> list[AuditEntry]:
    return [a for a in entries if a.action == "functional_ack_received"]


async def test_an_855_gets_a_997_and_a_broken_file_a_negative_one(world: World) -> None:
    _, name = await world.confirm_order("SW-V-88120", [("ACME-10042", 10)])
    await world.runtime.run_once()
    _, order = read_850(world, name)
    good = render_855(acknowledge(order, "1", 0, "SO-1", "855-ok"), 901)
    drop(world, "855.x12", good)
    await world.runtime.run_once()

    [(text, ack)] = acks_in_pickup(world)
    assert "AK1*PR*901" in text
    assert "AK2*855*0001" in text and "AK5*A" in text
    assert "AK9*A*1*1*1" in text
    assert "*ZZ*ACMEMFG        *ZZ*STEELWORKS     *" in text.splitlines()[0]
    assert ack.status == AckStatus.ACCEPTED and ack.group_ref == "901"
    view = await world.runtime.queries.order(name)
    assert view is not None
    # The 997 sits on the order's thread, next to the 855 it answers.
    assert any(e.title.startswith("outbound 997_") for e in view.timeline)

    answer = acknowledge(order, "1", 0, "SO-2", "855-bad")
    bad = re.sub(rb"\*067\*\d{8}", b"*067*20240231", render_855(answer, 902))
    drop(world, "855_bad.x12", bad)
    await world.runtime.run_once()
    negative = [(t, a) for t, a in acks_in_pickup(world) if a.group_ref == "902"]
    [(text, ack)] = negative
    assert ack.status == AckStatus.REJECTED
    assert re.search(r"AK3\*ACK\*\d+\*\*8", text), text  # the segment with the bad element
    assert re.search(r"AK4\*5\*\*8\*20240231", text), text  # element 5: invalid date
    assert "AK5*R*5" in text and "AK9*R*1*1*0" in text
    [detail] = ack.details
    assert any(e.bad_value == "20240231" for e in detail.errors)
    codes = [x.reason_code for x in await world.runtime.queries.exceptions()]
    assert codes == ["invalid_date"]


async def test_997s_for_our_850_are_reconciled(world: World) -> None:
    _, name = await world.confirm_order("SW-V-88120", [("ACME-10042", 10)])
    _, other = await world.confirm_order("SW-V-88120", [("ACME-20117", 5)])
    await world.runtime.run_once()

    body, _ = supplier_997(world, name, 5001)
    drop(world, "997_ok.x12", body)
    _, accepted = supplier_997(world, other, 5002)
    rejected = accepted.model_copy(
        update={
            "status": AckStatus.REJECTED,
            "details": (
                AckDetail(
                    ref=accepted.details[0].ref,
                    type="850",
                    status=AckStatus.REJECTED,
                    errors=(
                        SyntaxIssue(code="5"),
                        SyntaxIssue(
                            code="7", segment_id="PO1", segment_position=6, element_position=3
                        ),
                    ),
                ),
            ),
        }
    )
    drop(world, "997_reject.x12", render_997(rejected, 5003))
    stranger = accepted.model_copy(update={"group_ref": "424242"})
    drop(world, "997_stranger.x12", render_997(stranger, 5004))
    await world.runtime.run_once()

    view = await world.runtime.queries.order(name)
    assert view is not None
    [audit] = acks_audited(view.audit)
    assert audit.after is not None and audit.after["status"] == "accepted"
    assert audit.after["message_id"]
    assert audit.subject is not None and audit.subject.startswith("997 accepted for purchase_order")
    assert not view.exceptions

    view = await world.runtime.queries.order(other)
    assert view is not None
    [audit] = acks_audited(view.audit)
    assert audit.after is not None and audit.after["status"] == "rejected"
    [exc] = view.exceptions
    assert exc.reason_code == "functional_ack_rejected"
    assert "PO1" in exc.message and "code 7" in exc.message

    codes = sorted(x.reason_code for x in await world.runtime.queries.exceptions())
    assert codes == ["functional_ack_rejected", "unknown_functional_ack"]
    # No 997 is ever sent for a 997.
    assert acks_in_pickup(world) == []


async def test_a_missing_997_opens_one_exception_after_the_window(world: World) -> None:
    clock = ShiftedClock()
    world.runtime.deps.clock = clock
    _, name = await world.confirm_order("SW-V-88120", [("ACME-10042", 10)])
    _, answered = await world.confirm_order("SW-V-88120", [("ACME-20117", 5)])
    await world.runtime.run_once()
    body, _ = supplier_997(world, answered, 6001)
    drop(world, "997.x12", body)
    await world.runtime.run_once()

    # Every 850 sent but one is unanswered (the simulator may hold an older steelworks order).
    unanswered = len(list(world.outbox.glob("850_*.x12"))) - 1

    clock.offset = timedelta(hours=23)
    assert (await world.runtime.poll_sources()).overdue_acks == 0
    clock.offset = timedelta(hours=25)
    assert (await world.runtime.poll_sources()).overdue_acks == unanswered
    assert (await world.runtime.poll_sources()).overdue_acks == 0
    clock.offset = timedelta(days=3)
    await world.runtime.run_once()

    missing = await world.runtime.queries.exceptions()
    assert {x.reason_code for x in missing} == {"functional_ack_missing"}
    assert len(missing) == unanswered
    view = await world.runtime.queries.order(name)
    assert view is not None
    [exc] = view.exceptions  # exactly one for our unanswered order, on its thread
    assert exc.reason_code == "functional_ack_missing"
    assert "24 h" in exc.message
    view = await world.runtime.queries.order(answered)
    assert view is not None and not view.exceptions


async def test_a_reused_interchange_number_is_refused_as_a_duplicate(world: World) -> None:
    po, name = await world.confirm_order("SW-V-88120", [("ACME-10042", 10)])
    await world.runtime.run_once()
    _, order = read_850(world, name)
    drop(world, "855.x12", render_855(acknowledge(order, "1", 0, "SO-1", "855-a"), 907))
    await world.runtime.run_once()
    notes = await world.odoo_notes(po)
    lines = await world.odoo_lines(po)

    # Other content, other bytes, the same ISA13.
    drop(world, "855_again.x12", render_855(acknowledge(order, "1", 1, "SO-X", "855-b"), 907))
    await world.runtime.run_once()

    [exc] = await world.runtime.queries.exceptions()
    assert exc.reason_code == "duplicate_interchange"
    assert "907" in exc.message
    assert await world.odoo_notes(po) == notes
    assert await world.odoo_lines(po) == lines
    view = await world.runtime.queries.order(name)
    assert view is not None and view.order.vendor_ref == "SO-1"
    assert len(acks_in_pickup(world)) == 1  # the first copy was answered, the repeat is not


EDIFACT_PROFILE = """\
id: rheinguss
name: Rheinguss AG
odoo: {partner_ref: PP-V-20451}
identifiers: {gln: "9520003000018"}
codec: {type: edifact, options: {sender_id: "9520001000010", version: D01B, ack_requested: true}}
channels:
  outbound: {type: directory, outbox: "OUT"}
  inbound: {type: directory, inbox: "IN"}
tolerances: {date_shift_days: 2}
"""
SUPPLIER_EDIFACT = {
    "sender_id": "9520003000018",
    "recipient_id": "9520001000010",
    "version": "D01B",
}


async def test_edifact_contrl_both_ways(world: World, tmp_path: Path) -> None:
    out, inbox = tmp_path / "edi-out", tmp_path / "edi-in"
    partners = world.runtime.settings.partners_dir
    (partners / "polymer.yaml").unlink()
    (partners / "rheinguss.yaml").write_text(
        EDIFACT_PROFILE.replace("OUT", str(out)).replace("IN", str(inbox))
    )
    runtime = await bootstrap.build_runtime(world.runtime.settings)
    try:
        _, name = await world.confirm_order("PP-V-20451", [("ACME-30210", 40)])
        await runtime.run_once()
        [path] = list(out.glob(f"ORDERS_*{name}*"))
        sent = path.read_bytes()
        assert b"++1'" in sent or b"+1'" in sent  # our UNB asks for a CONTRL
        codec = EdifactCodec()
        [order] = codec.decode(sent, DecodeContext("rheinguss", "c", "m"))
        assert isinstance(order, PurchaseOrder)

        # 1. The supplier's CONTRL for our ORDERS is matched and recorded on the order.
        supplier_ctx = EncodeContext("rheinguss", "c", datetime.now(UTC), 300, 300)
        [contrl] = acknowledgments(sent, DecodeContext("rheinguss", "c", "m", {"version": "D01B"}))
        encoded = codec.encode(
            contrl, EncodeContext("rheinguss", "c", supplier_ctx.now, 300, 300, SUPPLIER_EDIFACT)
        )
        inbox.mkdir(exist_ok=True)
        (inbox / encoded.filename).write_bytes(encoded.body)
        await runtime.run_once()
        view = await runtime.queries.order(name)
        assert view is not None
        [audit] = acks_audited(view.audit)
        assert audit.subject is not None and audit.subject.startswith("CONTRL accepted")
        assert list(out.glob("CONTRL_*")) == []  # no CONTRL for a CONTRL

        # 2. An ORDRSP asking for a CONTRL (UNB 0031 = 1) gets one back.
        answer = acknowledge(order, "1", 0, "RG-5", "ORDRSP-1")
        ordrsp = codec.encode(
            answer,
            EncodeContext(
                "rheinguss",
                "c",
                datetime.now(UTC),
                77,
                77,
                {**SUPPLIER_EDIFACT, "ack_requested": True},
            ),
        )
        (inbox / ordrsp.filename).write_bytes(ordrsp.body)
        await runtime.run_once()
        [contrl_path] = list(out.glob("CONTRL_*"))
        text = contrl_path.read_text(encoding="latin-1")
        assert "UCI+77+9520003000018:14+9520001000010:14+7'" in text
        [ack] = codec.decode(contrl_path.read_bytes(), DecodeContext("rheinguss", "c", "m"))
        assert isinstance(ack, FunctionalAck)
        assert ack.status == AckStatus.ACCEPTED and ack.interchange_ref == "77"
        assert "UNB+UNOC:3+9520001000010:14+9520003000018:14+" in text
        view = await runtime.queries.order(name)
        assert view is not None and view.order.state == "confirmed"
        assert not await runtime.queries.exceptions()
    finally:
        await runtime.close()
