"""Functional acks as a service sees them, on a real SQLite store: what is queued when a
file is decoded, how an inbound ack is matched to what we sent, and the missing-ack check."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from procurelink.adapters.bus.memory import InProcessBus
from procurelink.adapters.partners.yaml_directory import PartnerRegistry
from procurelink.adapters.store import SqlStore, create_store, migrate
from procurelink.codecs.edifact import EdifactCodec
from procurelink.codecs.x12 import X12Codec
from procurelink.domain.acknowledgment import AckStatus, FunctionalAck
from procurelink.domain.document import Document
from procurelink.domain.partner_profile import PartnerProfile
from procurelink.errors import InvalidDocument
from procurelink.ports.codec import Codec, DecodeContext
from procurelink.ports.records import Direction, ExceptionStatus, JobStatus, RawMessage
from procurelink.services.context import Deps
from procurelink.services.dispatch import DELIVER_JOB
from procurelink.services.edi_tracking import (
    ACK_DEADLINE_JOB,
    control,
    expect_functional_ack,
    track_sent,
)
from procurelink.services.functional_acks import FunctionalAckService, UnknownFunctionalAck

FIXTURES = Path(__file__).parents[2] / "fixtures" / "edi"
T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def profile(pid: str, codec: str, options: dict[str, Any], **acks: Any) -> PartnerProfile:
    return PartnerProfile.model_validate(
        {
            "id": pid,
            "name": pid,
            "odoo": {"partner_id": 1},
            "identifiers": {"x12": {"id": "STEELWORKS"}, "gln": "9520002000019"},
            "codec": {"type": codec, "options": options},
            "channels": {"outbound": {"type": "directory"}},
            "functional_acks": acks,
        }
    )


X12 = profile("sw", "x12-004010", {"sender_id": "ACMEMFG"})
X12_QUIET = profile("quiet", "x12-004010", {"sender_id": "ACMEMFG"}, send="never")
EDI = profile("rg", "edifact", {"sender_id": "9520001000010"})
EDI_ALWAYS = profile("rg-always", "edifact", {"sender_id": "9520001000010"}, send="always")


@dataclass
class FixedClock:
    at: datetime = T0

    def now(self) -> datetime:
        return self.at


@dataclass
class CodecRouter:
    codecs: dict[str, Codec] = field(
        default_factory=lambda: {"x12-004010": X12Codec(), "edifact": EdifactCodec()}
    )

    def codec(self, p: PartnerProfile) -> Codec:
        return self.codecs[p.codec.type]


@dataclass
class World:
    deps: Deps
    store: SqlStore
    clock: FixedClock
    service: FunctionalAckService

    def message(
        self, pid: str, body: bytes, direction: Direction = Direction.INBOUND
    ) -> RawMessage:
        return RawMessage(
            id=self.deps.new_id(),
            direction=direction,
            partner_id=pid,
            channel="directory",
            body=body,
            sha256=hashlib.sha256(body).hexdigest(),
            received_at=self.clock.now(),
            filename=f"{pid}-{len(body)}.edi",
            correlation_id="po-thread" if direction == Direction.OUTBOUND else None,
        )

    async def settle(self, pid: str, body: bytes) -> tuple[bool, RawMessage]:
        """What intake's decode job does: decode, then settle the outcome."""
        p = self.deps.partner(pid)
        codec = self.deps.router.codec(p)
        message = self.message(pid, body)
        async with self.store.unit_of_work() as uow:
            await uow.messages.add(message)
            await uow.commit()
        ctx = DecodeContext(pid, f"msg-{message.id}", message.id, p.codec.options)
        documents: list[Document] = []
        error = None
        try:
            documents = codec.decode(body, ctx)
        except InvalidDocument as exc:
            error = exc
        return await self.service.settle(message, codec, ctx, documents, error), message

    async def sent(self, pid: str, body: bytes) -> RawMessage:
        """Record one of our outbound files as dispatch does, delivered at the clock's now."""
        p = self.deps.partner(pid)
        codec = self.deps.router.codec(p)
        [document] = codec.decode(body, DecodeContext(pid, "po-thread", "m", p.codec.options))
        message = self.message(pid, body, Direction.OUTBOUND)
        async with self.store.unit_of_work() as uow:
            message = await track_sent(uow, p, codec, message, document)
            await uow.messages.add(message)
            await expect_functional_ack(uow, p, message, self.clock.now())
            await uow.commit()
        return message

    async def receive(self, pid: str, body: bytes) -> None:
        p = self.deps.partner(pid)
        message = self.message(pid, body)
        async with self.store.unit_of_work() as uow:
            await uow.messages.add(message)
            await uow.commit()
        codec = self.deps.router.codec(p)
        [ack] = codec.decode(body, DecodeContext(pid, "c", message.id, p.codec.options))
        assert isinstance(ack, FunctionalAck)
        await self.service.receive(message, ack, f"ack:{message.id}")

    async def outbound_acks(self) -> list[RawMessage]:
        async with self.store.unit_of_work() as uow:
            jobs = await uow.jobs.list(status=JobStatus.QUEUED)
            messages = [await uow.messages.get(j.payload["message_id"]) for j in jobs]
        assert all(j.kind == DELIVER_JOB for j in jobs)
        return [m for m in messages if m is not None]

    async def exceptions(self) -> list[str]:
        async with self.store.unit_of_work() as uow:
            found = await uow.exceptions.list(status=ExceptionStatus.OPEN)
        return [x.reason_code for x in found]


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[World]:
    url = f"sqlite:///{tmp_path / 'acks.db'}"
    await migrate(url)
    store = create_store(url)
    clock = FixedClock()
    deps = Deps(
        store=store,
        clock=clock,
        partners=PartnerRegistry([X12, X12_QUIET, EDI, EDI_ALWAYS]),
        router=CodecRouter(),  # type: ignore[arg-type]
        erp=None,  # type: ignore[arg-type]
        bus=InProcessBus(),
    )
    yield World(deps, store, clock, FunctionalAckService(deps))
    await store.close()


