from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from procurelink.adapters.channels.directory.channel import DirectoryChannel
from procurelink.adapters.channels.directory.settings import DirectorySettings
from procurelink.errors import PermanentError
from procurelink.ports.channel import OutboundPayload


def payload(name: str, body: bytes = b"ISA*...~") -> OutboundPayload:
    return OutboundPayload(
        partner_id="sw",
        filename=name,
        content_type="application/edi-x12",
        body=body,
        correlation_id="c",
        idempotency_key="k",
    )


async def test_send_writes_atomically_and_leaves_no_temp_file(tmp_path: Path) -> None:
    channel = DirectoryChannel("sw", DirectorySettings(outbox=tmp_path / "out"))
    receipt = await channel.send(payload("850_PO1.x12"))
    assert (tmp_path / "out" / "850_PO1.x12").read_bytes() == b"ISA*...~"
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["850_PO1.x12"]
    assert receipt.destination.endswith("850_PO1.x12")


async def test_send_refuses_path_tricks(tmp_path: Path) -> None:
    channel = DirectoryChannel("sw", DirectorySettings(outbox=tmp_path / "out"))
    with pytest.raises(PermanentError, match="unsafe"):
        await channel.send(payload(".."))
    receipt = await channel.send(payload("../../escape.x12"))
    assert Path(receipt.destination).parent == tmp_path / "out"


async def test_poll_skips_hidden_files_and_acknowledge_moves(tmp_path: Path) -> None:
    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "855_a.x12").write_bytes(b"A")
    (inbox / "855_b.x12").write_bytes(b"B")
    (inbox / ".855_c.x12.part").write_bytes(b"half")
    channel = DirectoryChannel("sw", DirectorySettings(inbox=inbox))
    items = await channel.poll()
    assert sorted(i.filename or "" for i in items) == ["855_a.x12", "855_b.x12"]
    assert all(i.received_at <= datetime.now(UTC) for i in items)
    by_name = {i.filename: i for i in items}
    await channel.acknowledge(by_name["855_a.x12"], accepted=True)
    await channel.acknowledge(by_name["855_b.x12"], accepted=False, reason="empty file")
    assert (inbox / "processed" / "855_a.x12").read_bytes() == b"A"
    assert (inbox / "error" / "855_b.x12").exists()
    assert (inbox / "error" / "855_b.x12.reason.txt").read_text() == "empty file\n"
    assert [i.filename for i in await channel.poll()] == []


async def test_same_name_twice_keeps_both(tmp_path: Path) -> None:
    inbox = tmp_path / "in"
    inbox.mkdir()
    channel = DirectoryChannel("sw", DirectorySettings(inbox=inbox))
    for body in (b"1", b"2"):
        (inbox / "855.x12").write_bytes(body)
        [item] = await channel.poll()
        await channel.acknowledge(item, accepted=True)
    assert sorted(p.read_bytes() for p in (inbox / "processed").iterdir()) == [b"1", b"2"]
