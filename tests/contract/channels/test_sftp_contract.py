"""The channel contract suites for the SFTP channels, against a real asyncssh server.

(a) ``SftpChannel``, our client, against the embedded server playing a supplier's server: we
    put files into the supplier's ``/in`` and poll its ``/out``.
(b) ``EmbeddedSftpChannel`` on the embedded server's disk, with a real asyncssh client as the
    supplier.
"""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from pathlib import Path

import asyncssh
import pytest
from channel_contract import (
    InboundChannelContract,
    OutboundChannelContract,
    UnreachableOutboundContract,
)

from procurelink.adapters.channels.sftp.channel import SftpChannel
from procurelink.adapters.channels.sftp.settings import SftpSettings
from procurelink.adapters.channels.sftp_server.channel import EmbeddedSftpChannel
from procurelink.adapters.channels.sftp_server.passwords import hash_password
from procurelink.adapters.channels.sftp_server.server import EmbeddedSftpServer
from procurelink.adapters.channels.sftp_server.settings import (
    EmbeddedSftpSettings,
    SftpServerSettings,
    SupplierAccount,
)

PASSWORD = "s3cret-acme"


@pytest.fixture(scope="module")
def password_hash() -> str:
    return hash_password(PASSWORD, cost=2**10)  # fast logins in tests


@pytest.fixture
async def server(tmp_path: Path, password_hash: str) -> AsyncIterator[EmbeddedSftpServer]:
    settings = SftpServerSettings(
        port=0,
        root=tmp_path / "homes",
        host_key_path=tmp_path / "host_key",
        suppliers=(SupplierAccount(username="acme", password_hash=password_hash),),
    )
    async with EmbeddedSftpServer(settings) as running:
        yield running


def client_settings(server: EmbeddedSftpServer, **options: object) -> SftpSettings:
    values: dict[str, object] = {
        "host": "127.0.0.1",
        "port": server.port,
        "username": "acme",
        "password": PASSWORD,
        "host_keys": [server.public_host_key],
        "outbox": "/in",
        "inbox": "/out",
        "io_timeout_seconds": 5,
        "connect_timeout_seconds": 5,
    }
    return SftpSettings.model_validate(values | options)


# -- (a) our SFTP client against a supplier's server ------------------------------------------


class SupplierServerPeer:
    """The supplier's server seen from its disk: what we uploaded, what it offers us."""

    def __init__(self, home: Path) -> None:
        self.inbox, self.outbox = home / "in", home / "out"

    async def delivered(self) -> dict[str, bytes]:
        return {p.name: p.read_bytes() for p in self.inbox.iterdir() if p.is_file()}

    async def place(self, name: str, body: bytes) -> None:
        tmp = self.outbox / f".{name}.tmp"
        tmp.write_bytes(body)
        tmp.rename(self.outbox / name)

    async def place_partial(self, name: str, body: bytes) -> None:
        # A supplier's own tooling uploading under a hidden temporary name.
        (self.outbox / f".{name}.part").write_bytes(body)

    async def archived(self) -> list[str]:
        return sorted(p.name for p in (self.outbox / "archive").glob("*.x12"))

    async def refused(self) -> list[str]:
        return sorted(p.name for p in (self.outbox / "error").glob("*.x12"))


class TestSftpClientOutbound(OutboundChannelContract):
    @pytest.fixture
    def peer(self, server: EmbeddedSftpServer, tmp_path: Path) -> SupplierServerPeer:
        return SupplierServerPeer(tmp_path / "homes" / "acme")

    @pytest.fixture
    def outbound(self, server: EmbeddedSftpServer) -> SftpChannel:
        return SftpChannel("p1", client_settings(server))


class TestSftpClientInbound(InboundChannelContract):
    @pytest.fixture
    def peer(self, server: EmbeddedSftpServer, tmp_path: Path) -> SupplierServerPeer:
        return SupplierServerPeer(tmp_path / "homes" / "acme")

    @pytest.fixture
    def inbound(self, server: EmbeddedSftpServer) -> SftpChannel:
        return SftpChannel("p1", client_settings(server))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class TestSftpClientUnreachable(UnreachableOutboundContract):
    @pytest.fixture
    def unreachable(self) -> SftpChannel:
        settings = SftpSettings(
            host="127.0.0.1",
            port=free_port(),  # nothing listens there any more
            username="acme",
            password=PASSWORD,  # type: ignore[arg-type]
            host_keys=("SHA256:" + "A" * 43,),
            outbox="/in",
            connect_timeout_seconds=2,
        )
        return SftpChannel("p1", settings)


# -- (b) the embedded server's channels, a real SFTP client as the supplier -------------------


class SupplierClientPeer:
    """The supplier, logged in to our embedded server with asyncssh."""

    def __init__(self, sftp: asyncssh.SFTPClient) -> None:
        self.sftp = sftp
        self._open: list[asyncssh.SFTPClientFile] = []

    async def delivered(self) -> dict[str, bytes]:
        got = {}
        for entry in await self.sftp.readdir("/out"):
            if entry.attrs.type == asyncssh.FILEXFER_TYPE_REGULAR:
                async with self.sftp.open(f"/out/{entry.filename}", "rb") as fh:
                    got[str(entry.filename)] = bytes(await fh.read())
        return got

    async def place(self, name: str, body: bytes) -> None:
        async with self.sftp.open(f"/in/{name}", "wb") as fh:
            await fh.write(body)

    async def place_partial(self, name: str, body: bytes) -> None:
        fh = await self.sftp.open(f"/in/{name}", "wb")
        await fh.write(body)
        self._open.append(fh)  # never closed while the test polls

    async def archived(self) -> list[str]:
        return sorted(n for n in await self.sftp.listdir("/in/processed") if n.endswith(".x12"))

    async def refused(self) -> list[str]:
        return sorted(n for n in await self.sftp.listdir("/in/error") if n.endswith(".x12"))


@pytest.fixture
async def supplier(server: EmbeddedSftpServer) -> AsyncIterator[SupplierClientPeer]:
    async with (
        asyncssh.connect(
            "127.0.0.1",
            server.port,
            username="acme",
            password=PASSWORD,
            known_hosts=([asyncssh.import_public_key(server.public_host_key)], [], []),
            client_keys=None,
            agent_path=None,
            config=[],
        ) as conn,
        conn.start_sftp_client() as sftp,
    ):
        yield SupplierClientPeer(sftp)


def embedded(tmp_path: Path) -> EmbeddedSftpChannel:
    return EmbeddedSftpChannel("p1", EmbeddedSftpSettings(root=tmp_path / "homes", username="acme"))


class TestEmbeddedServerOutbound(OutboundChannelContract):
    @pytest.fixture
    def peer(self, supplier: SupplierClientPeer) -> SupplierClientPeer:
        return supplier

    @pytest.fixture
    def outbound(self, server: EmbeddedSftpServer, tmp_path: Path) -> EmbeddedSftpChannel:
        return embedded(tmp_path)


class TestEmbeddedServerInbound(InboundChannelContract):
    @pytest.fixture
    def peer(self, supplier: SupplierClientPeer) -> SupplierClientPeer:
        return supplier

    @pytest.fixture
    def inbound(self, server: EmbeddedSftpServer, tmp_path: Path) -> EmbeddedSftpChannel:
        return embedded(tmp_path)
