from __future__ import annotations

from pathlib import Path

import pytest
from channel_contract import InboundChannelContract, OutboundChannelContract

from procurelink.adapters.channels.directory.channel import DirectoryChannel
from procurelink.adapters.channels.directory.settings import DirectorySettings


class DirectoryPeer:
    def __init__(self, root: Path) -> None:
        self.out, self.inbox = root / "out", root / "in"
        self.inbox.mkdir(parents=True)

    async def delivered(self) -> dict[str, bytes]:
        return {p.name: p.read_bytes() for p in self.out.iterdir() if p.is_file()}

    async def place(self, name: str, body: bytes) -> None:
        (self.inbox / name).write_bytes(body)

    async def place_partial(self, name: str, body: bytes) -> None:
        (self.inbox / f".{name}.part").write_bytes(body)

    async def archived(self) -> list[str]:
        return sorted(p.name for p in (self.inbox / "processed").glob("*.x12"))

    async def refused(self) -> list[str]:
        return sorted(p.name for p in (self.inbox / "error").glob("*.x12"))


@pytest.fixture
def peer(tmp_path: Path) -> DirectoryPeer:
    return DirectoryPeer(tmp_path)


@pytest.fixture
def outbound(peer: DirectoryPeer) -> DirectoryChannel:
    return DirectoryChannel("p1", DirectorySettings(outbox=peer.out))


@pytest.fixture
def inbound(peer: DirectoryPeer) -> DirectoryChannel:
    return DirectoryChannel("p1", DirectorySettings(inbox=peer.inbox))


class TestDirectoryOutbound(OutboundChannelContract):
    pass


class TestDirectoryInbound(InboundChannelContract):
    pass