async def test_a_decoded_855_queues_one_997_once(world: World) -> None:
    ok, message = await world.settle("sw", fixture("x12/855_PO00042.x12"))
    assert ok
    [reply] = await world.outbound_acks()
    text = reply.body.decode()
    assert "AK1*PR*5002" in text and "AK5*A" in text and "AK9*A*1*1*1" in text
    assert "*ZZ*ACMEMFG        *ZZ*STEELWORKS     *" in text
    assert reply.metadata["acknowledges_message_id"] == message.id
    assert reply.filename == "997_5002_000000001.x12"
    # A retried decode job finds the outcome recorded and queues nothing more.
    again = await world.service.settle(
        message, X12Codec(), DecodeContext("sw", "c", message.id), [], None
    )
    assert again
    assert len(await world.outbound_acks()) == 1


async def test_a_file_that_fails_to_decode_gets_a_negative_997(world: World) -> None:
    broken = fixture("x12/855_PO00042.x12").replace(b"*067*20240322", b"*067*20240231", 1)
    ok, _ = await world.settle("sw", broken)
    assert not ok
    [reply] = await world.outbound_acks()
    text = reply.body.decode()
    assert "AK3*ACK*" in text and "AK4*5**8*20240231" in text
    assert "AK5*R*5" in text and "AK9*R" in text
    assert await world.exceptions() == ["invalid_date"]


async def test_a_reused_interchange_number_is_a_duplicate(world: World) -> None:
    first = fixture("x12/855_PO00042.x12")
    assert (await world.settle("sw", first))[0]
    resent = first.replace(b"*240305*1010*", b"*240306*1111*", 1)  # other time, same ISA13
    ok, _ = await world.settle("sw", resent)
    assert not ok
    assert await world.exceptions() == ["duplicate_interchange"]
    assert len(await world.outbound_acks()) == 1  # only the first copy is answered
    # Another partner may use the same number.
    assert (await world.settle("quiet", first))[0]


