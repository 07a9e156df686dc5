"""Contract suites every channel passes (ARCHITECTURE.md §5), subclassed per channel.

A channel's test module subclasses ``OutboundChannelContract`` and/or
``InboundChannelContract`` and provides the fixtures ``outbound`` / ``inbound`` (the channel
under test, talking to a real server of its kind) and ``peer`` (the partner's side of that
server: what it received, and a way to place files for us).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Protocol

from procurelink.errors import TransientError
from procurelink.ports.channel import InboundChannel, OutboundChannel, OutboundPayload


class Peer(Protocol):
    """The partner's side of a channel."""

    async def delivered(self) -> dict[str, bytes]:
        """Files/messages the partner has received from us, by name."""
        ...

    async def place(self, name: str, body: bytes) -> None:
        """The partner sends us a complete file/message."""
        ...

    async def place_partial(self, name: str, body: bytes) -> None:
        """The partner is still writing a file (not yet complete)."""
        ...

    async def archived(self) -> list[str]:
        """Names of items we acknowledged as captured."""
        ...

    async def refused(self) -> list[str]:
        """Names of items we acknowledged as refused."""
        ...


def payload(name: str, body: bytes, key: str = "k-1") -> OutboundPayload:
    return OutboundPayload(
        partner_id="p1",
        filename=name,
        content_type="application/edi-x12",
        body=body,
        correlation_id="corr-1",
        idempotency_key=key,
    )


BODY = b"ISA*00*          *00*          *ZZ*ACMEMFG        *ZZ*SUPPLIER       ~\n\x00\xff"


class OutboundChannelContract:
    async def test_delivers_the_exact_bytes_under_the_name(
        self, outbound: OutboundChannel, peer: Peer
    ) -> None:
        receipt = await outbound.send(payload("850_PO1_000000001.x12", BODY))
        assert (await peer.delivered())["850_PO1_000000001.x12"] == BODY
        assert receipt.channel == outbound.name
        assert receipt.delivered_at <= datetime.now(UTC)

    async def test_several_documents_do_not_overwrite_each_other(
        self, outbound: OutboundChannel, peer: Peer
    ) -> None:
        await outbound.send(payload("a.x12", b"A", key="k-a"))
        await outbound.send(payload("b.x12", b"B", key="k-b"))
        got = await peer.delivered()
        assert (got["a.x12"], got["b.x12"]) == (b"A", b"B")


class UnreachableOutboundContract:
    """For channels whose server can be unreachable: that is a transient failure."""

    async def test_unreachable_server_is_transient(self, unreachable: OutboundChannel) -> None:
        try:
            await unreachable.send(payload("x.x12", b"x"))
        except TransientError:
            return
        raise AssertionError("sending to an unreachable server must raise TransientError")


class InboundChannelContract:
    async def test_polls_complete_items_with_exact_bytes(
        self, inbound: InboundChannel, peer: Peer
    ) -> None:
        await peer.place("855_1.x12", BODY)
        await peer.place_partial("855_2.x12", b"ISA*half")
        items = await inbound.poll()
        assert [(i.filename, i.body) for i in items] == [("855_1.x12", BODY)]
        assert items[0].channel == inbound.name

    async def test_nothing_is_lost_before_acknowledgment(
        self, inbound: InboundChannel, peer: Peer
    ) -> None:
        await peer.place("855_1.x12", b"one")
        first = await inbound.poll()
        again = await inbound.poll()  # e.g. procurelink crashed before capturing
        assert [i.body for i in again] == [i.body for i in first] == [b"one"]

    async def test_acknowledged_items_are_not_delivered_again(
        self, inbound: InboundChannel, peer: Peer
    ) -> None:
        await peer.place("ok.x12", b"ok")
        await peer.place("bad.x12", b"bad")
        items = {i.filename: i for i in await inbound.poll()}
        await inbound.acknowledge(items["ok.x12"], accepted=True)
        await inbound.acknowledge(items["bad.x12"], accepted=False, reason="empty")
        assert await inbound.poll() == []
        assert await peer.archived() == ["ok.x12"]
        assert await peer.refused() == ["bad.x12"]
