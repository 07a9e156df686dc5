"""A real embedded SFTP server with two suppliers, and logins to it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager
from pathlib import Path

import asyncssh
import pytest
from sftp_world import PASSWORDS, Login

from procurelink.adapters.channels.sftp_server.passwords import hash_password
from procurelink.adapters.channels.sftp_server.server import EmbeddedSftpServer
from procurelink.adapters.channels.sftp_server.settings import (
    SftpServerSettings,
    SupplierAccount,
)

# Every operation of the client channel logs in anew: cheap hashes keep the suite fast.
CHEAP = 2**10


@pytest.fixture(scope="session")
def supplier_key() -> asyncssh.SSHKey:
    return asyncssh.generate_private_key("ssh-ed25519")


@pytest.fixture(scope="session")
def accounts(supplier_key: asyncssh.SSHKey) -> tuple[SupplierAccount, ...]:
    public = supplier_key.export_public_key().decode()
    return (
        SupplierAccount(
            username="acme",
            password_hash=hash_password(PASSWORDS["acme"], cost=CHEAP),
            authorized_keys=(public,),
        ),
        SupplierAccount(
            username="beta", password_hash=hash_password(PASSWORDS["beta"], cost=CHEAP)
        ),
    )


@pytest.fixture
async def server(
    tmp_path: Path, accounts: tuple[SupplierAccount, ...]
) -> AsyncIterator[EmbeddedSftpServer]:
    settings = SftpServerSettings(
        port=0, root=tmp_path / "homes", host_key_path=tmp_path / "host_key", suppliers=accounts
    )
    async with EmbeddedSftpServer(settings) as running:
        yield running


@pytest.fixture
def homes(tmp_path: Path) -> Path:
    return tmp_path / "homes"


@pytest.fixture
def login(server: EmbeddedSftpServer) -> Login:
    """``async with login("acme") as sftp``: a supplier's asyncssh SFTP session."""

    def connect(username: str) -> AbstractAsyncContextManager[asyncssh.SFTPClient]:
        return _session(server, username)

    return connect


class _session:  # noqa: N801 - used like a function
    def __init__(self, server: EmbeddedSftpServer, username: str) -> None:
        self._server, self._username = server, username

    async def __aenter__(self) -> asyncssh.SFTPClient:
        self._conn = await asyncssh.connect(
            "127.0.0.1",
            self._server.port,
            username=self._username,
            password=PASSWORDS[self._username],
            known_hosts=([asyncssh.import_public_key(self._server.public_host_key)], [], []),
            client_keys=None,
            agent_path=None,
            config=[],
        )
        self._sftp = await self._conn.start_sftp_client()
        return self._sftp

    async def __aexit__(self, *exc: object) -> None:
        self._conn.abort()