async def test_a_partner_that_wants_no_acks_gets_none(world: World) -> None:
    assert (await world.settle("quiet", fixture("x12/855_PO00042.x12")))[0]
    assert await world.outbound_acks() == []


async def test_contrl_only_when_asked_or_always(world: World) -> None:
    ordrsp = fixture("edifact/ORDRSP_PO00042.edi")
    assert (await world.settle("rg", ordrsp))[0]
    assert await world.outbound_acks() == []
    asked = ordrsp.replace(b"+502'", b"+503++++1'", 1).replace(b"UNZ+1+502'", b"UNZ+1+503'")
    assert (await world.settle("rg", asked))[0]
    [reply] = await world.outbound_acks()
    assert b"UCI+503+9520002000019:14+9520001000010:14+7'" in reply.body
    assert (await world.settle("rg-always", ordrsp))[0]
    assert len(await world.outbound_acks()) == 2


async def test_inbound_acks_are_matched_to_what_we_sent(world: World) -> None:
    sent = await world.sent("sw", fixture("x12/850_PO00042.x12"))
    assert sent.metadata["edi_interchanges"] == "101"
    assert sent.metadata["edi_groups"] == "1001"
    await world.sent("sw", fixture("x12/850_PO00042_5010.x12"))
    await world.receive("sw", fixture("x12/997_ack_850.x12"))
    assert await world.exceptions() == []
    await world.receive("sw", fixture("x12/999_rejects_850.x12"))
    assert await world.exceptions() == ["functional_ack_rejected"]
    async with world.store.unit_of_work() as uow:
        audit = await uow.audit.list(correlation_id="po-thread")
        [rejected] = await uow.exceptions.list()
    statuses = [
        a.after["status"] for a in audit if a.action == "functional_ack_received" and a.after
    ]
    assert statuses == [AckStatus.ACCEPTED, AckStatus.PARTIALLY_ACCEPTED]
    assert "PO1" in rejected.message

    edifact = await world.sent("rg", fixture("edifact/ORDERS_PO00042.edi"))
    assert edifact.metadata["edi_expect_ack"] == "true"  # UNB 0031 asked for a CONTRL
    await world.receive("rg", fixture("edifact/CONTRL_ack_ORDERS.edi"))
    assert await world.exceptions() == ["functional_ack_rejected"]


async def test_an_ack_for_something_never_sent_is_refused(world: World) -> None:
    with pytest.raises(UnknownFunctionalAck, match="never sent"):
        await world.receive("sw", fixture("x12/997_ack_850.x12"))


async def test_a_missing_ack_opens_one_exception_after_the_window(world: World) -> None:
    await world.sent("sw", fixture("x12/850_PO00042.x12"))
    answered = await world.sent("sw", fixture("x12/850_PO00042_5010.x12"))
    await world.receive("sw", fixture("x12/999_rejects_850.x12"))  # answers the second
    assert answered.metadata["edi_interchanges"] == control("000000102")
    world.clock.at = T0 + timedelta(hours=23)
    assert await world.service.check_overdue() == 0
    world.clock.at = T0 + timedelta(hours=25)
    assert await world.service.check_overdue() == 1
    assert await world.service.check_overdue() == 0
    world.clock.at = T0 + timedelta(days=5)
    assert await world.service.check_overdue() == 0
    assert sorted(await world.exceptions()) == ["functional_ack_missing", "functional_ack_rejected"]
    async with world.store.unit_of_work() as uow:
        timers = [j for j in await uow.jobs.list() if j.kind == ACK_DEADLINE_JOB]
    assert [j.status for j in timers] == [JobStatus.DONE, JobStatus.DONE]
